package com.retrainconsole.triggers;

import com.retrainconsole.alerts.AlertSink;
import com.retrainconsole.common.ProgressListener;
import com.retrainconsole.store.Store;
import com.retrainconsole.store.StoreConfig;
import com.retrainconsole.telemetry.Simulator;
import com.retrainconsole.telemetry.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bson.Document;

/**
 * One tick for 100 devices × 4 triggers (cron, interval, new_data, drift), all due, on the in-memory store
 * and on an embedded H2 file store. Target: under 2 s. Run:
 * {@code mvn -q -o test-compile exec:java -Dexec.mainClass=com.retrainconsole.triggers.TriggerBenchmark
 * -Dexec.classpathScope=test} or with java -cp target/test-classes:target/classes:$(deps).
 */
public final class TriggerBenchmark {
  public static void main(String[] args) throws Exception {
    int devices = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    run("memory", Store.openInMemory(), devices);
    Path dir = Files.createTempDirectory("trigger-bench");
    run("h2 file", Store.open(StoreConfig.embedded(dir)), devices);
  }

  private static void run(String name, Store store, int n) {
    try (store) {
      Instant end = Instant.parse("2025-06-10T00:00:00Z");
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ids.add(String.format(Locale.ROOT, "tracker%03d", i));
      }
      long s0 = System.nanoTime();
      // 8 days every 10 minutes: a 7-day drift reference plus the recent day
      Simulator.simulate(store, new SimulatorConfig(ids, end, 8, Duration.ofMinutes(10), 42,
          SimulatorConfig.DEFAULT_LAT, SimulatorConfig.DEFAULT_LON, SimulatorConfig.DEFAULT_ZONE), ProgressListener.NONE);
      long s1 = System.nanoTime();
      TestClock clock = new TestClock(end.minus(Duration.ofMinutes(30)));
      TriggerRepository repo = new TriggerRepository(store, clock);
      Guards none = new Guards(Duration.ZERO, null, null);
      for (String id : ids) {
        repo.add(id, TriggerType.CRON, new Document("cron", "0 * * * *").append("zone", "Europe/Madrid"), none);
        repo.add(id, TriggerType.INTERVAL, new Document("every", Duration.ofHours(1)).append("anchor", end), none);
        repo.add(id, TriggerType.NEW_DATA, new Document("min_rows", 100L), none);
        repo.add(id, TriggerType.DRIFT, new Document("min_sample", 50L), none);
      }
      TriggerEngine engine = new TriggerEngine(store, clock, new com.retrainconsole.telemetry.DeviceRepository(store),
          null, AlertSink.NONE, TriggerEngine.Settings.defaults());
      clock.set(end);
      long t0 = System.nanoTime();
      TriggerEngine.TickResult r = engine.tickWithResult(end);
      long t1 = System.nanoTime();
      clock.set(end.plusSeconds(30));
      TriggerEngine.TickResult idle = engine.tickWithResult(end.plusSeconds(30));
      long t2 = System.nanoTime();
      System.out.printf(Locale.ROOT, "%-8s %d devices x 4 triggers: simulate %.1f s; due tick %.2f s (%d due, %d"
          + " evaluated, %d fired); idle tick %.3f s (%d due)%n", name, n, (s1 - s0) / 1e9, (t1 - t0) / 1e9, r.due(),
          r.evaluated(), r.fired(), (t2 - t1) / 1e9, idle.due());
    }
  }
}
