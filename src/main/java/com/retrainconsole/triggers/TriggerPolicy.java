package com.retrainconsole.triggers;

import com.retrainconsole.features.FeatureBuilder;
import com.retrainconsole.features.FeatureMatrix;
import com.retrainconsole.features.FeatureSpec;
import com.retrainconsole.registry.LoadedModel;
import com.retrainconsole.registry.ModelMeta;
import com.retrainconsole.telemetry.TelemetrySource;
import com.retrainconsole.telemetry.TelemetryWindow;
import com.retrainconsole.training.Metrics;
import com.retrainconsole.training.Predictions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.bson.Document;

/**
 * A trigger's decision at one slot, shared by the live engine and the replay so both decide the same way:
 * evaluate the condition, apply persistence (drift), then the guards.
 */
final class TriggerPolicy {
  /** Readings before a performance window that feed lags and rolling windows. */
  static final Duration FEATURE_LOOKBACK = Duration.ofDays(2);

  private TriggerPolicy() {}

  /** The condition at a slot: value measured, threshold compared against, why. */
  record Evaluation(boolean condition, Double value, Double threshold, String reason, Document details) {}

  /** The outcome: fire or not, with the event fields and the trigger's updated condition history. */
  record Decision(boolean fire, Double value, Double threshold, String reason, Document details,
      List<Boolean> history) {}

  /**
   * {@code now}: when the decision is made (the tick; in a replay the slot). Cooldown and max-per-day count
   * back from it, because a run's queued_at is the moment it was enqueued, not its slot.
   */
  static Decision decide(Trigger t, Schedule.Fire slot, Instant now, RunHistory runs, TriggerData data,
      boolean live, String note) {
    String fireKey = fireKey(t, slot.at());
    Evaluation e = evaluate(t, slot, runs, data, live);
    List<Boolean> history = t.history();
    boolean condition = e.condition();
    String reason = e.reason();
    if (t.type() == TriggerType.DRIFT) {
      int m = t.integer("persistence_m");
      int n = t.integer("persistence_n");
      history = new ArrayList<>(t.history());
      history.add(e.condition());
      while (history.size() > n) {
        history.remove(0);
      }
      long held = history.stream().filter(Boolean::booleanValue).count();
      condition = held >= m;
      if (n > 1) {
        reason = "condition held in " + held + " of the last " + history.size() + " checks (need " + m + " of "
            + n + "): " + reason;
      }
    }
    if (note != null) {
      reason = reason + "; " + note;
    }
    if (!condition) {
      return new Decision(false, e.value(), e.threshold(), reason, e.details(), history);
    }
    Optional<String> refused = guards(t, slot.at(), now, runs, data, fireKey);
    if (refused.isPresent()) {
      return new Decision(false, e.value(), e.threshold(), "guard: " + refused.get() + " (condition met: " + reason
          + ")", e.details(), history);
    }
    return new Decision(true, e.value(), e.threshold(), reason, e.details(), history);
  }

  static String fireKey(Trigger t, Instant scheduled) {
    return t.triggerId() + ":" + scheduled;
  }

  /** The first guard that refuses the fire, if any. */
  static Optional<String> guards(Trigger t, Instant at, Instant now, RunHistory runs, TriggerData data,
      String fireKey) {
    Guards g = t.guards();
    Optional<RunHistory.RunInfo> recent = runs.withinCooldown(now, g.cooldown(), fireKey);
    if (recent.isPresent()) {
      return Optional.of("cooldown " + human(g.cooldown()) + ": run " + recent.get().runId() + " was queued at "
          + recent.get().queuedAt());
    }
    if (g.maxPerDay() != null) {
      int n = runs.scheduledInDay(now, fireKey);
      if (n >= g.maxPerDay()) {
        return Optional.of("max per day: " + n + " scheduled runs in the last 24 h (limit " + g.maxPerDay() + ")");
      }
    }
    if (g.minNewRows() != null) {
      Optional<Instant> since = runs.lastSuccessDataEnd();
      long rows = data.newRows(t.deviceId(), since.orElse(null), at);
      if (rows < g.minNewRows()) {
        return Optional.of("min new rows: " + rows + " readings since " + since.map(Instant::toString)
            .orElse("the start") + " (need " + g.minNewRows() + ")");
      }
    }
    return Optional.empty();
  }

