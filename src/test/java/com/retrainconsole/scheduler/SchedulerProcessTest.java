package com.retrainconsole.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.runs.EnqueueRequest;
import com.retrainconsole.runs.QueueItem;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.runs.RetryPolicy;
import com.retrainconsole.runs.RunQueue;
import com.retrainconsole.store.Collections;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole scheduler processes (the real Launcher, {@code scheduler} sub-command, each training in its own
 * worker child) killed, frozen and stopped for real, while another instance on the same store picks up
 * the pieces. The store is this JVM's in-memory server; the children reach it with its mongodb:// URI.
 *
 * <p>decision: instance B is an in-test {@link Scheduler} training on a thread: it only has to recover and
 * finish the run, and a thread saves a JVM start per test on a suite that is child-JVM heavy. Its retry
 * backoff is 200 ms instead of 5 min, so "the retry completes" happens within the test.
 */
class SchedulerProcessTest {
  static final Duration LEASE = Duration.ofSeconds(3);
  static final Duration TICK = Duration.ofSeconds(1);
  static final Duration MAX = Duration.ofSeconds(90); // safety net for a loaded machine, not a measure

  @TempDir static Path root;
  static Fixture fx;

  final List<Process> children = new ArrayList<>();
  final List<Scheduler> schedulers = new ArrayList<>();

  @BeforeAll
  static void simulate() {
    fx = new Fixture(root, Clock.systemUTC(), List.of("kill9", "stop1", "term1"), 6, Duration.ofMinutes(5));
  }

  @AfterAll
  static void close() {
    fx.close();
  }

