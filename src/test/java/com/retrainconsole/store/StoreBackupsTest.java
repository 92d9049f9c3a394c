package com.retrainconsole.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreBackupsTest {
  @TempDir Path tempDir;

  @Test
  void a_served_store_backs_itself_up_at_most_once_a_day() {
    Path dataDir = tempDir.resolve("data");
    Instant now = Instant.parse("2026-03-01T10:00:00Z");
    try (Store store = Store.open(StoreConfig.embedded(dataDir)).serveOnLoopback()) {
      store.collection(Collections.SETTINGS).insertOne(new Document("_id", "a"));
      assertTrue(store.backupIfDue(now).isPresent(), "no backup yet: one is due");
      assertTrue(store.backupIfDue(now.plus(Duration.ofHours(23))).isEmpty(), "not again within a day");
      StoreBackups.BackupResult next = store.backupIfDue(now.plus(Duration.ofHours(24))).orElseThrow();
      assertEquals(now.plus(Duration.ofHours(24)), next.backup().takenAt());
    }
    assertEquals(2, StoreBackups.list(dataDir).size());
    // a process started later goes by the newest backup on disk
    try (Store store = Store.open(StoreConfig.embedded(dataDir)).serveOnLoopback()) {
      assertTrue(store.backupIfDue(now.plus(Duration.ofHours(30))).isEmpty());
      assertTrue(store.backupIfDue(now.plus(Duration.ofHours(48))).isPresent());
    }
  }

  @Test
  void only_the_newest_backups_are_kept_and_each_is_owner_only() throws Exception {
    Path dataDir = tempDir.resolve("data");
    try (Store store = Store.open(StoreConfig.embedded(dataDir))) {
      store.collection(Collections.SETTINGS).insertOne(new Document("_id", "a"));
    }
    List<Path> written = new ArrayList<>();
    for (int i = 0; i < StoreBackups.KEEP + 2; i++) {
      StoreBackups.BackupResult r = EmbeddedStore.backup(dataDir);
      written.add(r.backup().file());
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(r.backup().file())));
    }
    List<Path> kept = StoreBackups.list(dataDir).stream().map(StoreBackups.Backup::file).toList();
    List<Path> newestFirst = new ArrayList<>(written.subList(2, written.size()));
    java.util.Collections.reverse(newestFirst);
    assertEquals(newestFirst, kept, "newest first, the two oldest removed");
    assertEquals("rwx------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(StoreBackups.folder(dataDir))));
    try (var files = Files.list(StoreBackups.folder(dataDir))) {
      assertEquals(StoreBackups.KEEP, files.count(), "no temp or snapshot file left behind");
    }
  }

  /**
   * A backup taken while another client writes holds whole commands only: every batch of ten went in as one
   * command, so the copy holds a multiple of ten, and its unique index agrees with its documents.
   */
  @Test
  void a_backup_taken_during_writes_holds_one_consistent_state() throws Exception {
    Path dataDir = tempDir.resolve("data");
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger batches = new AtomicInteger();
    StoreBackups.BackupResult backup;
    try (Store store = Store.open(StoreConfig.embedded(dataDir)).serveOnLoopback()) {
      MongoCollection<Document> runs = store.collection(Collections.MODEL_RUNS);
      Thread writer = new Thread(() -> {
        while (!stop.get()) {
          int b = batches.getAndIncrement();
          List<Document> batch = new ArrayList<>();
          for (int i = 0; i < 10; i++) {
            batch.add(new Document("run_id", "b" + b + "-" + i).append("status", "completed"));
          }
          runs.insertMany(batch);
        }
      });
      writer.start();
      while (batches.get() < 20) {
        Thread.sleep(5);
      }
      // what `store backup` in another process does: ask the server through its port file
      backup = Store.requestBackup(dataDir, StorePortFile.read(dataDir).orElseThrow());
      stop.set(true);
      writer.join();
    }
    assertTrue(Files.isRegularFile(backup.backup().file()));
    Path restored = tempDir.resolve("restored");
    EmbeddedStore.restore(restored, backup.backup().file());
    try (Store store = Store.open(StoreConfig.embedded(restored))) {
      MongoCollection<Document> runs = store.collection(Collections.MODEL_RUNS);
      long count = runs.countDocuments();
      assertTrue(count >= 200 && count % 10 == 0, "whole batches only: " + count);
      String anyId = runs.find().first().getString("run_id");
      MongoWriteException duplicate = org.junit.jupiter.api.Assertions.assertThrows(MongoWriteException.class,
          () -> runs.insertOne(new Document("run_id", anyId)));
      assertTrue(duplicate.getMessage().contains("duplicate key"), duplicate.getMessage());
    }
  }
}
