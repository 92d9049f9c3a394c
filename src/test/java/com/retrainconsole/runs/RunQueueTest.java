package com.retrainconsole.runs;

import com.retrainconsole.testing.SettableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The queue's claim, lease, fence, cancel and recovery rules on the real embedded server. */
class RunQueueTest {
  static final Duration LEASE = Duration.ofSeconds(30);
  static final int ROUNDS = 60; // ~50 ms each; both outcomes show up within a few dozen rounds

  Store store;
  SettableClock clock;
  RunQueue queue;
  String versionInService; // what the fake pointer check answers for any run

  @BeforeEach
  void open() {
    store = Store.openInMemory();
    clock = new SettableClock(Instant.parse("2026-06-01T00:00:00Z"));
    queue = new RunQueue(store, clock, RetryPolicy.defaults(),
        (device, runId) -> Optional.ofNullable(versionInService));
  }

  @AfterEach
  void close() {
    store.close();
  }

  String enqueue(String device) {
    return queue.enqueue(EnqueueRequest.manual(device, new RunRecord.Params(10, null, "xgboost", false),
        "tester", "test")).runId();
  }

  /** The run record as stored. */
  Document run(String runId) {
    return java.util.Objects.requireNonNull(
        store.collection(Collections.MODEL_RUNS).find(new Document("run_id", runId)).first(), runId);
  }

  /** A completed run's end carrying only its candidate MAE. */
  static RunEnd maeOnly(double mae) {
    return RunEnd.completed(new RunResult(null, new RunRecord.Metrics(mae, null, null, null), null, null, null, null,
        null, null, null), null, null, null);
  }

  long queueSize() {
    return store.collection(Collections.RUN_QUEUE).countDocuments();
  }

  @Test
  void a_claim_takes_the_oldest_due_run_and_copies_token_and_lease_to_the_run_record() {
    String first = enqueue("a");
    clock.advance(Duration.ofSeconds(1));
    enqueue("b");
    Claim claim = queue.claim("s1", LEASE).orElseThrow();
    assertEquals(first, claim.runId());
    assertEquals(1L, claim.token());
    Document r = run(first);
    assertEquals("running", r.getString("status"));
    assertEquals(1L, r.get("token", Number.class).longValue());
    assertEquals("s1", r.getString("lease_owner"));
    assertEquals(Date.from(clock.instant().plus(LEASE)), r.getDate("lease_until"));
    assertNotNull(r.getDate("started_at"));
    assertEquals("xgboost", claim.params().trainer());
    assertEquals("manual", claim.trigger().type());
  }

  @Test
  void a_device_runs_one_run_at_a_time_and_the_claim_moves_on_to_another_device() {
    String a1 = enqueue("a");
    clock.advance(Duration.ofSeconds(1));
    String a2 = enqueue("a");
    clock.advance(Duration.ofSeconds(1));
    String b1 = enqueue("b");
    assertEquals(a1, queue.claim("s1", LEASE).orElseThrow().runId());
    // a second scheduler: a2 is due first but device a is busy (unique running_device index)
    Claim second = queue.claim("s2", LEASE).orElseThrow();
    assertEquals(b1, second.runId());
    assertTrue(queue.claim("s2", LEASE).isEmpty());
    // the index is enforced by the server, not only by the claim's own bookkeeping
    assertThrows(com.mongodb.MongoException.class, () -> store.collection(Collections.RUN_QUEUE).updateOne(
        new Document("run_id", a2), new Document("$set", new Document("running_device", "a"))));
    assertTrue(queue.finish(second, RunStatus.COMPLETED, RunEnd.none()));
    assertTrue(queue.claim("s2", LEASE).isEmpty());
  }

  @Test
  void a_run_is_claimed_only_when_due() {
    queue.enqueue(new EnqueueRequest("a", new RunRecord.Trigger("manual", null, null, null), RunRecord.Params.none(), null,
        clock.instant().plus(Duration.ofMinutes(5)), 1, null));
    assertTrue(queue.claim("s1", LEASE).isEmpty());
    clock.advance(Duration.ofMinutes(5));
    assertTrue(queue.claim("s1", LEASE).isPresent());
  }

