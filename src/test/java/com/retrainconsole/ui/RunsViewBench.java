package com.retrainconsole.ui;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.retrainconsole.runs.RunFilter;
import com.retrainconsole.runs.RunRepository;
import com.retrainconsole.runs.RunSort;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import com.retrainconsole.store.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.bson.Document;

/**
 * Benchmark (test-scope main) of the run history over 100k generated runs. Prints figures, asserts nothing.
 * Also the generator the 100k-run tests use: realistic run records over several devices, statuses, trigger
 * types and a year of dates, inserted in queue order with insertMany in batches.
 */
public final class RunsViewBench {
  public static final List<String> DEVICES =
      List.of("site-a-01", "site-a-02", "site-a-03", "site-b-01", "site-b-02", "site-c-01", "site-c-02", "site-c-03");
  public static final List<String> TRIGGERS = List.of("cron", "cron", "cron", "new_data", "drift", "performance",
      "manual", "interval");
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private RunsViewBench() {}

  /** Inserts {@code n} finished runs ending before {@code end}, one every ~5 min going back; deterministic. */
  public static void generate(Store store, int n, Instant end, long seed) {
    MongoCollection<Document> runs = store.collection(Collections.MODEL_RUNS);
    SplittableRandom rnd = new SplittableRandom(seed);
    long span = Duration.ofMinutes(5).toMillis();
    long t0 = end.toEpochMilli() - n * span;
    List<Document> batch = new ArrayList<>(2000);
    for (int i = 0; i < n; i++) {
      Instant queued = Instant.ofEpochMilli(t0 + i * span + rnd.nextLong(span / 2));
      batch.add(run(i, queued, rnd));
      if (batch.size() == 2000) {
        runs.insertMany(batch);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      runs.insertMany(batch);
    }
  }

  static Document run(int i, Instant queued, SplittableRandom rnd) {
    String device = DEVICES.get(rnd.nextInt(DEVICES.size()));
    String type = TRIGGERS.get(rnd.nextInt(TRIGGERS.size()));
    int roll = rnd.nextInt(100);
    RunStatus status = roll < 80 ? RunStatus.COMPLETED : roll < 91 ? RunStatus.FAILED
        : roll < 95 ? RunStatus.CANCELLED : RunStatus.TIMED_OUT;
    String runId = "run-" + STAMP.format(queued) + "-" + HexFormat.of().toHexDigits(i).substring(2);
    Instant started = queued.plusSeconds(1 + rnd.nextInt(30));
    long durationMs = 20_000 + rnd.nextInt(400_000);
    Instant finished = started.plusMillis(durationMs);
    Instant until = queued.minus(Duration.ofMinutes(rnd.nextInt(60)));
    Document trigger = new Document("type", type)
        .append("trigger_id", "manual".equals(type) ? null : "trg-" + device + "-" + type)
        .append("reason", reason(type, rnd)).append("actor", "manual".equals(type) ? "operator" : "scheduler");
    Document run = new Document("run_id", runId).append("device_id", device).append("status", status.wire())
        .append("trigger", trigger).append("queued_at", Date.from(queued)).append("due_at", Date.from(queued))
        .append("started_at", Date.from(started)).append("finished_at", Date.from(finished))
        .append("attempt", 1).append("retry_of", null)
        .append("params", new Document("days", 30).append("until", null).append("trainer", "xgboost")
            .append("dry_run", false))
        .append("progress", new Document("stage", status.wire()).append("fraction", 1.0))
        .append("cancel_requested", status == RunStatus.CANCELLED)
        .append("duration_ms", durationMs);
    if (status == RunStatus.COMPLETED) {
      double champ = 40 + rnd.nextDouble() * 60;
      double mae = champ * (0.85 + rnd.nextDouble() * 0.35);
      boolean promoted = mae <= champ * 1.10 && rnd.nextInt(4) > 0;
      List<Double> byHour = new ArrayList<>(24);
      for (int h = 0; h < 24; h++) {
        byHour.add(h < 6 || h > 20 ? 0.5 : mae * (0.5 + rnd.nextDouble()));
      }
      String version = STAMP.format(finished) + "-" + HexFormat.of().toHexDigits(i).substring(2);
      run.append("data", new Document("from", Date.from(until.minus(Duration.ofDays(30))))
              .append("to", Date.from(until)).append("rows", 43_200).append("train_rows", 34_560)
              .append("test_rows", 8_640))
          .append("metrics", metrics(mae, rnd)).append("mae_by_hour", byHour)
          .append("baseline_metrics", metrics(champ * 1.8, rnd)).append("champion_metrics", metrics(champ, rnd))
          .append("champion_version", "v-prev-" + device).append("champion_error", null)
          .append("trainer_params", new Document("trees", 100).append("depth", 6).append("method", "hist"))
          .append("warnings", rnd.nextInt(10) == 0 ? List.of("irradiance_wm2 stuck at 812.0 for 3.5 h (masked)")
              : List.of())
          .append("model", new Document("version", version)
              .append("file", "/models/" + device + "/versions/" + version + ".tribuo")
              .append("sha256", HexFormat.of().formatHex(new byte[32]).replace('0', (char) ('a' + i % 6))))
          .append("decision", new Document("promoted", promoted).append("reason", promoted
              ? String.format("candidate MAE %.1f W <= champion %.1f W x 1.10", mae, champ)
              : String.format("kept champion: candidate MAE %.1f W > champion %.1f W x 1.10", mae, champ)));
    } else if (status == RunStatus.FAILED) {
      run.append("error", rnd.nextBoolean() ? "quality gate: irradiance_wm2 is 42% NaN (max 30%)"
          : "worker lost (lease expired at " + started.plusSeconds(120) + ")");
    } else if (status == RunStatus.CANCELLED) {
      run.append("error", "cancelled by operator before it started");
    } else {
      run.append("error", "timed out after 2 h");
    }
    return run;
  }

  private static Document metrics(double mae, SplittableRandom rnd) {
    return new Document("mae", mae).append("rmse", mae * (1.3 + rnd.nextDouble() * 0.2))
        .append("r2", 0.9 + rnd.nextDouble() * 0.09).append("n", 8_640);
  }

  private static String reason(String type, SplittableRandom rnd) {
    return switch (type) {
      case "cron" -> "cron 30 2 * * * (Europe/Madrid)";
      case "new_data" -> (500 + rnd.nextInt(2000)) + " new rows since the last run (min 500)";
      case "drift" -> String.format("KS statistic %.2f on irradiance_wm2 > 0.20", 0.2 + rnd.nextDouble() * 0.3);
      case "performance" -> String.format("MAE %.0f%% above the model's test MAE (threshold 20%%)",
          20 + rnd.nextDouble() * 40);
      case "interval" -> "every 24 h";
      default -> "requested in the console by operator";
    };
  }

  // ---- the benchmark

  static double time(Supplier<?> work) {
    long t = System.nanoTime();
    work.get();
    return (System.nanoTime() - t) / 1e6;
  }

  static double best(int reps, Supplier<?> work) {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < reps; i++) {
      best = Math.min(best, time(work));
    }
    return best;
  }

