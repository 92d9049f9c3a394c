package com.retrainconsole.telemetry;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.retrainconsole.common.ProgressListener;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import com.retrainconsole.store.StoreConfig;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.bson.Document;

/**
 * Bucket store speed: simulated writes, 7-day window reads, newest/count/devices and the merge
 * path, at 100k and 1M readings, on the in-memory embedded server and on an H2 file. Run with
 * {@code mvn -q -o test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=com.retrainconsole.telemetry.TelemetryBenchmark} or plain {@code java -cp}.
 * Arguments: readings sizes (default 100000 1000000).
 */
public final class TelemetryBenchmark {
  private static final int DEVICES = 4;
  private static final Duration INTERVAL = Duration.ofMinutes(5);
  private static final Instant END = Instant.parse("2026-11-01T00:00:00Z");

  public static void main(String[] args) throws Exception {
    long[] sizes =
        args.length == 0
            ? new long[] {100_000, 1_000_000}
            : Arrays.stream(args).mapToLong(Long::parseLong).toArray();
    System.out.printf(
        "java %s, %d cpus, max heap %d MB%n",
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20);
    generatorOnly();
    for (long n : sizes) {
      try (Store memory = Store.openInMemory()) {
        run("memory", n, new BucketTelemetryStore(memory), null);
      }
      Path dir = Files.createTempDirectory("telemetry-bench");
      try {
        runOnFile(n, dir);
      } finally {
        try (Stream<Path> files = Files.walk(dir)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  private static void generatorOnly() {
    SimulatorConfig cfg = config(1_000_000);
    long t0 = System.nanoTime();
    long readings = 0;
    for (String d : cfg.devices()) {
      readings += Simulator.generate(cfg, d).size();
    }
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "generator only: %,d readings in %.2f s (%,.0f readings/s)%n", readings, s, readings / s);
  }

  private static void runOnFile(long n, Path dir) {
    // decision: prefer the store package's file store; until it exists, measure the plain H2
    // backend
    try (Store store = Store.open(StoreConfig.embedded(dir))) {
      run("store file " + dir, n, new BucketTelemetryStore(store), dir);
      return;
    } catch (UnsupportedOperationException e) {
      System.out.println(
          "(Store.open(embedded) not implemented in this tree: measuring plain H2Backend instead)");
    }
    Path file = dir.resolve("bench.mv.db");
    H2Backend backend = new H2Backend(file.toString());
    MongoServer server = new MongoServer(backend);
    server.bind("127.0.0.1", 0);
    try (MongoClient client =
        MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort())) {
      MongoCollection<Document> collection =
          client.getDatabase(Store.DATABASE).getCollection(Collections.TELEMETRY);
      MongoCollection<Document> devices =
          client.getDatabase(Store.DATABASE).getCollection(Collections.DEVICES);
      run("plain H2 file", n, new BucketTelemetryStore(collection, devices), dir);
    } finally {
      server.shutdownNow();
    }
  }

  private static SimulatorConfig config(long readings) {
    List<String> devices = new ArrayList<>();
    for (int i = 1; i <= DEVICES; i++) {
      devices.add(String.format("tracker-%02d", i));
    }
    int days =
        (int)
            Math.ceil(
                readings
                    / (double) DEVICES
                    / (Duration.ofDays(1).toMillis() / INTERVAL.toMillis()));
    return new SimulatorConfig(devices, END, days, INTERVAL, 42, 37.1, -3.6);
  }

  private static void run(String label, long n, BucketTelemetryStore telemetry, Path dir) {
    SimulatorConfig cfg = config(n);
    System.out.printf(
        "%n== %s, target %,d readings (%d devices x %d days @ %s)%n",
        label, n, DEVICES, cfg.days(), INTERVAL);
    long t0 = System.nanoTime();
    SimulatorResult result = Simulator.simulate(telemetry, null, cfg, ProgressListener.NONE);
    double writeS = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "simulate+write: %,d readings in %.2f s (%,.0f readings/s)%n",
        result.written(), writeS, result.written() / writeS);

    String device = cfg.devices().get(0);
    Instant to = Instant.ofEpochMilli(cfg.endMillis());
    Instant from = to.minus(Duration.ofDays(7));
    int[] size = new int[1];
    time(
        "7-day window read",
        () -> {
          size[0] = telemetry.read(device, from, to).size();
          return size[0];
        });
    time(
        "365-day window read (hour range: scan)",
        () -> telemetry.read(device, to.minus(Duration.ofDays(365)), to).size());
    time("newest(device) from summary", () -> telemetry.newest(device).orElseThrow());
    time(
        "rebuildSummary(device) (full scans)",
        () -> {
          telemetry.rebuildSummary(device);
          return telemetry.count(device);
        });
    time("count(device)", () -> telemetry.count(device));
    time("devices()", () -> telemetry.devices().size());
    TelemetryWindow lastDay = telemetry.read(device, to.minus(Duration.ofDays(1)), to);
    time(
        "re-write last day (merge path, all present)",
        () -> telemetry.write(device, lastDay.ts(), lastDay.columns()).alreadyPresent());
    if (dir != null) {
      try (Stream<Path> files = Files.list(dir)) {
        long bytes = files.mapToLong(p -> p.toFile().length()).sum();
        System.out.printf("files in %s: %.1f MB%n", dir.getFileName(), bytes / 1e6);
      } catch (java.io.IOException e) {
        System.out.println("file size unknown: " + e.getMessage());
      }
    }
  }

  private static void time(String what, Supplier<Object> action) {
    Object value = null;
    for (int i = 0; i < 3; i++) {
      value = action.get(); // warm-up
    }
    double[] ms = new double[5];
    for (int i = 0; i < ms.length; i++) {
      long t0 = System.nanoTime();
      value = action.get();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    System.out.printf(
        "%-45s median %8.1f ms (min %.1f, max %.1f) -> %s%n", what, ms[2], ms[0], ms[4], value);
  }

  private TelemetryBenchmark() {}
}