  @Test
  void a_healthy_heartbeat_keeps_a_long_run_from_being_taken_over() {
    String id = enqueue("a");
    Claim claim = queue.claim("s1", LEASE).orElseThrow();
    for (int i = 0; i < 30; i++) { // 10 minutes, twenty leases long
      clock.advance(Duration.ofSeconds(20));
      assertTrue(queue.heartbeat(claim, LEASE), "heartbeat " + i);
      assertEquals(List.of(), queue.recoverExpired("s2", LEASE), "taken over at heartbeat " + i);
    }
    assertEquals("running", run(id).getString("status"));
    assertTrue(queue.finish(claim, RunStatus.COMPLETED, maeOnly(1.0)));
    assertEquals("completed", run(id).getString("status"));
    assertEquals(0, queueSize());
  }

  @Test
  void an_expired_lease_fails_the_run_as_worker_lost_and_enqueues_exactly_one_retry_with_backoff() {
    String id = enqueue("a");
    Claim claim = queue.claim("s1", LEASE).orElseThrow();
    Instant expiredAt = claim.leaseUntil();
    clock.advance(LEASE.plusSeconds(1));
    List<RunQueue.Recovered> first = queue.recoverExpired("s2", LEASE);
    List<RunQueue.Recovered> second = queue.recoverExpired("s3", LEASE);
    assertEquals(1, first.size());
    assertEquals(List.of(), second);
    Document failed = run(id);
    assertEquals("failed", failed.getString("status"));
    assertEquals("worker lost (lease expired at " + expiredAt + ")", failed.getString("error"));
    List<Document> retries = store.collection(Collections.MODEL_RUNS).find(new Document("retry_of", id))
        .into(new ArrayList<>());
    assertEquals(1, retries.size());
    Document retry = retries.get(0);
    assertEquals(2, retry.getInteger("attempt"));
    assertEquals(first.get(0).retryRunId(), retry.getString("run_id"));
    Duration backoff = Duration.between(clock.instant(), retry.getDate("due_at").toInstant());
    assertTrue(backoff.compareTo(Duration.ofSeconds(270)) >= 0 && backoff.compareTo(Duration.ofSeconds(330)) <= 0,
        "backoff " + backoff + " is not 5 min ±10%");
    assertTrue(queue.claim("s2", LEASE).isEmpty(), "the retry must wait for its backoff");
    clock.advance(Duration.ofMinutes(6));
    assertEquals(retry.getString("run_id"), queue.claim("s2", LEASE).orElseThrow().runId());
  }

  @Test
  void enqueue_all_writes_a_batch_in_order_and_a_fire_key_already_queued_names_the_existing_run() {
    EnqueueRequest first = new EnqueueRequest("a", new RunRecord.Trigger("cron", null, null, null), RunRecord.Params.none(), "trg-1:slot1",
        null, 1, null);
    String existing = queue.enqueue(first).runId();
    List<RunQueue.Planned> batch = List.of(
        queue.plan(EnqueueRequest.manual("b", RunRecord.Params.none(), "tester", "test")),
        queue.plan(first), // fired again by a second scheduler
        queue.plan(new EnqueueRequest("c", new RunRecord.Trigger("cron", null, null, null), RunRecord.Params.none(), "trg-2:slot1", null, 1,
            null)));
    List<Enqueued> out = queue.enqueueAll(batch);
    assertEquals(3, out.size());
    assertEquals(new Enqueued(batch.get(0).runId(), true), out.get(0));
    assertEquals(new Enqueued(existing, false), out.get(1));
    assertEquals(new Enqueued(batch.get(2).runId(), true), out.get(2));
    assertEquals(3, store.collection(Collections.MODEL_RUNS).countDocuments());
    assertEquals(3, queueSize(), "one item per run, none for the repeated fire");
    assertEquals("pending", run(out.get(2).runId()).getString("status"));
  }