  /** Times the candidate query shapes for the first page; returns nothing, prints. */
  static void queryShapes(String label, Store store) {
    RunRepository repo = new RunRepository(store, Clock.systemUTC());
    MongoCollection<Document> runs = store.collection(Collections.MODEL_RUNS);
    RunFilter all = RunFilter.all();
    RunFilter device = all.withDevice(DEVICES.get(2));
    RunSort newest = RunSort.newestFirst();
    Date recent = Date.from(Instant.now().minus(Duration.ofDays(2)));
    System.out.printf("%s, %d runs (best of 3, ms)%n", label, runs.estimatedDocumentCount());
    System.out.printf("  first page sort+skip+limit, projected      %8.1f%n",
        best(3, () -> repo.page(all, newest, 0, 100)));
    System.out.printf("  first page sort+skip+limit, full documents %8.1f%n",
        best(3, () -> runs.find().sort(newest.toBson()).limit(100).into(new ArrayList<>())));
    System.out.printf("  page 500 (skip 50k) sort+skip+limit        %8.1f%n",
        best(3, () -> repo.page(all, newest, 50_000, 100)));
    System.out.printf("  range queued_at >= now-2d, sorted, limit   %8.1f%n",
        best(3, () -> runs.find(Filters.gte("queued_at", recent)).projection(RunRepository.TABLE_FIELDS)
            .sort(newest.toBson()).limit(100).into(new ArrayList<>())));
    System.out.printf("  $natural desc, limit (no sort)             %8.1f%n",
        best(3, () -> runs.find().projection(RunRepository.TABLE_FIELDS).sort(new Document("$natural", -1))
            .limit(100).into(new ArrayList<>())));
    System.out.printf("  count all (estimated / count command)      %8.1f%n", best(3, () -> repo.count(all)));
    System.out.printf("  countDocuments(empty filter, aggregate)    %8.1f%n",
        best(3, () -> runs.countDocuments(new Document())));
    System.out.printf("  count by device (aggregate $match)         %8.1f%n", best(3, () -> repo.count(device)));
    System.out.printf("  count by device (count command)            %8.1f%n", best(3, () -> store.db()
        .runCommand(new Document("count", Collections.MODEL_RUNS).append("query", device.toBson()))));
    System.out.printf("  first page by device                       %8.1f%n",
        best(3, () -> repo.page(device, newest, 0, 100)));
    System.out.printf("  first page sorted by MAE asc               %8.1f%n",
        best(3, () -> repo.page(all, new RunSort(RunSort.Field.MAE, true), 0, 100)));
    System.out.printf("  query() = count + first page               %8.1f%n",
        best(3, () -> repo.query(all, newest, 0, 100)));
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    boolean h2 = args.length < 2 || !"nohdisk".equals(args[1]);
    Instant end = Instant.now();
    try (Store mem = Store.openInMemory()) {
      System.out.printf("generate %d runs in memory: %.0f ms%n", n, time(() -> {
        generate(mem, n, end, 42);
        return null;
      }));
      queryShapes("in-memory backend", mem);
    }
    if (h2) {
      Path dir = Files.createTempDirectory("runs-bench-h2");
      try (Store disk = Store.open(StoreConfig.embedded(dir))) {
        System.out.printf("generate %d runs on H2: %.0f ms%n", n, time(() -> {
          generate(disk, n, end, 42);
          return null;
        }));
        queryShapes("H2 file backend", disk);
      }
    }
  }
}
