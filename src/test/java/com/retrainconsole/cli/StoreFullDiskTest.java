package com.retrainconsole.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.retrainconsole.store.Store;
import com.retrainconsole.store.StoreConfig;
import com.retrainconsole.store.StorePortFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills under a serving process, for real: {@code store serve} in a child JVM on an 8 MB tmpfs,
 * a client in this JVM. While the disk is full writes fail with the reason; once space is back the same
 * server answers again without a restart, and the file holds every acknowledged write and none that failed.
 */
class StoreFullDiskTest {
  @TempDir Path dir;
  private Path mount;
  private Process server;

  @AfterEach
  void unmount() throws Exception {
    if (server != null) {
      server.toHandle().destroyForcibly();
      server.waitFor(30, TimeUnit.SECONDS);
    }
    if (mount != null) {
      run("umount", mount.toString());
    }
  }

  private static int run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    if (p.exitValue() != 0) {
      System.out.println(String.join(" ", command) + ": " + output.strip());
    }
    return p.exitValue();
  }

  private void mountSmallFileSystem() throws Exception {
    Path point = Files.createDirectories(dir.resolve("small"));
    int code;
    try {
      code = run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", point.toString());
    } catch (IOException e) {
      code = -1;
    }
    Assumptions.assumeTrue(code == 0, "cannot mount an 8 MB tmpfs here (needs root and mount permission): the"
        + " full-disk test needs a small file system of its own");
    mount = point;
  }

  /** Writes zeros until the file system refuses; returns the filler file. */
  private static Path fill(Path folder) throws IOException {
    Path filler = folder.resolve("filler");
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(filler)) {
      for (int i = 0; i < 10_000; i++) {
        out.write(block);
      }
      fail("8 MB tmpfs never filled");
    } catch (IOException e) {
      assertTrue(String.valueOf(e.getMessage()).contains("No space left"), e.toString());
    }
    return filler;
  }

  @Test
  void a_served_store_answers_again_once_the_full_disk_has_space() throws Exception {
    mountSmallFileSystem();
    Path data = mount.resolve("data");
    Path log = dir.resolve("serve.log");
    server = ChildJvm.start(log, com.retrainconsole.app.Launcher.class, "store", "serve", "--data-dir",
        data.toString());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (StorePortFile.read(data).isEmpty()) {
      assertTrue(server.isAlive(), "server exited: " + Files.readString(log));
      assertTrue(System.nanoTime() < deadline, "no port file: " + Files.readString(log));
      Thread.sleep(50);
    }
    int port = StorePortFile.read(data).orElseThrow().port();
    Set<String> acknowledged = new HashSet<>();
    Set<String> refused = new HashSet<>();
    String uri; // the served store admits only a client that logs in with the secret beside the port file
    try (Store owner = Store.open(StoreConfig.embedded(data))) {
      uri = owner.connectionUri();
    }
    assertTrue(uri.contains(":" + port + "/"), "the login URI names the served port");
    try (MongoClient client = MongoClients.create(uri)) {
      MongoCollection<Document> probe = client.getDatabase(Store.DATABASE).getCollection("probe");
      for (int i = 0; i < 20; i++) {
        probe.insertOne(new Document("_id", "before-" + i));
        acknowledged.add("before-" + i);
      }
      Path filler = fill(mount);

      // the file grows by a chunk per commit: within a few writes one needs space it cannot get
      MongoException failure = null;
      for (int i = 0; i < 200 && failure == null; i++) {
        try {
          probe.insertOne(new Document("_id", "full-" + i));
          acknowledged.add("full-" + i);
        } catch (MongoException e) {
          refused.add("full-" + i);
          failure = e;
        }
      }
      assertTrue(failure != null, "no write failed on a full disk");
      assertTrue(failure.getMessage().contains("No space left on device"), failure.getMessage());
      // while the disk stays full every request says why, and nothing is acknowledged
      try {
        probe.insertOne(new Document("_id", "still-full"));
        fail("a write was acknowledged on a full disk");
      } catch (MongoException e) {
        refused.add("still-full");
        assertTrue(e.getMessage().contains("bytes free on its disk: free some space"), e.getMessage());
      }

      Files.delete(filler);
      // the same server, the same client: writes go through again without a restart
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      String lastError = null;
      int attempt = 0;
      while (true) {
        String id = "after-" + attempt++;
        try {
          probe.insertOne(new Document("_id", id));
          acknowledged.add(id);
          break;
        } catch (MongoException e) {
          refused.add(id);
          lastError = e.getMessage();
        }
        assertTrue(System.nanoTime() < deadline, "the server never recovered: " + lastError);
        Thread.sleep(100);
      }
      for (int i = 0; i < 5; i++) {
        probe.insertOne(new Document("_id", "later-" + i));
        acknowledged.add("later-" + i);
      }
      assertEquals(acknowledged.size(), probe.countDocuments());
      assertTrue(server.isAlive(), "the serving process kept running");
    }
    server.destroy(); // SIGTERM: a clean close
    assertTrue(server.waitFor(30, TimeUnit.SECONDS));
    assertTrue(Files.notExists(StorePortFile.path(data)), "closed cleanly: " + Files.readString(log));
    assertTrue(Files.readString(log).contains("reopened " + data.toAbsolutePath().normalize().resolve("retrain.mv.db")
        + " after a failed write (No space left on device)"), Files.readString(log));

    try (Store store = Store.open(StoreConfig.embedded(data))) {
      Set<String> stored = new HashSet<>();
      store.collection("probe").find().forEach(d -> stored.add(d.getString("_id")));
      assertEquals(acknowledged, stored, "exactly the acknowledged writes; refused: " + refused);
    }
  }

  @Test
  void a_backup_that_would_fill_the_disk_is_not_started() throws Exception {
    mountSmallFileSystem();
    Path data = mount.resolve("data");
    try (Store store = Store.open(StoreConfig.embedded(data))) {
      store.collection("probe").insertOne(new Document("_id", "a"));
      Path filler = fill(mount);
      // leave 2 MB: room for the store's commits, not for a snapshot and a backup beside them
      try (var channel = java.nio.channels.FileChannel.open(filler, java.nio.file.StandardOpenOption.WRITE)) {
        channel.truncate(channel.size() - (2 << 20));
      }
      assertTrue(store.backupIfDue(java.time.Instant.now()).isEmpty(), "no backup on a nearly full disk");
      assertTrue(com.retrainconsole.store.StoreBackups.list(data).isEmpty());
      store.collection("probe").insertOne(new Document("_id", "b")); // the store still writes
      assertEquals(2, store.collection("probe").countDocuments());
      Files.delete(filler);
      assertTrue(store.backupIfDue(java.time.Instant.now()).isEmpty(), "a failed daily backup waits an hour");
      assertTrue(store.backupIfDue(java.time.Instant.now().plus(java.time.Duration.ofHours(2))).isPresent());
    }
  }
}