  @Test
  void finish_with_retry_ends_the_run_and_queues_its_next_attempt_once() {
    String id = enqueue("a");
    Claim claim = queue.claim("s1", LEASE).orElseThrow();
    RunQueue.Finished f = queue.finishWithRetry(claim, RunStatus.FAILED, RunEnd.error(FailureKind.WORKER_EXITED, "no result"))
        .orElseThrow();
    assertEquals("failed", run(id).getString("status"));
    List<Document> retries = store.collection(Collections.MODEL_RUNS).find(new Document("retry_of", id))
        .into(new ArrayList<>());
    assertEquals(1, retries.size());
    assertEquals(f.retryRunId(), retries.get(0).getString("run_id"));
    assertEquals(1, queueSize(), "only the retry's item is left");
    assertTrue(queue.finishWithRetry(claim, RunStatus.FAILED, RunEnd.none()).isEmpty(), "a second finish is fenced");
  }

  @Test
  void a_crash_between_the_final_write_and_the_retry_is_repaired_by_recovery_with_exactly_one_retry() {
    String failedId = enqueue("a");
    String completedId = enqueue("b");
    Claim failed = queue.claim("s1", LEASE).orElseThrow();
    Claim completed = queue.claim("s1", LEASE).orElseThrow();
    // what a scheduler killed inside finishWithRetry / finish leaves: the item's final phase (with the wish to
    // retry, or not) and the run's final record written; no retry queued, the item not yet deleted
    var items = store.collection(Collections.RUN_QUEUE);
    items.updateOne(new Document("run_id", failed.runId()), new Document("$set", new Document("phase",
        QueuePhase.DONE.wire()).append("final_status", "failed").append("retry_wanted", true)));
    items.updateOne(new Document("run_id", completed.runId()), new Document("$set", new Document("phase",
        QueuePhase.DONE.wire()).append("final_status", "completed").append("retry_wanted", false)));
    var runs = store.collection(Collections.MODEL_RUNS);
    runs.updateOne(new Document("run_id", failedId), new Document("$set", new Document("status", "failed")
        .append("error", "worker ended without a result (exit code 1)")));
    runs.updateOne(new Document("run_id", completedId), new Document("$set", new Document("status", "completed")));

    clock.advance(LEASE.plusSeconds(1));
    List<RunQueue.Recovered> first = queue.recoverExpired("s2", LEASE);
    assertEquals(2, first.size());
    assertEquals(List.of(), queue.recoverExpired("s3", LEASE));
    assertEquals("worker ended without a result (exit code 1)", run(failedId).getString("error"),
        "the final record is kept as written");
    assertEquals(1, runs.countDocuments(new Document("retry_of", failedId)), "the lost retry is queued once");
    assertEquals(0, runs.countDocuments(new Document("retry_of", completedId)), "no retry for a completed run");
    assertEquals(1, queueSize());
  }

  @Test
  void retries_stop_after_three_attempts() {
    enqueue("a");
    int runs = 0;
    for (int attempt = 1; attempt <= 4; attempt++) {
      clock.advance(Duration.ofHours(1));
      Optional<Claim> claim = queue.claim("s1", LEASE);
      if (claim.isEmpty()) {
        break;
      }
      runs++;
      assertEquals(attempt, claim.get().attempt());
      clock.advance(LEASE.plusSeconds(1));
      queue.recoverExpired("s2", LEASE);
    }
    assertEquals(3, runs);
    assertEquals(3, store.collection(Collections.MODEL_RUNS).countDocuments(new Document("status", "failed")));
    assertEquals(0, queueSize());
  }

