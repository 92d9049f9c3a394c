package com.retrainconsole.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.common.UserException;
import com.retrainconsole.runs.RunRecord.Params;
import com.retrainconsole.runs.RunRecord.Trigger;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Inline runs' leases on the real embedded server and real time: the holder's renewals keep a run past its
 * first lease, a lapsed lease closes it even when the holder's process lives (its run was abandoned) and
 * when it lives on another host (where its pid says nothing), and a cancel asked on the record reaches the
 * holder. The process-death path (a killed {@code train}) is InlineRunLeaseTest's, with a real child JVM.
 */
class InlineLeaseTest {
  static final Duration LEASE = Duration.ofMillis(1500);
  static final Duration MAX = Duration.ofSeconds(30); // safety net, not a measure

  Store store;
  RunRepository runs;

  @BeforeEach
  void open() {
    store = Store.openInMemory();
    runs = new RunRepository(store, Clock.systemUTC(), InlineLease.Policy.of(LEASE));
  }

  @AfterEach
  void close() {
    store.close();
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + MAX.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up waiting for: " + what);
      }
      Thread.sleep(20);
    }
  }

  private RunRecord start() {
    return runs.startInline("d1", Trigger.manual("test", "ana"), Params.none());
  }

  @Test
  void renewals_keep_a_run_past_its_first_lease_and_once_they_stop_the_lapsed_lease_closes_it() throws Exception {
    RunRecord run = start();
    assertTrue(run.inline());
    assertEquals(OwnerProcess.current().pid(), run.lease().process().pid());
    Instant firstLease = run.lease().until();
    AtomicInteger stops = new AtomicInteger();
    try (InlineLease lease = runs.hold(run, stops::incrementAndGet)) {
      await("the first lease to lapse", () -> Instant.now().isAfter(firstLease.plus(LEASE.dividedBy(3))));
      RunRecord read = runs.requireRecord(run.runId()); // a reader that judges leases
      assertEquals(RunStatus.RUNNING, read.status(), "renewed, so still running: " + read.stored().toJson());
      assertTrue(read.lease().until().isAfter(firstLease), "the lease moved on");
      lease.check(); // still ours: a promotion would go ahead
      assertEquals(0, stops.get());
    }
    // the holder's process lives (this JVM), but nothing renews the run any more: abandoned
    await("the lapsed lease to close the run", () -> runs.requireRecord(run.runId()).isFinal());
    RunRecord closed = runs.requireRecord(run.runId());
    assertEquals(RunStatus.FAILED, closed.status());
    assertEquals(FailureKind.PROCESS_LOST, closed.failure());
    assertTrue(closed.error().startsWith("process lost (") && closed.error().contains("expired"), closed.error());
  }

  @Test
  void a_holder_whose_run_was_closed_stops_its_work_and_is_fenced_out() throws Exception {
    RunRecord run = start();
    AtomicInteger stops = new AtomicInteger();
    try (InlineLease lease = runs.hold(run, stops::incrementAndGet)) {
      // another reader judged the holder gone (e.g. a long pause on a host it cannot see) and closed the run
      assertTrue(runs.finish(run.runId(), RunStatus.FAILED, RunEnd.error(FailureKind.PROCESS_LOST, "process lost")));
      await("the holder to notice", () -> stops.get() == 1);
      assertEquals(HeartbeatState.LOST, lease.state());
      assertThrows(FencedOutException.class, lease::check, "no promotion for a run that is not its own");
    }
    assertEquals(1, stops.get(), "stopped once");
  }

  @Test
  void a_cancel_asked_on_the_record_reaches_the_holder_of_a_live_inline_run() throws Exception {
    RunRecord run = start();
    AtomicInteger stops = new AtomicInteger();
    RunQueue queue = new RunQueue(store, Clock.systemUTC());
    try (InlineLease lease = runs.hold(run, stops::incrementAndGet)) {
      CancelResult r = queue.requestCancel(run.runId(), "bob");
      assertEquals(CancelResult.Outcome.REQUESTED, r.outcome(), r.message());
      await("the holder to read the cancel", () -> stops.get() == 1);
      assertEquals(HeartbeatState.CANCEL_REQUESTED, lease.state());
      assertEquals("bob", lease.cancelRequestedBy());
    }
  }

  @Test
  void a_run_held_on_another_host_is_judged_by_its_lease_alone() {
    var col = store.collection(Collections.MODEL_RUNS);
    Instant now = Instant.now();
    RunRecord.Lease elsewhere = new RunRecord.Lease(null, "far:1234:abcdef", now.plusSeconds(60),
        new OwnerProcess("far-host-that-is-not-this-one", 1234, now.minusSeconds(600)));
    Document doc = RunCodec.insert(RunRecord.inline("run-far", "d1", Trigger.manual("t", "ana"), Params.none(),
        now, elsewhere));
    col.insertOne(doc);
    // its pid means nothing here (1234 may well run on this machine); the lease is still valid
    assertEquals(RunStatus.RUNNING, runs.requireRecord("run-far").status());
    CancelResult cancel = new RunQueue(store, Clock.systemUTC()).requestCancel("run-far", "bob");
    assertEquals(CancelResult.Outcome.REQUESTED, cancel.outcome(), "asked through the record: " + cancel.message());

    col.updateOne(new Document("run_id", "run-far"), new Document("$set",
        new Document("lease_until", Date.from(now.minusSeconds(1)))));
    RunRecord closed = runs.requireRecord("run-far");
    assertEquals(RunStatus.FAILED, closed.status());
    assertEquals(FailureKind.PROCESS_LOST, closed.failure());
  }

  @Test
  void a_run_from_before_leases_and_a_queued_run_are_never_judged_by_an_inline_lease() {
    var col = store.collection(Collections.MODEL_RUNS);
    Date old = Date.from(Instant.now().minus(Duration.ofDays(3)));
    col.insertOne(new Document("run_id", "run-legacy").append("device_id", "d1").append("status", "running")
        .append("queued_at", old).append("started_at", old));
    col.insertOne(new Document("run_id", "run-claimed").append("device_id", "d1").append("status", "running")
        .append("queued_at", old).append("token", 4L).append("lease_owner", "s1").append("lease_until", old));
    assertEquals(RunStatus.RUNNING, runs.requireRecord("run-legacy").status(), "no lease, nothing to judge by");
    assertEquals(RunStatus.RUNNING, runs.requireRecord("run-claimed").status(), "a claim is the queue's to recover");
  }

  @Test
  void the_lease_comes_from_the_environment_and_a_bad_value_names_the_variable() {
    assertEquals(InlineLease.Policy.defaults(), InlineLease.Policy.fromEnvironment(Map.of()));
    InlineLease.Policy p = InlineLease.Policy.fromEnvironment(Map.of(InlineLease.Policy.ENV, "3s"));
    assertEquals(Duration.ofSeconds(3), p.lease());
    assertEquals(Duration.ofSeconds(1), p.heartbeat());
    for (String bad : List.of("soon", "0s", "500ms")) {
      UserException e = assertThrows(UserException.class,
          () -> InlineLease.Policy.fromEnvironment(Map.of(InlineLease.Policy.ENV, bad)));
      assertTrue(e.getMessage().startsWith("RETRAIN_INLINE_LEASE='" + bad + "'"), e.getMessage());
    }
  }
}
