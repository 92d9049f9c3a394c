package com.retrainconsole.scheduler;

import com.retrainconsole.runs.EnqueueRequest;
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
 * embedded store scans; DESIGN.md §2). Run:
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
        queue.enqueue(EnqueueRequest.manual("dev" + i, new Document("days", 1), "bench", "bench"));
      }
      RecordingExecutor executor = new RecordingExecutor(queue);
      Scheduler scheduler = new Scheduler(queue, executor, TriggerTick.NONE, Clock.systemUTC(),
          SchedulerConfig.defaults().withMaxConcurrent(1));
      long[] latencies = new long[pending];
      long start = System.nanoTime();
      for (int i = 0; i < pending; i++) {
        long t0 = System.nanoTime();
        scheduler.tick(); // recover + claim + start + (test executor) finish
        latencies[i] = System.nanoTime() - t0;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      java.util.Arrays.sort(latencies);
      System.out.printf("finished runs in model_runs: %,d, pending: %,d, executed: %,d%n", finished, pending,
          executor.executions.size());
      System.out.printf("claim+start+finish per run: median %.1f ms, p95 %.1f ms, max %.1f ms%n",
          latencies[pending / 2] / 1e6, latencies[(int) (pending * 0.95)] / 1e6, latencies[pending - 1] / 1e6);
      System.out.printf("throughput: %.0f runs/s (one scheduler, tick per run)%n", pending / seconds);
      long t0 = System.nanoTime();
      int repaired = queue.reconcile();
      System.out.printf("reconcile scan over %,d runs: %.0f ms (%d repairs)%n", finished + pending,
          (System.nanoTime() - t0) / 1e6, repaired);
    }
  }
}
