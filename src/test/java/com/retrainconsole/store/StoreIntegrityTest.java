package com.retrainconsole.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data file that lost its end, became empty or vanished is refused with a message that names the file, what
 * is wrong and the last good backup; an untouched file, a new folder and a file after a kill open as before.
 */
class StoreIntegrityTest {
  @TempDir Path tempDir;

  /** Three runs, each pending → running → completed: nine commits, as the app writes them. */
  private static void writeThreeCompletedRuns(Store store) {
    MongoCollection<Document> runs = store.collection(Collections.MODEL_RUNS);
    for (int i = 1; i <= 3; i++) {
      String id = "run-" + i;
      runs.insertOne(new Document("run_id", id).append("device_id", "tracker01").append("status", "pending"));
      runs.updateOne(Filters.eq("run_id", id), Updates.set("status", "running"));
      runs.updateOne(Filters.eq("run_id", id), Updates.set("status", "completed"));
    }
  }

  private static List<String> statuses(Store store) {
    List<String> out = new ArrayList<>();
    store.collection(Collections.MODEL_RUNS).find().sort(new Document("run_id", 1))
        .forEach(d -> out.add(d.getString("run_id") + "=" + d.getString("status")));
    return out;
  }

  private static void truncateBy(Path file, long bytes) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(Math.max(0, channel.size() - bytes));
    }
  }

  @Test
  void a_file_cut_short_by_any_amount_is_refused_naming_the_last_good_backup() throws IOException {
    Path dataDir = tempDir.resolve("data");
    try (Store store = Store.open(StoreConfig.embedded(dataDir))) {
      writeThreeCompletedRuns(store);
    }
    StoreBackups.BackupResult backup = EmbeddedStore.backup(dataDir);
    Path file = EmbeddedStore.dataFile(dataDir);
    Path pristine = tempDir.resolve("pristine.mv.db");
    Files.copy(file, pristine);
    long size = Files.size(file);

    // a few bytes (the last chunk's footer), a block, a fifth (truncate -s -20%), half, all but the header
    for (long cut : new long[] {1, 20, 4096, size / 5, size / 2, size - 8192, size - 100}) {
      Files.copy(pristine, file, StandardCopyOption.REPLACE_EXISTING);
      truncateBy(file, cut);
      long damagedSize = Files.size(file);
      DamagedStoreException refused =
          assertThrows(DamagedStoreException.class, () -> Store.open(StoreConfig.embedded(dataDir)).close(),
              "a file cut by " + cut + " of " + size + " bytes must not open");
      String message = refused.getMessage();
      assertTrue(message.startsWith("The data file " + file + " "), message);
      assertTrue(message.contains(" is damaged: it opens at commit ") || message.contains(" cannot be read: "),
          message);
      assertTrue(message.contains("Restore the last good backup " + backup.backup().file()), message);
      assertTrue(message.contains("retrain-console store restore --data-dir " + dataDir.toAbsolutePath().normalize()
          + " --from " + backup.backup().file()), message);
      assertEquals(damagedSize, Files.size(file), "a refused file is left as it was");
    }

    Files.copy(pristine, file, StandardCopyOption.REPLACE_EXISTING);
    try (Store store = Store.open(StoreConfig.embedded(dataDir))) {
      assertEquals(List.of("run-1=completed", "run-2=completed", "run-3=completed"), statuses(store));
    }
  }

  @Test
  void an_empty_or_missing_file_where_a_store_was_is_refused() throws IOException {
    Path dataDir = tempDir.resolve("data");
    try (Store store = Store.open(StoreConfig.embedded(dataDir))) {
      writeThreeCompletedRuns(store);
    }
    Path file = EmbeddedStore.dataFile(dataDir);
    Files.write(file, new byte[0]);
    DamagedStoreException empty =
        assertThrows(DamagedStoreException.class, () -> Store.open(StoreConfig.embedded(dataDir)).close());
    assertTrue(empty.getMessage().startsWith("The data file " + file + " is empty (0 bytes), but "
        + CommitWatermark.path(dataDir) + " records a store with "), empty.getMessage());
    assertTrue(empty.getMessage().contains("There is no backup that opens in " + StoreBackups.folder(dataDir)),
        empty.getMessage());
    assertEquals(0, Files.size(file), "the empty file is not turned into a new store");

    Files.delete(file);
    DamagedStoreException missing =
        assertThrows(DamagedStoreException.class, () -> Store.open(StoreConfig.embedded(dataDir)).close());
    assertTrue(missing.getMessage().startsWith("The data file " + file + " is missing, but "), missing.getMessage());
    assertFalse(Files.exists(file), "no new store is created in its place");
  }

  @Test
  void a_new_folder_opens_as_a_new_store_even_with_an_empty_file_and_reopens_untouched() throws IOException {
    Path fresh = tempDir.resolve("fresh");
    try (Store store = Store.open(StoreConfig.embedded(fresh))) {
      assertEquals(List.of(), statuses(store));
      writeThreeCompletedRuns(store);
    }
    try (Store store = Store.open(StoreConfig.embedded(fresh))) {
      assertEquals(3, statuses(store).size());
    }
    // a first start that stopped before H2 wrote anything: nothing says a store was there
    Path interrupted = tempDir.resolve("interrupted");
    Files.createDirectories(interrupted);
    Files.write(EmbeddedStore.dataFile(interrupted), new byte[0]);
    try (Store store = Store.open(StoreConfig.embedded(interrupted))) {
      store.collection(Collections.SETTINGS).insertOne(new Document("_id", "x"));
    }
    try (Store store = Store.open(StoreConfig.embedded(interrupted))) {
      assertEquals(1, store.collection(Collections.SETTINGS).countDocuments());
    }
  }

  /**
   * The state a {@code kill -9} leaves: H2 rewrites its header only every 20 commits, so without the watermark
   * a cut after a kill is invisible. A copy of the open folder is that state.
   */
  @Test
  void a_file_cut_after_a_kill_is_refused_through_the_watermark() throws IOException {
    Path live = tempDir.resolve("live");
    Path killed = tempDir.resolve("killed");
    Files.createDirectories(killed);
    try (Store store = Store.open(StoreConfig.embedded(live))) {
      writeThreeCompletedRuns(store);
      Files.copy(EmbeddedStore.dataFile(live), EmbeddedStore.dataFile(killed));
      Files.copy(CommitWatermark.path(live), CommitWatermark.path(killed));
    }
    Path file = EmbeddedStore.dataFile(killed);
    Path pristine = tempDir.resolve("killed-pristine.mv.db");
    Files.copy(file, pristine);
    assertFalse(StoreFileHeader.open(file).header().clean(), "an open file's header is not marked clean");

    truncateBy(file, Files.size(file) / 5);
    DamagedStoreException refused =
        assertThrows(DamagedStoreException.class, () -> Store.open(StoreConfig.embedded(killed)).close());
    assertTrue(refused.getMessage().contains(" was written to it (" + CommitWatermark.path(killed)
        + ") and the machine has not restarted since"), refused.getMessage());

    // the uncut file of the killed process opens with every acknowledged write
    Files.copy(pristine, file, StandardCopyOption.REPLACE_EXISTING);
    try (Store store = Store.open(StoreConfig.embedded(killed))) {
      assertEquals(List.of("run-1=completed", "run-2=completed", "run-3=completed"), statuses(store));
    }
  }

  /**
   * After a restart, commits that only reached the OS may be lost with the power: the file opens if it holds
   * what was forced to disk, and is refused if it does not.
   */
  @Test
  void after_a_restart_only_the_commits_forced_to_disk_are_required() throws IOException {
    Path live = tempDir.resolve("live");
    Path copy = tempDir.resolve("copy");
    Files.createDirectories(copy);
    long synced;
    try (Store store = Store.open(StoreConfig.embedded(live))) {
      store.collection(Collections.SETTINGS).insertOne(new Document("_id", "forced"));
      store.sync();
      synced = CommitWatermark.read(live).orElseThrow().synced();
      writeThreeCompletedRuns(store);
      Files.copy(EmbeddedStore.dataFile(live), EmbeddedStore.dataFile(copy));
    }
    Path file = EmbeddedStore.dataFile(copy);
    long created = StoreFileHeader.open(file).header().created();
    Path pristine = tempDir.resolve("copy-pristine.mv.db");
    Files.copy(file, pristine);
    long opened = StoreFileHeader.open(file).version();
    assertTrue(synced < opened, synced + " < " + opened);

    // the power went: the OS lost the last commits, the file holds what was synced
    writeMark(copy, created, opened + 5, synced, "00000000-0000-0000-0000-000000000000");
    try (Store store = Store.open(StoreConfig.embedded(copy))) {
      assertEquals(3, statuses(store).size());
    }
    // the same, but the machine did not restart: the file was cut
    Files.copy(pristine, file, StandardCopyOption.REPLACE_EXISTING);
    writeMark(copy, created, opened + 5, synced, Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip());
    assertThrows(DamagedStoreException.class, () -> Store.open(StoreConfig.embedded(copy)).close());
    // restarted, but even the forced commits are gone
    Files.copy(pristine, file, StandardCopyOption.REPLACE_EXISTING);
    writeMark(copy, created, opened + 5, opened + 5, "00000000-0000-0000-0000-000000000000");
    DamagedStoreException refused =
        assertThrows(DamagedStoreException.class, () -> Store.open(StoreConfig.embedded(copy)).close());
    assertTrue(refused.getMessage().contains(" was forced to disk ("), refused.getMessage());
  }

  /** A watermark line as {@link CommitWatermark} writes it, for a boot of our choosing. */
  private static void writeMark(Path dataDir, long created, long committed, long synced, String boot)
      throws IOException {
    String body = String.format(Locale.ROOT,
        "retrain-store-watermark 1 created=%016x committed=%016x synced=%016x boot=%-36s ", created, committed,
        synced, boot);
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.US_ASCII));
    Files.writeString(CommitWatermark.path(dataDir), body + String.format(Locale.ROOT, "crc=%08x\n", crc.getValue()));
  }

  @Test
  void a_torn_watermark_is_ignored_rather_than_trusted() throws IOException {
    Path dataDir = tempDir.resolve("data");
    try (Store store = Store.open(StoreConfig.embedded(dataDir))) {
      writeThreeCompletedRuns(store);
    }
    String line = Files.readString(CommitWatermark.path(dataDir));
    Files.writeString(CommitWatermark.path(dataDir), line.replace("committed=0", "committed=f"));
    assertTrue(CommitWatermark.read(dataDir).isEmpty(), "a line whose CRC does not match proves nothing");
    try (Store store = Store.open(StoreConfig.embedded(dataDir))) {
      assertEquals(3, statuses(store).size());
    }
    assertTrue(CommitWatermark.read(dataDir).isPresent(), "rewritten on open");
  }
}
