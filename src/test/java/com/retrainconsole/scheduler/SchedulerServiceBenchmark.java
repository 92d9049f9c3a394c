package com.retrainconsole.scheduler;

import com.retrainconsole.common.ProgressListener;
import com.retrainconsole.runs.EnqueueRequest;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.runs.RunQueue;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import com.retrainconsole.telemetry.Simulator;
import com.retrainconsole.telemetry.SimulatorConfig;
import com.retrainconsole.triggers.Guards;
import com.retrainconsole.triggers.TriggerRepository;
import com.retrainconsole.triggers.TriggerType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.bson.Document;

/**
 * The scheduler service as deployed: a real {@code scheduler} process (the Launcher, default 5 s tick) on a
 * store with 100 devices × 2 idle triggers (a daily cron, a new_data trigger that never has enough rows).
 * Prints its idle CPU (process CPU time / wall time over {@code idleSeconds}, as % of one core), then
 * enqueues runs one at a time while it idles and prints enqueue-to-claim (queued_at → started_at) and
 * claim-to-start (started_at → the worker process's first progress write, seen by polling every 5 ms).
 * Run: {@code java -cp target/test-classes:target/classes:$(deps) \
 * com.retrainconsole.scheduler.SchedulerServiceBenchmark [idleSeconds=30] [runs=10] [triggers=true]}.
 */
public final class SchedulerServiceBenchmark {
  public static void main(String[] args) throws Exception {
    int idleSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    boolean withTriggers = args.length <= 2 || Boolean.parseBoolean(args[2]); // false: the baseline without
    Path dir = Files.createTempDirectory("scheduler-bench");
    try (Store store = Store.openInMemory()) {
      List<String> devices = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        devices.add(String.format(Locale.ROOT, "tracker%03d", i));
      }
      Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
      Simulator.simulate(store, new SimulatorConfig(devices, today, 1, Duration.ofMinutes(30), 42,
          SimulatorConfig.DEFAULT_LAT, SimulatorConfig.DEFAULT_LON, SimulatorConfig.DEFAULT_ZONE), ProgressListener.NONE);
      TriggerRepository triggers = new TriggerRepository(store, Clock.systemUTC());
      Guards guards = new Guards(Duration.ofHours(6), null, null);
      for (String id : withTriggers ? devices : List.<String>of()) {
        triggers.add(id, TriggerType.CRON, new Document("cron", "0 3 * * *").append("zone", "Europe/Berlin"), guards);
        triggers.add(id, TriggerType.NEW_DATA, new Document("min_rows", 1_000_000L), guards);
      }

      List<String> command = new ArrayList<>(ProcessRunExecutor.javaCommand("com.retrainconsole.app.Launcher"));
      command.addAll(List.of("scheduler", "--mongo-uri", store.connectionUri(), "--data-dir", dir.toString(),
          "--models-dir", dir.resolve("models").toString()));
      Path log = dir.resolve("scheduler.log");
      Process scheduler = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.readString(log).contains(" running on ")) {
          if (!scheduler.isAlive() || System.nanoTime() > deadline) {
            throw new IllegalStateException("scheduler did not start: " + Files.readString(log));
          }
          Thread.sleep(50);
        }
        Thread.sleep(6_000); // the first tick evaluates every trigger once; idle means after that

        ProcessHandle h = scheduler.toHandle();
        Duration cpu0 = h.info().totalCpuDuration().orElseThrow();
        long wall0 = System.nanoTime();
        Thread.sleep(idleSeconds * 1000L);
        Duration cpu1 = h.info().totalCpuDuration().orElseThrow();
        long wall = System.nanoTime() - wall0;
        long fired = store.collection(Collections.MODEL_RUNS).countDocuments();
        System.out.printf(Locale.ROOT, "idle CPU: %.2f%% of one core over %d s (5 s tick, 100 devices x %d triggers,"
            + " %d runs fired meanwhile)%n", 100.0 * cpu1.minus(cpu0).toNanos() / wall, idleSeconds,
            withTriggers ? 2 : 0, fired);

        RunQueue queue = new RunQueue(store, Clock.systemUTC());
        long[] toClaim = new long[runs];
        long[] toStart = new long[runs];
        for (int i = 0; i < runs; i++) {
          String runId = queue.enqueue(EnqueueRequest.manual(devices.get(i),
              new RunRecord.Params(1, null, "cart", true), "bench", "bench")).runId();
          Instant started = null;
          Instant firstProgress = null;
          long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
          while (firstProgress == null && System.nanoTime() < giveUp) {
            Document run = store.collection(Collections.MODEL_RUNS).find(new Document("run_id", runId)).first();
            if (started == null && run.getDate("started_at") != null) {
              started = run.getDate("started_at").toInstant();
            }
            String stage = run.get("progress", Document.class).getString("stage");
            if (started != null && !"queued".equals(stage) && !"claimed".equals(stage)) {
              firstProgress = Instant.now();
            }
            Thread.sleep(5);
          }
          if (firstProgress == null) {
            throw new IllegalStateException("run " + runId + " did not start: " + Files.readString(log));
          }
          RunRecord run = queue.run(runId).orElseThrow();
          toClaim[i] = Duration.between(run.queuedAt(), started).toMillis();
          toStart[i] = Duration.between(started, firstProgress).toMillis();
          long settle = System.nanoTime() + Duration.ofSeconds(60).toNanos();
          while (store.collection(Collections.RUN_QUEUE).countDocuments() > 0 && System.nanoTime() < settle) {
            Thread.sleep(20); // one at a time: each run is enqueued while the scheduler idles
          }
        }
        System.out.printf(Locale.ROOT, "enqueue-to-claim over %d runs (5 s tick): %s%n", runs, stats(toClaim));
        System.out.printf(Locale.ROOT, "claim-to-start (worker JVM up, claim resumed, first progress write): %s%n",
            stats(toStart));
      } finally {
        scheduler.destroy();
        scheduler.waitFor();
      }
    }
  }

  private static String stats(long[] ms) {
    long[] s = ms.clone();
    Arrays.sort(s);
    return String.format(Locale.ROOT, "median %d ms, p90 %d ms, max %d ms, min %d ms", s[s.length / 2],
        s[(int) Math.ceil(s.length * 0.9) - 1], s[s.length - 1], s[0]);
  }
}
