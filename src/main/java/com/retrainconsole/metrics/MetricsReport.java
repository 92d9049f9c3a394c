package com.retrainconsole.metrics;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.retrainconsole.registry.ModelMeta;
import com.retrainconsole.registry.ModelRegistry;
import com.retrainconsole.registry.Pointer;
import com.retrainconsole.runs.RunCodec;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import com.retrainconsole.telemetry.DeviceConfig;
import com.retrainconsole.telemetry.DeviceRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bson.conversions.Bson;
import java.util.function.DoubleSupplier;
import org.bson.Document;

/**
 * The {@code /metrics} body: Prometheus text exposition format 0.0.4. A device that has no finished run (or
 * no model in service) has no sample for that metric, rather than a made-up zero.
 */
public final class MetricsReport {
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private MetricsReport() {}

  /**
   * @param tickSeconds duration of the scheduler's last tick in seconds; NaN when no scheduler runs here
   */
  public static String render(Store store, DeviceRepository devices, ModelRegistry registry, Clock clock,
      DoubleSupplier tickSeconds) {
    return render(store, devices, registry, clock, tickSeconds, Optional.empty());
  }

  /**
   * @param visibleDevices the device ids the caller may see (empty: every device); run and queue counts and
   *     per-device samples cover only those, and each device sample carries its {@code site}
   */
  public static String render(Store store, DeviceRepository devices, ModelRegistry registry, Clock clock,
      DoubleSupplier tickSeconds, Optional<Set<String>> visibleDevices) {
    Instant now = clock.instant();
    MongoCollection<Document> runs = store.collection(Collections.MODEL_RUNS);
    StringBuilder b = new StringBuilder(1024);
    Bson scope = visibleDevices.<Bson>map(v -> Filters.in("device_id", v)).orElse(new Document());

    header(b, "retrain_runs_total", "counter", "Retrain runs in the history, by status.");
    for (RunStatus s : RunStatus.values()) {
      long n = runs.countDocuments(Filters.and(scope, Filters.eq("status", s.wire())));
      sample(b, "retrain_runs_total", "status", s.wire(), n);
    }

    TreeSet<String> ids = new TreeSet<>();
    for (DeviceConfig d : devices.list()) {
      ids.add(d.id());
    }
    // devices with runs but no config document (deleted, or trained from an import) still count
    runs.distinct("device_id", String.class).forEach(id -> {
      if (id != null) {
        ids.add(id);
      }
    });
    visibleDevices.ifPresent(ids::retainAll);
    Map<String, String> sites = devices.sitesById();

    header(b, "retrain_last_run_age_seconds", "gauge", "Seconds since the device's last run finished.");
    for (String id : ids) {
      RunRecord last = RunCodec.read(runs.find(Filters.and(Filters.eq(RunCodec.DEVICE_ID, id),
              Filters.exists(RunCodec.FINISHED_AT, true), Filters.ne(RunCodec.FINISHED_AT, null)))
          .projection(Projections.include(RunCodec.FINISHED_AT)).sort(Sorts.descending(RunCodec.FINISHED_AT))
          .limit(1).first());
      if (last != null && last.finishedAt() != null) {
        deviceSample(b, "retrain_last_run_age_seconds", id, sites,
            Math.max(0, now.toEpochMilli() - last.finishedAt().toEpochMilli()) / 1000.0);
      }
    }

    header(b, "retrain_model_mae_watts", "gauge", "Holdout MAE of the model in service, in watts.");
    for (String id : ids) {
      maeOfCurrent(registry, id).ifPresent(mae -> deviceSample(b, "retrain_model_mae_watts", id, sites, mae));
    }

    header(b, "retrain_queue_depth", "gauge", "Pending items in the run queue.");
    sample(b, "retrain_queue_depth", null, null,
        store.collection(Collections.RUN_QUEUE).countDocuments(Filters.and(scope,
            Filters.eq("status", RunStatus.PENDING.wire()))));

    double tick = tickSeconds == null ? Double.NaN : tickSeconds.getAsDouble();
    header(b, "retrain_scheduler_tick_seconds", "gauge", "Duration of the scheduler's last tick, in seconds.");
    sample(b, "retrain_scheduler_tick_seconds", null, null, tick);
    return b.toString();
  }

  private static Optional<Double> maeOfCurrent(ModelRegistry registry, String device) {
    try {
      Optional<Pointer> p = registry.current(device);
      if (p.isEmpty()) {
        return Optional.empty();
      }
      ModelMeta meta = registry.meta(device, p.get().version());
      return meta.metrics() == null ? Optional.empty() : Optional.of(meta.metrics().mae());
    } catch (RuntimeException e) {
      return Optional.empty(); // decision: an unreadable meta file must not take the whole scrape down
    }
  }

  private static void header(StringBuilder b, String name, String type, String help) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void deviceSample(StringBuilder b, String name, String device, Map<String, String> sites,
      double v) {
    b.append(name).append("{device_id=\"").append(escape(device)).append("\",site=\"")
        .append(escape(sites.getOrDefault(device, DeviceConfig.DEFAULT_SITE))).append("\"} ").append(format(v))
        .append('\n');
  }

  private static void sample(StringBuilder b, String name, String label, String value, double v) {
    b.append(name);
    if (label != null) {
      b.append('{').append(label).append("=\"").append(escape(value)).append("\"}");
    }
    b.append(' ').append(format(v)).append('\n');
  }

  static String format(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%s", v);
  }

  static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