  static Evaluation evaluate(Trigger t, Schedule.Fire slot, RunHistory runs, TriggerData data, boolean live) {
    return switch (t.type()) {
      case CRON -> new Evaluation(true, null, null, "cron slot " + slot.nominal() + " " + t.spec().getString("zone")
          + (slot.dstNote() != null ? " (" + slot.dstNote() + ")" : ""), null);
      case INTERVAL -> new Evaluation(true, null, null, "interval slot " + slot.at(), null);
      case NEW_DATA -> newData(t, slot.at(), runs, data);
      case DRIFT -> drift(t, slot.at(), data, live);
      case PERFORMANCE -> performance(t, slot.at(), data, live);
    };
  }

  private static Evaluation newData(Trigger t, Instant at, RunHistory runs, TriggerData data) {
    Optional<Instant> since = runs.lastSuccessDataEnd();
    long rows = data.newRows(t.deviceId(), since.orElse(null), at);
    double need = t.number("min_rows");
    return new Evaluation(rows >= need, (double) rows, need, rows + " readings newer than "
        + since.map(i -> "the last successful run's data (" + i + ")").orElse("the start (no successful run yet)")
        + (rows >= need ? " >= " : " < ") + (long) need, null);
  }

  private static Evaluation drift(Trigger t, Instant at, TriggerData data, boolean live) {
    String device = t.deviceId();
    TelemetrySource source = data.source(device);
    Instant recentFrom = at.minus(t.window());
    Optional<ModelMeta> meta = data.productionMeta(device, at, live);
    Instant refFrom = null;
    Instant refTo = null;
    String refWhat;
    if (meta.isPresent() && meta.get().data() != null && meta.get().data().from() != null) {
      refFrom = meta.get().data().from();
      refTo = meta.get().data().to().plusMillis(1);
      if (refTo.isAfter(recentFrom)) {
        refTo = recentFrom;
      }
      refWhat = "training window of " + meta.get().version();
    } else {
      refWhat = "the " + t.integer("reference_days") + " days before the recent window (no model in service)";
    }
    TelemetryWindow recent;
    TelemetryWindow reference;
    if (refFrom == null || !refFrom.isBefore(refTo)) {
      refTo = recentFrom;
      refFrom = recentFrom.minus(Duration.ofDays(t.integer("reference_days")));
      if (meta.isPresent()) {
        refWhat = "the " + t.integer("reference_days") + " days before the recent window (training window overlaps it)";
      }
      // decision: the reference ends where the recent window starts: one read, split here
      TelemetryWindow both = source.read(device, refFrom, at);
      reference = TriggerData.slice(both, refFrom, refTo);
      recent = TriggerData.slice(both, recentFrom, at);
    } else {
      recent = source.read(device, recentFrom, at);
      Set<String> columns = new HashSet<>(t.features());
      columns.add("irradiance_wm2");
      reference = data.reference(device, meta.get().version(), refFrom, refTo, columns);
    }
    List<String> features = t.features();
    for (String f : features) {
      if (recent.size() > 0 && !hasValues(recent, f)) {
        return new Evaluation(false, null, t.number("min_effect"), "feature " + f + " is not in the telemetry of "
            + device + " (fields: " + recent.columns().keySet() + ")", null);
      }
    }
    ZoneId zone = data.zone(device);
    double daylight = t.number("daylight_wm2");
    boolean[] recentRows = daylight(recent, daylight);
    Set<Integer> hours = new HashSet<>();
    for (int i = 0; i < recent.size(); i++) {
      if (recentRows[i]) {
        hours.add(hourOf(recent.ts()[i], zone));
      }
    }
    // decision: the reference keeps only readings at the hours of day the recent window has (and in daylight),
    // so day/night and the daily cycle do not count as drift
    boolean[] refRows = daylight(reference, daylight);
    for (int i = 0; i < reference.size(); i++) {
      refRows[i] &= hours.contains(hourOf(reference.ts()[i], zone));
    }
    List<double[]> ref = new ArrayList<>();
    List<double[]> rec = new ArrayList<>();
    for (String f : features) {
      ref.add(values(reference, f, refRows));
      rec.add(values(recent, f, recentRows));
    }
    DriftStatistics.Result r = DriftStatistics.test(features, ref, rec, t.number("alpha"),
        "fdr".equals(t.spec().getString("correction")) ? DriftStatistics.Correction.FDR
            : DriftStatistics.Correction.BONFERRONI, t.number("min_effect"), t.integer("min_sample"));
    List<Document> per = new ArrayList<>();
    for (DriftStatistics.FeatureResult fr : r.features()) {
      per.add(new Document("feature", fr.feature()).append("d", finite(fr.d())).append("p", finite(fr.p()))
          .append("reference_n", fr.referenceSize()).append("recent_n", fr.recentSize())
          .append("drifted", fr.drifted()));
    }
    Document details = new Document("reference", refWhat).append("reference_from", java.util.Date.from(refFrom))
        .append("reference_to", java.util.Date.from(refTo)).append("features", per);
    return new Evaluation(r.drifted(), finite(r.maxD()), t.number("min_effect"), r.reason() + " [reference: "
        + refWhat + "]", details);
  }

