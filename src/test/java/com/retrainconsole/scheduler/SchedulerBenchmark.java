package com.retrainconsole.scheduler;

import com.retrainconsole.runs.EnqueueRequest;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.runs.RunIds;
import com.retrainconsole.runs.RunQueue;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * Claim throughput and claim-to-start latency with a history of finished runs beside the queue (the
 * embedded store scans; docs/ARCHITECTURE.md §2). Run:
 * {@code mvn -q -o test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=com.retrainconsole.scheduler.SchedulerBenchmark -Dexec.args="10000 500"}
 * or with java -cp target/classes:target/test-classes:$(deps) ... SchedulerBenchmark [finished] [pending].
 */
public final class SchedulerBenchmark {
  public static void main(String[] args) {
    int finished = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int pending = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    try (Store store = Store.openInMemory()) {
      List<Document> history = new ArrayList<>();
      Date now = Date.from(Instant.now());
      for (int i = 0; i < finished; i++) {
        history.add(new Document("run_id", RunIds.newId(Instant.now()) + "-" + i).append("device_id", "d" + (i % 100))
            .append("status", "completed").append("queued_at", now).append("token", 1L));
      }
      store.collection(Collections.MODEL_RUNS).insertMany(history);
      RunQueue queue = new RunQueue(store, Clock.systemUTC());
      for (int i = 0; i < pending; i++) {
        queue.enqueue(EnqueueRequest.manual("dev" + i, new RunRecord.Params(1, null, null, false), "bench", "bench"));
      }
      RecordingExecutor executor = new RecordingExecutor(queue);
      // decision: claims are timed one by one (a scheduler tick with an instant executor drains the whole
      // queue in one go, which would hide the per-claim cost)
      long[] claimNanos = new long[pending];
      long[] finishNanos = new long[pending];
      long start = System.nanoTime();
      int n = 0;
      while (n < pending) {
        long t0 = System.nanoTime();
        var claim = queue.claim("bench", java.time.Duration.ofSeconds(30));
        long t1 = System.nanoTime();
        if (claim.isEmpty()) {
          break;
        }
        executor.start(claim.get()); // the fenced finish + queue delete
        claimNanos[n] = t1 - t0;
        finishNanos[n++] = System.nanoTime() - t1;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long[] c = java.util.Arrays.copyOf(claimNanos, n);
      long[] f = java.util.Arrays.copyOf(finishNanos, n);
      java.util.Arrays.sort(c);
      java.util.Arrays.sort(f);
      System.out.printf("finished runs in model_runs: %,d, pending: %,d, executed: %,d%n", finished, pending, n);
      System.out.printf("claim (queue item + run record): median %.1f ms, p95 %.1f ms, max %.1f ms%n",
          c[n / 2] / 1e6, c[(int) (n * 0.95)] / 1e6, c[n - 1] / 1e6);
      System.out.printf("fenced finish + delete: median %.1f ms, p95 %.1f ms%n", f[n / 2] / 1e6, f[(int) (n * 0.95)] / 1e6);
      System.out.printf("throughput: %.0f claim+finish per s (one claimer)%n", n / seconds);
      long t0 = System.nanoTime();
      int repaired = queue.reconcile();
      System.out.printf("reconcile scan over %,d runs: %.0f ms (%d repairs)%n", finished + pending,
          (System.nanoTime() - t0) / 1e6, repaired);
    }
  }
}