  @AfterEach
  void stopEverything() throws InterruptedException {
    schedulers.forEach(Scheduler::shutdown);
    for (Process p : children) {
      p.toHandle().descendants().forEach(h -> {
        resume(h.pid()); // a frozen process ignores SIGKILL until it runs again
        h.destroyForcibly();
      });
      resume(p.pid());
      p.toHandle().destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Scheduler A: a real `scheduler` process on the shared store. */
  Process schedulerProcess(String name, String... extra) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), "com.retrainconsole.app.Launcher",
        "scheduler", "--tick", "1s", "--lease", "3s", "--heartbeat", "1s",
        "--mongo-uri", fx.store.connectionUri(),
        "--data-dir", root.resolve(name).toString(), "--models-dir", fx.modelsDir.toString()));
    command.addAll(List.of(extra));
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(root.resolve(name + ".log").toFile()).start();
    children.add(p);
    return p;
  }

  /** Scheduler B: in this JVM, with its own queue (short retry backoff) on the same store. */
  Scheduler schedulerB() {
    RunQueue queue = new RunQueue(fx.store, Clock.systemUTC(),
        new RetryPolicy(3, List.of(Duration.ofMillis(200)), Duration.ofMinutes(1), 0.0),
        (device, runId) -> fx.ctx.registry().versionInServiceOfRun(device, runId));
    Scheduler b = new Scheduler(queue, new InProcessRunExecutor(fx.ctx.retrain(), queue), TriggerTick.NONE,
        Clock.systemUTC(), SchedulerConfig.defaults().withOwner("B").withTick(TICK)
        .withLease(LEASE, Duration.ofSeconds(1)));
    schedulers.add(b);
    b.start();
    return b;
  }

  /** A forest run on the newest 3 days (seconds of training, so "mid-training" is a wide window). */
  static String enqueue(String device) {
    return fx.queue.enqueue(EnqueueRequest.manual(device,
        new RunRecord.Params(3, null, "forest", false), "tester", "test")).runId();
  }

  /**
   * decision: once A's worker trains (it read its params when it resumed the claim), the record's trainer
   * becomes cart, so the attempt B runs (a retry copies the record's params; a released run is re-read at
   * claim) takes one second instead of a forest's many on a loaded machine. The fault handling under test
   * does not depend on the trainer.
   */
  static void quickerFromNowOn(String runId) {
    fx.store.collection(Collections.MODEL_RUNS).updateOne(new Document("run_id", runId),
        new Document("$set", new Document("params.trainer", "cart")));
  }

  static String status(String runId) {
    return fx.run(runId).getString("status");
  }

  static boolean training(String runId) {
    Document p = fx.run(runId).get("progress", Document.class);
    return p != null && "train".equals(p.getString("stage"));
  }

  static long running(String device) {
    return fx.store.collection(Collections.MODEL_RUNS).countDocuments(
        new Document("device_id", device).append("status", "running"));
  }

  static Document retryOf(String runId) {
    return fx.store.collection(Collections.MODEL_RUNS).find(new Document("retry_of", runId)).first();
  }

  /** The worker child of a scheduler process, once it has started one. */
  static ProcessHandle workerOf(Process scheduler, Path log) {
    await("scheduler A's worker process", log, scheduler,
        () -> scheduler.toHandle().children().anyMatch(ProcessHandle::isAlive));
    return scheduler.toHandle().children().filter(ProcessHandle::isAlive).findFirst().orElseThrow();
  }

  /** Polls until the condition holds; on giving up, shows the scheduler's output. */
  static void await(String what, Path log, Process child, BooleanSupplier condition) {
    long deadline = System.nanoTime() + MAX.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up waiting for: " + what + (log == null ? "" : "\n" + read(log)));
      }
      sleep(20);
    }
  }

  /** Gone or a zombie (exited, not yet reaped because its parent is frozen). */
  static boolean ended(ProcessHandle h) {
    if (!h.isAlive()) {
      return true;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(h.pid()), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return true; // no /proc entry: gone
    }
  }

  static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log) : "(no log)";
    } catch (IOException e) {
      return e.toString();
    }
  }

  static void signal(String signal, long pid) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
      assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal + " " + pid);
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  static void resume(long pid) {
    try {
      new ProcessBuilder("kill", "-CONT", Long.toString(pid)).start().waitFor(10, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      // best effort in cleanup
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** A's owner id carries its pid; the claim of the run must be A's, or the test proves nothing. */
  static void assertClaimedBy(Process a, String runId) {
    String owner = fx.run(runId).getString("lease_owner");
    assertNotNull(owner);
    assertTrue(owner.contains(":" + a.pid() + ":"), "claimed by " + owner + ", not scheduler A (pid " + a.pid() + ")");
  }

  @Test
  void kill_9_of_a_scheduler_mid_training_is_recovered_by_another() throws Exception {
    Path log = root.resolve("a-kill.log");
    Process a = schedulerProcess("a-kill");
    String id = enqueue("kill9");
    await("A to train the run", log, a, () -> training(id));
    assertClaimedBy(a, id);
    quickerFromNowOn(id);
    ProcessHandle worker = workerOf(a, log);

    a.toHandle().destroyForcibly(); // SIGKILL: no shutdown hook, no release, the lease just stops
    a.waitFor(10, TimeUnit.SECONDS);
    long killed = System.nanoTime();
    // the orphaned worker notices its scheduler is gone and halts itself
    await("the orphaned worker to stop", null, null, () -> !worker.isAlive());
    String workerLog = read(root.resolve("a-kill").resolve("logs").resolve("worker-" + id + ".log"));
    assertTrue(workerLog.contains("scheduler process " + a.pid() + " is gone; stopping run " + id), workerLog);
    assertEquals("running", status(id), "nobody has closed the run yet");

    schedulerB();
    await("B to mark the run failed", null, null, () -> "failed".equals(status(id)));
    System.out.printf("kill -9: run failed %d ms after the kill (lease %s + tick %s)%n",
        (System.nanoTime() - killed) / 1_000_000, LEASE, TICK);
    assertTrue(fx.run(id).getString("error").startsWith("worker lost (lease expired at "), fx.run(id).getString("error"));
    await("the retry to complete", null, null, () -> {
      Document r = retryOf(id);
      return r != null && "completed".equals(r.getString("status"));
    });
    Document retry = retryOf(id);
    assertEquals(2, retry.getInteger("attempt"));
    assertEquals("B", retry.getString("lease_owner"));
    assertEquals(1, fx.retriesOf(id));
    assertEquals(0, running("kill9"));
    // the record says completed a moment before the finishing worker deletes its queue item
    await("no queue item left for the device", null, null,
        () -> fx.store.collection(Collections.RUN_QUEUE).countDocuments(new Document("device_id", "kill9")) == 0);
    assertEquals(1, fx.modelFiles("kill9"), "only the retry saved a model");
  }

  @Test
  void sigstop_past_the_lease_then_sigcont_records_exactly_one_promotion() throws Exception {
    Path log = root.resolve("a-stop.log");
    Process a = schedulerProcess("a-stop");
    String id = enqueue("stop1");
    await("A to train the run", log, a, () -> training(id));
    assertClaimedBy(a, id);
    quickerFromNowOn(id);
    ProcessHandle worker = workerOf(a, log);
    long staleToken = fx.run(id).get("token", Number.class).longValue();

    signal("STOP", a.pid());
    signal("STOP", worker.pid());
    schedulerB();
    await("B to mark the frozen run failed", null, null, () -> "failed".equals(status(id)));
    await("B to complete the retry", null, null, () -> {
      Document r = retryOf(id);
      return r != null && "completed".equals(r.getString("status"));
    });
    Document retry = retryOf(id);
    Document promoted = retry.get("decision", Document.class);
    assertTrue(promoted.getBoolean("promoted"), "the retry is the device's first model: " + retry.toJson());
    String retryVersion = retry.get("model", Document.class).getString("version");
    schedulers.forEach(Scheduler::shutdown); // B is done; from here only A could write

    // the worker wakes first while its scheduler still sleeps (alive, so the worker does not halt itself):
    // it finishes training and tries to go on with a token that was taken over
    signal("CONT", worker.pid());
    await("the stale worker to give up", null, null, () -> ended(worker));
    signal("CONT", a.pid());
    String workerLog = read(root.resolve("a-stop").resolve("logs").resolve("worker-" + id + ".log"));
    assertTrue(workerLog.contains("status failed"), "the stale worker ran to its end and found the run failed: "
        + workerLog);

    Document stale = fx.run(id);
    assertEquals("failed", stale.getString("status"));
    assertTrue(stale.getString("error").startsWith("worker lost"), stale.getString("error"));
    // recovery writes its takeover's token on the record it closes; the stale worker could not write after it
    assertEquals(staleToken + 1, stale.get("token", Number.class).longValue(), "closed by B's takeover, and the "
        + "stale attempt wrote nothing more");
    assertEquals("worker_lost", stale.getString("error_kind"));
    assertFalse(stale.containsKey("model"), "the stale attempt recorded no model");
    List<Document> promotions = fx.store.collection(Collections.AUDIT)
        .find(new Document("device_id", "stop1").append("action", "promote")).into(new ArrayList<>());
    assertEquals(1, promotions.size(), "exactly one promotion: " + promotions);
    assertEquals(retryVersion, promotions.get(0).getString("to_version"));
    assertEquals(retryVersion, fx.ctx.registry().current("stop1").orElseThrow().version());
    assertEquals(1, fx.modelFiles("stop1"), "the stale attempt left no model file");
    assertEquals(0, running("stop1"));

    // A, woken, keeps working: it claims and settles the next run (an unknown device fails fast)
    String next = fx.queue.enqueue(EnqueueRequest.manual("no-such-device",
        new RunRecord.Params(2, null, "cart", false), "tester", "test")).runId();
    await("A to settle a new run", log, a, () -> "failed".equals(status(next)));
    assertClaimedBy(a, next);
    assertTrue(a.isAlive(), read(log));
    assertEquals(1, fx.store.collection(Collections.AUDIT)
        .countDocuments(new Document("device_id", "stop1").append("action", "promote")));
  }

  @Test
  void sigterm_mid_run_releases_the_run_and_another_instance_completes_it() throws Exception {
    Path log = root.resolve("a-term.log");
    Process a = schedulerProcess("a-term", "--grace", "1s");
    String id = enqueue("term1");
    await("A to train the run", log, a, () -> training(id));
    assertClaimedBy(a, id);
    quickerFromNowOn(id);
    ProcessHandle worker = workerOf(a, log);

    a.destroy(); // SIGTERM
    assertTrue(a.waitFor(60, TimeUnit.SECONDS), "A stops on SIGTERM");
    assertEquals(0, a.exitValue(), read(log));
    assertFalse(worker.isAlive(), "A stopped its worker before exiting");
    Document released = fx.run(id);
    assertEquals("pending", released.getString("status"), released.toJson());
    assertNotNull(released.get("released_at"));
    Optional<QueueItem> item = fx.queue.item(id);
    assertTrue(item.isPresent() && item.get().pending(), "back in the queue: " + item);

    schedulerB();
    await("B to complete the released run", null, null, () -> "completed".equals(status(id)));
    Document done = fx.run(id);
    assertEquals("B", done.getString("lease_owner"));
    assertEquals(1, done.getInteger("attempt"), "the same attempt, not a retry");
    assertEquals(0, fx.retriesOf(id));
    assertEquals(0, running("term1"));
  }
}