  private static Evaluation performance(Trigger t, Instant at, TriggerData data, boolean live) {
    String device = t.deviceId();
    Optional<ModelMeta> meta = data.productionMeta(device, at, live);
    if (meta.isEmpty()) {
      return new Evaluation(false, null, null, "no model in service for " + device, null);
    }
    ModelMeta m = meta.get();
    double base = m.metrics() == null ? Double.NaN : m.metrics().mae();
    if (!Double.isFinite(base)) {
      return new Evaluation(false, null, null, "model " + m.version() + " has no MAE at promotion", null);
    }
    double pct = t.number("threshold_pct");
    double threshold = base * (1 + pct / 100);
    LoadedModel loaded;
    FeatureSpec spec;
    try {
      loaded = data.model(device, m, live);
      spec = FeatureSpec.ofModel(loaded.meta().featureSpec(), loaded.meta().version());
    } catch (RuntimeException e) {
      return new Evaluation(false, null, threshold, "cannot load model " + m.version() + ": " + e.getMessage(), null);
    }
    Instant from = at.minus(t.window());
    TelemetryWindow w = data.source(device).read(device, from.minus(FEATURE_LOOKBACK), at);
    FeatureMatrix all;
    try {
      all = FeatureBuilder.build(w, spec, data.zone(device));
    } catch (RuntimeException e) {
      return new Evaluation(false, null, threshold, "cannot build the model's features: " + e.getMessage(), null);
    }
    int start = 0;
    while (start < all.size() && all.ts()[start] < from.toEpochMilli()) {
      start++;
    }
    FeatureMatrix labelled = all.slice(start, all.size());
    int minSample = t.integer("min_sample");
    if (labelled.size() < minSample) {
      return new Evaluation(false, null, threshold, "only " + labelled.size() + " labelled rows in the last "
          + human(t.window()) + " (need " + minSample + ")", null);
    }
    Metrics now = Metrics.of(labelled.y(), Predictions.predict(loaded.model(), labelled));
    boolean worse = now.mae() > threshold;
    double change = base > 0 ? (now.mae() / base - 1) * 100 : Double.NaN;
    return new Evaluation(worse, now.mae(), threshold, String.format(Locale.ROOT,
        "MAE %.2f on %d rows of the last %s %s %.2f (MAE at promotion %.2f of %s + %.0f%%): %+.1f%% against"
            + " promotion", now.mae(), now.n(), human(t.window()), worse ? ">" : "<=", threshold, base, m.version(),
        pct, change),
        new Document("version", m.version()).append("mae_at_promotion", base).append("rows", now.n())
            .append("change_pct", finite(change)));
  }

  /** The field is a column with at least one reading (a window read with older buckets pads with NaN). */
  private static boolean hasValues(TelemetryWindow w, String field) {
    if (!w.has(field)) {
      return false;
    }
    for (double v : w.column(field)) {
      if (!Double.isNaN(v)) {
        return true;
      }
    }
    return false;
  }

  private static boolean[] daylight(TelemetryWindow w, double threshold) {
    boolean[] keep = new boolean[w.size()];
    double[] irr = w.has("irradiance_wm2") ? w.column("irradiance_wm2") : null;
    for (int i = 0; i < keep.length; i++) {
      keep[i] = irr == null || irr[i] > threshold;
    }
    return keep;
  }

  private static double[] values(TelemetryWindow w, String field, boolean[] keep) {
    if (!w.has(field)) {
      return new double[0];
    }
    double[] c = w.column(field);
    double[] out = new double[c.length];
    int n = 0;
    for (int i = 0; i < c.length; i++) {
      if (keep[i] && Double.isFinite(c[i])) {
        out[n++] = c[i];
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }

  private static int hourOf(long millis, ZoneId zone) {
    return Instant.ofEpochMilli(millis).atZone(zone).getHour();
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  static String human(Duration d) {
    return d.toString().substring(2).toLowerCase(Locale.ROOT);
  }
}
