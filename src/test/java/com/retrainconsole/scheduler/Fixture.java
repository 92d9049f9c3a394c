package com.retrainconsole.scheduler;

import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.app.AppContext;
import com.retrainconsole.common.ProgressListener;
import com.retrainconsole.runs.EnqueueRequest;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.runs.RetryPolicy;
import com.retrainconsole.runs.RunQueue;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import com.retrainconsole.telemetry.Simulator;
import com.retrainconsole.telemetry.SimulatorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.bson.Document;

/** A real store with simulated trackers, the real services over it, and a queue that knows the registry. */
final class Fixture implements AutoCloseable {
  final Store store;
  final AppContext ctx;
  final RunQueue queue;
  final Path modelsDir;

  Fixture(Path root, Clock clock, List<String> devices, int days, Duration interval) {
    store = Store.openInMemory();
    modelsDir = root.resolve("models");
    ctx = AppContext.open(new AppConfig(null, root.resolve("data"), modelsDir), store, clock);
    Simulator.simulate(store, new SimulatorConfig(devices, Instant.parse("2026-06-01T00:00:00Z"), days, interval, 7,
        SimulatorConfig.DEFAULT_LAT, SimulatorConfig.DEFAULT_LON, SimulatorConfig.DEFAULT_ZONE), ProgressListener.NONE);
    queue = new RunQueue(store, clock, RetryPolicy.defaults(),
        (device, runId) -> ctx.registry().versionInServiceOfRun(device, runId));
  }

  String enqueue(String device, String trainer) {
    return queue.enqueue(EnqueueRequest.manual(device,
        new RunRecord.Params(365, null, trainer, false), "tester", "test")).runId();
  }

  /** The run record as stored. */
  Document run(String runId) {
    return java.util.Objects.requireNonNull(
        store.collection(Collections.MODEL_RUNS).find(new Document("run_id", runId)).first(), runId);
  }

  long retriesOf(String runId) {
    return store.collection(Collections.MODEL_RUNS).countDocuments(new Document("retry_of", runId));
  }

  long queueSize() {
    return store.collection(Collections.RUN_QUEUE).countDocuments();
  }

  long modelFiles(String device) throws IOException {
    Path dir = modelsDir.resolve(device).resolve("versions");
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".tribuo")).count();
    }
  }

  /** Polls until the condition holds; fails with {@code what} after {@code max} (a safety net, not a measure). */
  static void await(String what, Duration max, BooleanSupplier condition) {
    long deadline = System.nanoTime() + max.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up waiting for: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Override
  public void close() {
    ctx.close();
  }
}
