package com.retrainconsole.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.retrainconsole.store.EmbeddedStore;
import com.retrainconsole.store.Store;
import com.retrainconsole.store.StoreBackups;
import com.retrainconsole.store.StoreConfig;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code store backup}, {@code store backup --list} and {@code store restore} as a user runs them. */
class StoreBackupCliTest {
  @TempDir Path dir;

  private Path data() {
    return dir.resolve("data");
  }

  private Cli cli() {
    return new Cli(data(), dir.resolve("models"));
  }

  private static void completeRun(Store store, String runId) {
    store.collection("model_runs").insertOne(new Document("run_id", runId).append("status", "pending"));
    store.collection("model_runs").updateOne(Filters.eq("run_id", runId), Updates.set("status", "running"));
    store.collection("model_runs").updateOne(Filters.eq("run_id", runId), Updates.set("status", "completed"));
  }

  private List<String> runIds() {
    List<String> ids = new ArrayList<>();
    try (Store store = Store.open(StoreConfig.embedded(data()))) {
      store.collection("model_runs").find().sort(new Document("run_id", 1)).forEach(d -> ids.add(d.getString("run_id")));
    }
    return ids;
  }

  @Test
  void a_damaged_store_is_refused_and_restore_brings_back_the_backup_keeping_the_damaged_file() throws Exception {
    try (Store store = Store.open(StoreConfig.embedded(data()))) {
      for (int i = 1; i <= 3; i++) {
        completeRun(store, "run-" + i);
      }
    }
    JsonNode backup = cli().run("store", "backup", "--json").json();
    Path backupFile = Path.of(backup.get("file").asText());
    assertTrue(Files.isRegularFile(backupFile), backup.toString());
    JsonNode listed = cli().run("store", "backup", "--list", "--json").json();
    assertEquals(backupFile.toString(), listed.get("backups").get(0).get("file").asText());

    try (Store store = Store.open(StoreConfig.embedded(data()))) {
      completeRun(store, "run-4");
    }
    Path file = EmbeddedStore.dataFile(data());
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(channel.size() * 4 / 5); // truncate -s -20%
    }
    long damagedSize = Files.size(file);

    // any command on the folder is refused, naming the backup and the command that restores it
    Cli.Result refused = cli().run("runs");
    assertEquals(2, refused.code(), refused.err());
    assertTrue(refused.errorLine().contains(file + " is damaged"), refused.err());
    assertTrue(refused.errorLine().contains("store restore --data-dir " + data().toAbsolutePath().normalize()
        + " --from " + backupFile), refused.err());
    // and a damaged file never pushes a good backup out of the rotation
    Cli.Result noBackup = cli().run("store", "backup");
    assertEquals(2, noBackup.code(), noBackup.err());
    assertEquals(1, StoreBackups.list(data()).size());

    JsonNode restored = cli().run("store", "restore", "--from", backupFile.toString(), "--json").json();
    Path aside = Path.of(restored.get("kept_aside").asText());
    assertEquals(damagedSize, Files.size(aside), "the damaged file is kept as it was");
    assertTrue(aside.getFileName().toString().startsWith("retrain.mv.db.before-restore-"), aside.toString());
    assertEquals(List.of("run-1", "run-2", "run-3"), runIds(), "the state the backup was taken at");
  }

  @Test
  void a_served_store_is_backed_up_by_its_server_and_restore_waits_until_it_stops() throws Exception {
    try (Store store = Store.open(StoreConfig.embedded(data()))) {
      completeRun(store, "run-1");
    }
    Path log = dir.resolve("serve.log");
    Process server = ChildJvm.start(log, com.retrainconsole.app.Launcher.class, "store", "serve", "--data-dir",
        data().toString());
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (com.retrainconsole.store.StorePortFile.read(data()).isEmpty()) {
        assertTrue(server.isAlive() && System.nanoTime() < deadline, Files.readString(log));
        Thread.sleep(50);
      }
      Cli.Result backup = cli().run("store", "backup");
      assertEquals(0, backup.code(), backup.err());
      assertTrue(backup.out().startsWith("backup " + StoreBackups.folder(data())), backup.out());
      Path backupFile = StoreBackups.list(data()).get(0).file();

      Cli.Result refused = cli().run("store", "restore", "--from", backupFile.toString());
      assertEquals(2, refused.code(), refused.err());
      assertTrue(refused.errorLine().contains("is served by process " + server.pid()), refused.err());
    } finally {
      server.destroy();
      server.waitFor(30, TimeUnit.SECONDS);
    }
    Cli.Result missing = cli().run("store", "restore", "--from", dir.resolve("nope.mv.db").toString());
    assertEquals(2, missing.code(), missing.err());
    assertTrue(missing.errorLine().contains("There is no file " + dir.resolve("nope.mv.db")), missing.err());
    Cli.Result notAStore = cli().run("store", "restore", "--from", log.toString());
    assertEquals(2, notAStore.code(), notAStore.err());
    assertTrue(notAStore.errorLine().contains(log + " is not a store H2 can open"), notAStore.err());
    assertEquals(List.of("run-1"), runIds(), "refused restores changed nothing");
  }
}
