package com.retrainconsole.scheduler;

import static com.retrainconsole.scheduler.Fixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.runs.CancelResult;
import com.retrainconsole.runs.Claim;
import com.retrainconsole.store.Collections;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real worker child processes (the app's own Launcher, `worker` sub-command) training real models, killed
 * for real. decision: the forest trainer on 60 days at 5 min (~17k rows) trains for several seconds, so
 * "mid-training" is a wide window; the runs are killed long before they would end.
 */
class WorkerProcessTest {
  @TempDir static Path root;
  static Fixture fx;

  @BeforeAll
  static void simulate() {
    fx = new Fixture(root, Clock.systemUTC(), List.of("cancel1", "kill1", "slow1"), 60, Duration.ofMinutes(5));
  }

  @AfterAll
  static void close() {
    fx.close();
  }

  /** The real process executor, remembering each child's pid and when it died. */
  static final class Processes implements RunExecutor {
    final ProcessRunExecutor real = new ProcessRunExecutor(
        ProcessRunExecutor.javaCommand("com.retrainconsole.app.Launcher"), fx.store.connectionUri(),
        List.of("--models-dir", fx.modelsDir.toString()), root.resolve("logs"));
    final Map<String, Long> pids = new ConcurrentHashMap<>();
    final Map<String, Instant> diedAt = new ConcurrentHashMap<>();

    @Override
    public Execution start(Claim claim) {
      Execution e = real.start(claim);
      pids.put(claim.runId(), e.pid());
      CompletableFuture<Integer> ended = e.ended().thenApply(code -> {
        diedAt.put(claim.runId(), Instant.now());
        return code;
      });
      return new Execution() {
        @Override
        public CompletableFuture<Integer> ended() {
          return ended;
        }

        @Override
        public void kill() {
          e.kill();
        }

        @Override
        public long pid() {
          return e.pid();
        }
      };
    }

    boolean alive(String runId) {
      return ProcessHandle.of(pids.get(runId)).map(ProcessHandle::isAlive).orElse(false);
    }
  }

  static Scheduler scheduler(RunExecutor executor, Duration timeout) {
    return new Scheduler(fx.queue, executor, TriggerTick.NONE, Clock.systemUTC(), SchedulerConfig.defaults()
        .withLease(Duration.ofSeconds(6), Duration.ofSeconds(2)).withTimeout(timeout)
        .withShutdownGrace(Duration.ofSeconds(1)));
  }

  static boolean training(String runId) {
    Document p = fx.run(runId).get("progress", Document.class);
    return p != null && "train".equals(p.getString("stage"));
  }

  @Test
  void cancel_of_a_training_child_kills_it_records_cancelled_and_leaves_no_model_and_no_retry() throws Exception {
    Processes processes = new Processes();
    Scheduler scheduler = scheduler(processes, Duration.ofHours(2));
    String id = fx.enqueue("cancel1", "forest");
    scheduler.tick();
    await("the child to start training", Duration.ofSeconds(60), () -> training(id));
    assertTrue(processes.alive(id));
    long asked = System.nanoTime();
    CancelResult cancel = fx.queue.requestCancel(id, "operator");
    assertEquals(CancelResult.Outcome.REQUESTED, cancel.outcome(), cancel.message());
    await("cancelled", Duration.ofSeconds(30), () -> "cancelled".equals(fx.run(id).getString("status")));
    System.out.printf("cancel: cancelled %d ms after the request%n", (System.nanoTime() - asked) / 1_000_000);
    assertFalse(processes.alive(id), "the worker process must be dead once the run says cancelled");
    assertEquals(0, fx.modelFiles("cancel1"));
    assertEquals(0, fx.retriesOf(id));
    assertEquals("cancelled by operator", fx.run(id).getString("error"));
    scheduler.shutdown();
    assertEquals(0, fx.store.collection(Collections.RUN_QUEUE).countDocuments(new Document("device_id", "cancel1")));
  }

  @Test
  void a_worker_killed_mid_training_fails_its_run_and_is_retried_once_with_nothing_left_running() throws Exception {
    Processes processes = new Processes();
    Scheduler scheduler = scheduler(processes, Duration.ofHours(2));
    String id = fx.enqueue("kill1", "forest");
    scheduler.tick();
    await("the child to start training", Duration.ofSeconds(60), () -> training(id));
    new ProcessBuilder("kill", "-9", Long.toString(processes.pids.get(id))).start().waitFor();
    await("failed", Duration.ofSeconds(30), () -> "failed".equals(fx.run(id).getString("status")));
    Document run = fx.run(id);
    assertTrue(run.getString("error").startsWith("worker ended without a result (exit code 137)"), run.getString("error"));
    await("the retry", Duration.ofSeconds(10), () -> fx.retriesOf(id) >= 1); // written just after the final state
    assertEquals(1, fx.retriesOf(id));
    Document retry = fx.store.collection(Collections.MODEL_RUNS).find(new Document("retry_of", id)).first();
    assertEquals("pending", retry.getString("status"));
    assertEquals(2, retry.getInteger("attempt"));
    assertEquals(0, fx.store.collection(Collections.MODEL_RUNS).countDocuments(
        new Document("device_id", "kill1").append("status", "running")));
    assertEquals(0, fx.modelFiles("kill1"));
    scheduler.shutdown();
  }

  @Test
  void a_timeout_kills_the_worker_marks_timed_out_and_retries_only_after_the_old_attempt_died() throws Exception {
    Processes processes = new Processes();
    // long enough for the JVM to start and reach training, far shorter than the forest's training
    Scheduler scheduler = scheduler(processes, Duration.ofSeconds(6));
    String id = fx.enqueue("slow1", "forest");
    scheduler.tick();
    await("timed out", Duration.ofSeconds(60), () -> "timed_out".equals(fx.run(id).getString("status")));
    assertFalse(processes.alive(id));
    // the retry is enqueued just after the final write (same thread): wait for it, then check its timing
    await("the retry", Duration.ofSeconds(10), () -> fx.retriesOf(id) == 1);
    Document retry = fx.store.collection(Collections.MODEL_RUNS).find(new Document("retry_of", id)).first();
    Instant died = processes.diedAt.get(id);
    assertTrue(!retry.getDate("queued_at").toInstant().isBefore(died.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)),
        "retry queued at " + retry.getDate("queued_at").toInstant() + " before the old attempt died at " + died);
    assertTrue(retry.getDate("due_at").toInstant().isAfter(Instant.now().plusSeconds(200)), "backoff applies");
    assertEquals(0, fx.modelFiles("slow1"));
    scheduler.shutdown();
  }
}
