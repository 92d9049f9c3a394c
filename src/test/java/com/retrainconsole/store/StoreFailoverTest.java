package com.retrainconsole.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoCollection;
import com.retrainconsole.runs.EnqueueRequest;
import com.retrainconsole.runs.RunQueue;
import com.retrainconsole.runs.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process attached to another process's server keeps working when that server is killed: it follows the
 * port file to the next server, or, if it is long-lived (asked to serve) and nobody serves the folder, opens
 * the file and serves it itself. Real processes, killed for real.
 */
class StoreFailoverTest {
  static final long MAX_SECONDS = 90; // safety net for a loaded machine, not a measure

  @TempDir Path dir;
  final List<Process> children = new ArrayList<>();

  @AfterEach
  void stopChildren() throws InterruptedException {
    for (Process p : children) {
      p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly); // a scheduler's worker
      p.toHandle().destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private Path data() {
    return dir.resolve("data");
  }

  private Process launcher(String name, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xshare:auto",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "com.retrainconsole.app.Launcher"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile()).start();
    children.add(p);
    return p;
  }

  /** A `store serve` child, once its port file is there. */
  private Process server(String name) throws Exception {
    Process p = launcher(name, "store", "serve", "--data-dir", data().toString());
    await(name + "'s port file", name, () -> servedBy(p.pid()));
    return p;
  }

  private boolean servedBy(long pid) {
    return StorePortFile.read(data()).map(e -> e.pid() == pid).orElse(false);
  }

  private void await(String what, String log, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MAX_SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        Path file = dir.resolve(log + ".log");
        throw new AssertionError("timed out waiting for " + what
            + (Files.exists(file) ? ":\n" + Files.readString(file) : ""));
      }
      Thread.sleep(20);
    }
  }

  private static boolean inserts(MongoCollection<Document> collection, Document doc) {
    try {
      collection.insertOne(doc);
      return true;
    } catch (RuntimeException e) {
      return false; // the server is gone and the next one not yet reached
    }
  }

  @Test
  void a_long_lived_client_takes_the_file_over_when_its_server_is_killed() throws Exception {
    Process a = server("a");
    try (Store b = Store.open(StoreConfig.embedded(data())).serveOnLoopback()) {
      assertFalse(b.isEmbedded(), "attached to A as a client: " + b.describe());
      MongoCollection<Document> ticks = b.collection("ticks"); // held across the switch, as services do
      ticks.insertOne(new Document("n", 1));

      long killed = System.nanoTime();
      a.destroyForcibly();
      await("B to serve the folder", "a", () -> servedBy(ProcessHandle.current().pid()));
      long tookOver = System.nanoTime();
      await("B's next write", "a", () -> inserts(ticks, new Document("n", 2)));
      long writes = System.nanoTime();
      System.out.printf("failover: B served the file %d ms after A was killed, wrote %d ms after%n",
          TimeUnit.NANOSECONDS.toMillis(tookOver - killed), TimeUnit.NANOSECONDS.toMillis(writes - killed));

      assertTrue(b.isEmbedded() && b.describe().startsWith("embedded ("), b.describe());
      assertEquals(2, ticks.countDocuments(), "A's committed write and B's own");
      assertTrue(Files.exists(StoreSecret.path(data())), "B lets others in like any server");
      assertTrue(b.connectionUri().contains(":" + b.embeddedPort().orElseThrow() + "/"), "children reach B now");
    }
    assertFalse(Files.exists(StorePortFile.path(data())), "B's close removes its port file");
  }

  @Test
  void a_client_follows_the_port_file_to_the_next_server() throws Exception {
    Process a = server("a");
    try (Store b = Store.open(StoreConfig.embedded(data()))) { // a command: it never takes the file itself
      MongoCollection<Document> ticks = b.collection("ticks");
      ticks.insertOne(new Document("n", 1));
      a.destroyForcibly();
      a.waitFor(10, TimeUnit.SECONDS);
      assertFalse(inserts(ticks, new Document("n", -1)), "nobody serves the file: B waits, it does not take it");

      Process c = server("c");
      long started = System.nanoTime();
      await("B's write through C", "c", () -> inserts(ticks, new Document("n", 2)));
      System.out.printf("failover: B wrote through C %d ms after C's port file appeared%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      assertTrue(b.describe().contains("(pid " + c.pid() + ")"), b.describe());
      assertEquals(2, ticks.countDocuments());
      assertNotEquals(a.pid(), StorePortFile.read(data()).orElseThrow().pid());
    }
  }

  @Test
  void a_scheduler_attached_as_a_client_outlives_its_server_and_runs_the_next_run_in_a_worker() throws Exception {
    Process a = server("a");
    Process b = launcher("b", "scheduler", "--tick", "1s",
        "--data-dir", data().toString(), "--models-dir", dir.resolve("models").toString());
    await("scheduler B attached to A", "b", () -> logOf("b").contains("running on embedded via store serve"));

    long killed = System.nanoTime();
    a.destroyForcibly();
    await("scheduler B to serve the folder", "b", () -> servedBy(b.pid()));
    System.out.printf("failover: scheduler B served the file %d ms after A was killed%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));

    try (Store client = Store.open(StoreConfig.embedded(data()))) {
      assertTrue(client.describe().contains("(pid " + b.pid() + ")"), client.describe());
      String runId = new RunQueue(client, Clock.systemUTC())
          .enqueue(EnqueueRequest.manual("d1", new RunRecord.Params(1, null, null, false), "tester", "after the failover")).runId();
      await("B's worker to finish the run", "b", () -> {
        Document run = client.collection(Collections.MODEL_RUNS).find(new Document("run_id", runId)).first();
        return run != null && !"pending".equals(run.getString("status")) && !"running".equals(run.getString("status"));
      });
      // the worker child reached the store through B's new URI (with A's it would end "without a result")
      // and failed on what the run asked for: a device this empty store does not have
      String error = client.collection(Collections.MODEL_RUNS).find(new Document("run_id", runId)).first()
          .getString("error");
      assertTrue(error != null && error.startsWith("Unknown device 'd1'"), error);
    }
    assertTrue(b.isAlive(), logOf("b"));
  }

  private String logOf(String name) {
    try {
      return Files.readString(dir.resolve(name + ".log"));
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
