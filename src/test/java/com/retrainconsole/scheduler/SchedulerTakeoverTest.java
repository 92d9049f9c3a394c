package com.retrainconsole.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.retrainconsole.runs.Claim;
import com.retrainconsole.runs.EnqueueRequest;
import com.retrainconsole.runs.RetryPolicy;
import com.retrainconsole.runs.RunQueue;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * A scheduler whose lease lapsed while its worker was saving the model (frozen, cut off from the store)
 * finds, once it heartbeats again, its queue item gone and the run final. Whether that is its worker's own
 * finish or another scheduler's recovery decides whether it stops the work: it is told by the run's state
 * (the recovering takeover's token), not by the wording of an error, which a recovery to completed, cancelled
 * or timed out does not have.
 */
class SchedulerTakeoverTest {
  static final Duration MAX = Duration.ofSeconds(30); // safety net, not a measure

  /** Starts nothing real: enters finalizing, as a worker saving its model, and ends only when killed. */
  static final class SavingForEver implements RunExecutor {
    final RunQueue queue;
    final AtomicReference<Claim> claim = new AtomicReference<>();
    final CompletableFuture<Integer> ended = new CompletableFuture<>();

    SavingForEver(RunQueue queue) {
      this.queue = queue;
    }

    @Override
    public Execution start(Claim c) {
      queue.claimed(c).beginFinalize();
      claim.set(c);
      return new Execution() {
        @Override
        public CompletableFuture<Integer> ended() {
          return ended;
        }

        @Override
        public void kill() {
          ended.complete(137);
        }
      };
    }
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

  @Test
  void a_run_another_scheduler_recovered_as_completed_is_not_taken_for_its_workers_own_finish() throws Exception {
    try (Store store = Store.openInMemory()) {
      RunQueue queueA = new RunQueue(store, Clock.systemUTC());
      // B's registry says the pointer already names the run's model: recovery records it completed
      RunQueue queueB = new RunQueue(store, Clock.systemUTC(), RetryPolicy.defaults(),
          (device, runId) -> Optional.of("v-saved-before-the-freeze"));
      SavingForEver work = new SavingForEver(queueA);
      Scheduler a = new Scheduler(queueA, work, TriggerTick.NONE, Clock.systemUTC(), SchedulerConfig.defaults()
          .withOwner("A").withTick(Duration.ofHours(1)).withLease(Duration.ofSeconds(5), Duration.ofMillis(300)));
      try {
        String id = queueA.enqueue(EnqueueRequest.manual("d1", RunRecord.Params.none(), "t", "r")).runId();
        a.tick();
        await("A's worker to be saving the model", () -> work.claim.get() != null);

        // A's lease lapses (A's own renewals may land in between: B's takeover is conditional on the lapse)
        List<RunQueue.Recovered> recovered;
        do {
          store.collection(Collections.RUN_QUEUE).updateOne(new Document("run_id", id),
              new Document("$set", new Document("lease_until", Date.from(Instant.now().minusSeconds(1)))));
          recovered = queueB.recoverExpired("B", Duration.ofSeconds(30));
        } while (recovered.isEmpty());
        assertEquals(RunStatus.COMPLETED, recovered.get(0).status());
        RunRecord closed = queueB.run(id).orElseThrow();
        assertNotEquals(work.claim.get().token(), closed.token(), "the record names the takeover that closed it");

        await("A to stop the work it no longer owns", work.ended::isDone);
        assertEquals(137, work.ended.get());
        await("A to let the run go", () -> a.activeRuns().isEmpty());
      } finally {
        a.shutdown();
      }
    }
  }
}