  @Test
  void a_stale_claim_can_neither_heartbeat_nor_finish_nor_pass_its_fence() {
    String id = enqueue("a");
    Claim stale = queue.claim("s1", LEASE).orElseThrow();
    ClaimedRun staleRun = queue.claimed(stale);
    staleRun.check(); // holds while the claim holds
    clock.advance(LEASE.plusSeconds(1));
    queue.recoverExpired("s2", LEASE);
    assertFalse(queue.heartbeat(stale, LEASE));
    assertFalse(queue.finish(stale, RunStatus.COMPLETED, maeOnly(0.1)));
    FencedOutException e = assertThrows(FencedOutException.class, staleRun::check);
    assertTrue(e.getMessage().contains("no longer queued"), e.getMessage());
    assertThrows(FencedOutException.class, staleRun::beginFinalize);
    assertEquals("failed", run(id).getString("status"), "the late success must not overwrite the recovery");
  }

  @Test
  void a_token_taken_over_while_the_worker_is_frozen_fences_it_out_mid_run() {
    enqueue("a");
    Claim stale = queue.claim("s1", LEASE).orElseThrow();
    clock.advance(LEASE.plusSeconds(1));
    // recovery bumps the token before it closes the item: a worker that wakes up in between is fenced
    store.collection(Collections.RUN_QUEUE).updateOne(new Document("run_id", stale.runId()),
        new Document("$inc", new Document("token", 1L)));
    FencedOutException e = assertThrows(FencedOutException.class, () -> queue.claimed(stale).check());
    assertTrue(e.getMessage().contains("superseded"), e.getMessage());
  }

  @Test
  void cancel_of_a_pending_run_cancels_it_at_once_and_nothing_claims_it() {
    String id = enqueue("a");
    CancelResult r = queue.requestCancel(id, "op");
    assertEquals(CancelResult.Outcome.CANCELLED, r.outcome());
    assertEquals("cancelled", run(id).getString("status"));
    assertEquals(0, queueSize());
    assertTrue(queue.claim("s1", LEASE).isEmpty());
    assertEquals(CancelResult.Outcome.ALREADY_FINAL, queue.requestCancel(id, "op").outcome());
    assertEquals(CancelResult.Outcome.UNKNOWN, queue.requestCancel("run-nope", "op").outcome());
  }

