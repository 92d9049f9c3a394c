package com.retrainconsole.cli;

import com.retrainconsole.services.Services;
import com.retrainconsole.common.UserException;
import com.retrainconsole.retrain.RetrainOutcome;
import com.retrainconsole.retrain.RetrainRequest;
import com.retrainconsole.runs.RunCodec;
import com.retrainconsole.store.Collections;
import com.retrainconsole.telemetry.Simulator;
import com.retrainconsole.telemetry.SimulatorConfig;
import com.retrainconsole.training.TrainerKind;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Generate N one-minute readings for a fresh device in the configured store and run the full "
        + "retrain, printing seconds per stage, rows/s and peak heap.")
final class BenchCommand extends StoreCommand {
  @Option(names = "--rows", required = true, paramLabel = "N") int rows;

  @Option(names = "--trainer", defaultValue = "xgboost", paramLabel = "KIND", converter = TrainerKindConverter.class)
  TrainerKind kind;

  @Option(names = "--keep", description = "Keep the bench device's telemetry, runs and models afterwards.")
  boolean keep;

  @Override
  int call(Services ctx, Output out) throws Exception {
    if (rows < 1000) {
      throw new UserException("--rows must be at least 1000 (got " + rows + ")");
    }
    String device = "bench-" + Long.toString(System.currentTimeMillis(), 36);
    int days = (int) Math.ceil(rows / 1440.0);
    Instant end = Instant.parse("2026-06-01T00:00:00Z").plus(Duration.ofMinutes(rows - days * 1440L));
    SimulatorConfig config = new SimulatorConfig(List.of(device), end, days, Duration.ofMinutes(1), 7,
        SimulatorConfig.DEFAULT_LAT, SimulatorConfig.DEFAULT_LON, SimulatorConfig.DEFAULT_ZONE);

    HeapSampler heap = new HeapSampler();
    heap.start();
    long t0 = System.nanoTime();
    long written = Simulator.simulate(ctx.store(), config, progress()).written();
    long writeMs = (System.nanoTime() - t0) / 1_000_000;
    long heapAfterWrite = heap.peakAndReset();

    RetrainRequest req = new RetrainRequest(device, days + 1, null, kind, false, "bench", "bench", "bench");
    RetrainOutcome outcome = ctx.operations().retrain(actor(ctx), req, progress());
    long pipelinePeak = heap.finish();
    if (!outcome.completed()) {
      err().println("error: bench run failed: " + outcome.run().error());
      forget(ctx, device);
      return RetrainCli.EXIT_FAILED;
    }
    Map<String, Double> seconds = new LinkedHashMap<>();
    seconds.put("store_write", writeMs / 1000.0);
    long pipelineMs = 0;
    for (Map.Entry<String, Long> e : outcome.stageMillis().entrySet()) {
      seconds.put(e.getKey(), e.getValue() / 1000.0);
      pipelineMs += e.getValue();
    }
    int trained = outcome.run().data().rows();
    double pipelineSeconds = pipelineMs / 1000.0;
    double rowsPerSecond = trained / pipelineSeconds;
    Map<String, Object> result = Output.map("rows", written, "feature_rows", trained, "trainer", kind.id(),
        "store", ctx.store().describe(), "seconds", seconds, "pipeline_seconds", pipelineSeconds,
        "rows_per_second", Math.round(rowsPerSecond), "peak_heap_mb_write", heapAfterWrite / (1 << 20),
        "peak_heap_mb_pipeline", pipelinePeak / (1 << 20), "max_heap_mb",
        Runtime.getRuntime().maxMemory() / (1 << 20), "metrics", RunView.plain(RunCodec.metrics(outcome.run().metrics())));
    if (!keep) {
      forget(ctx, device);
    }
    out.result(result, () -> {
      out.linef("bench: %d readings, %d feature rows, trainer %s, store %s", written, trained, kind.id(),
          ctx.store().describe());
      seconds.forEach((stage, s) -> out.linef("  %-12s %8.2f s", stage, s));
      out.linef("  %-12s %8.2f s  (load + features + train + evaluate + save)", "pipeline", pipelineSeconds);
      out.linef("  rows/s       %8.0f", rowsPerSecond);
      out.linef("  peak heap    %8d MB during write, %d MB during pipeline (max %d MB)",
          heapAfterWrite / (1 << 20), pipelinePeak / (1 << 20), Runtime.getRuntime().maxMemory() / (1 << 20));
    });
    return 0;
  }

  /** decision: a benchmark must not leave a stray device in an operator's store. */
  private static void forget(Services ctx, String device) throws java.io.IOException {
    for (String c : List.of(Collections.TELEMETRY, Collections.DEVICES, Collections.MODEL_RUNS, Collections.AUDIT)) {
      ctx.store().collection(c).deleteMany(new Document("device_id", device));
    }
    ctx.store().collection(Collections.DEVICES).deleteOne(new Document("_id", device));
    java.nio.file.Path dir = ctx.registry().deviceDir(device);
    if (java.nio.file.Files.exists(dir)) {
      try (var walk = java.nio.file.Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Samples used heap every 10 ms: the figure a memory cap would see, not a sum of pool peaks. */
  private static final class HeapSampler extends Thread {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong peak = new AtomicLong();
    private volatile boolean running = true;

    HeapSampler() {
      super("heap-sampler");
      setDaemon(true);
    }

    @Override
    public void run() {
      while (running) {
        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    long peakAndReset() {
      return peak.getAndSet(0);
    }

    long finish() throws InterruptedException {
      running = false;
      join();
      return peak.get();
    }
  }
}