  @Test
  void cancel_racing_completion_resolves_to_exactly_one_final_state() throws Exception {
    int cancelled = 0;
    int completed = 0;
    for (int i = 0; i < ROUNDS; i++) {
      String id = enqueue("dev" + i);
      Claim claim = queue.claim("s1", LEASE).orElseThrow();
      ClaimedRun worker = queue.claimed(claim);
      CyclicBarrier start = new CyclicBarrier(2);
      AtomicReference<Boolean> workerWon = new AtomicReference<>();
      Thread t = new Thread(() -> {
        try {
          start.await();
          worker.beginFinalize();
          workerWon.set(worker.finish(RunStatus.COMPLETED, maeOnly(1.0)));
        } catch (FencedOutException e) {
          workerWon.set(false);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      t.start();
      start.await();
      CancelResult cancel = queue.requestCancel(id, "op");
      t.join();
      if (cancel.outcome() == CancelResult.Outcome.REQUESTED) {
        // the owning scheduler sees the cancel and, once the work is stopped, records it
        assertTrue(queue.finish(claim, RunStatus.CANCELLED, RunEnd.error(null, "cancelled by op")));
      }
      String status = run(id).getString("status");
      if (workerWon.get()) {
        assertEquals("completed", status);
        assertTrue(cancel.outcome() == CancelResult.Outcome.ALREADY_FINISHING
            || cancel.outcome() == CancelResult.Outcome.ALREADY_FINAL, cancel.toString());
        completed++;
      } else {
        assertEquals(CancelResult.Outcome.REQUESTED, cancel.outcome());
        assertEquals("cancelled", status);
        assertFalse(queue.finish(claim, RunStatus.COMPLETED, RunEnd.none()), "a late success is rejected");
        cancelled++;
      }
      assertEquals(0, queueSize());
    }
    assertEquals(ROUNDS, cancelled + completed);
    System.out.printf("cancel race: %d cancelled, %d completed%n", cancelled, completed);
  }

  @Test
  void a_cancel_that_loses_to_finalizing_says_the_run_is_already_finishing() {
    String id = enqueue("a");
    Claim claim = queue.claim("s1", LEASE).orElseThrow();
    queue.claimed(claim).beginFinalize();
    CancelResult r = queue.requestCancel(id, "op");
    assertEquals(CancelResult.Outcome.ALREADY_FINISHING, r.outcome());
    assertTrue(r.message().contains("already finishing"), r.message());
  }

  @Test
  void a_timeout_loses_to_finalizing_and_wins_over_running() {
    enqueue("a");
    Claim claim = queue.claim("s1", LEASE).orElseThrow();
    assertTrue(queue.beginTimeout(claim));
    assertThrows(FencedOutException.class, () -> queue.claimed(claim).beginFinalize());
    assertFalse(queue.finish(claim, RunStatus.COMPLETED, RunEnd.none()));
    assertTrue(queue.finish(claim, RunStatus.TIMED_OUT, RunEnd.none()));
    enqueue("b");
    Claim other = queue.claim("s1", LEASE).orElseThrow();
    queue.claimed(other).beginFinalize();
    assertFalse(queue.beginTimeout(other));
  }

  @Test
  void recovery_of_a_run_lost_while_finalizing_asks_the_pointer() {
    String promotedRun = enqueue("a");
    Claim a = queue.claim("s1", LEASE).orElseThrow();
    queue.claimed(a).beginFinalize();
    String lostRun = enqueue("b");
    Claim b = queue.claim("s1", LEASE).orElseThrow();
    queue.claimed(b).beginFinalize();
    clock.advance(LEASE.plusSeconds(1));
    versionInService = "20260601T000000Z-abcdef";
    queue.recoverExpired("s2", LEASE).size();
    // both were answered "in service" here; check the branch that is not
    assertEquals("completed", run(promotedRun).getString("status"));
    assertEquals("20260601T000000Z-abcdef", run(promotedRun).get("model", Document.class).getString("version"));
    assertEquals("completed", run(lostRun).getString("status"));
    String third = enqueue("c");
    Claim c = queue.claim("s1", LEASE).orElseThrow();
    queue.claimed(c).beginFinalize();
    clock.advance(LEASE.plusSeconds(1));
    versionInService = null;
    queue.recoverExpired("s2", LEASE);
    Document failed = run(third);
    assertEquals("failed", failed.getString("status"));
    assertTrue(failed.getString("error").startsWith("worker lost while saving the model"), failed.getString("error"));
    assertEquals(1, store.collection(Collections.MODEL_RUNS).countDocuments(new Document("retry_of", third)));
  }

  @Test
  void release_puts_the_run_back_with_the_same_id_and_fences_the_old_claim() {
    String id = enqueue("a");
    Claim claim = queue.claim("s1", LEASE).orElseThrow();
    assertTrue(queue.release(claim, "shutdown"));
    assertEquals("pending", run(id).getString("status"));
    assertFalse(queue.heartbeat(claim, LEASE));
    Claim again = queue.claim("s2", LEASE).orElseThrow();
    assertEquals(id, again.runId());
    assertTrue(again.token() > claim.token());
    assertEquals(1, again.attempt());
  }

  @Test
  void reconcile_requeues_a_pending_run_without_item_and_drops_an_item_whose_run_is_final() {
    String orphanRun = enqueue("a");
    store.collection(Collections.RUN_QUEUE).deleteOne(new Document("run_id", orphanRun)); // crash between inserts
    String staleItem = enqueue("b");
    store.collection(Collections.MODEL_RUNS).updateOne(new Document("run_id", staleItem),
        new Document("$set", new Document("status", "completed")));
    assertEquals(1, queue.reconcile(), "the fresh orphan is left alone: its item may be on its way");
    clock.advance(Duration.ofMinutes(2));
    assertEquals(1, queue.reconcile());
    assertEquals(orphanRun, queue.claim("s1", LEASE).orElseThrow().runId());
    assertTrue(queue.claim("s1", LEASE).isEmpty());
    assertEquals(0, queue.reconcile());
  }
}
