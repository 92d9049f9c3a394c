package com.retrainconsole.alerts;

import com.retrainconsole.registry.ModelMeta;
import com.retrainconsole.registry.ModelRegistry;
import com.retrainconsole.registry.Stage;
import com.retrainconsole.registry.StageChange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.bson.Document;

/**
 * MODEL_DEGRADATION: the MAE at promotion of a device's successive production models is rising. Each
 * version counts once, at its first production stage change (a rollback does not add a point), in that
 * order; over the last {@code degradationWindow} of them (at least {@code degradationMinPoints}), the
 * Theil–Sen slope per promotion divided by the median MAE must exceed {@code degradationRelativeSlope}.
 *
 * <p>decision: x is the promotion index, not time: "each new model is worse than the one before" is the
 * signal, and promotion gaps vary from hours to weeks. The median of pairwise slopes ignores one bad model.
 */
final class ModelDegradationDetector {
  private final ModelRegistry registry;
  private final AlertService alerts;
  private final AlertPolicy policy;
  // device -> pointer file mtime+size last evaluated; the metas only change when the pointer moves
  private final Map<String, String> evaluated = new ConcurrentHashMap<>();

  ModelDegradationDetector(ModelRegistry registry, AlertService alerts, AlertPolicy policy) {
    this.registry = registry;
    this.alerts = alerts;
    this.policy = policy;
  }

  static String key(String deviceId) {
    return AlertTypes.MODEL_DEGRADATION + ":" + deviceId;
  }

  /** Evaluates every device whose pointer moved since the last call. */
  List<Document> onTick() throws IOException {
    List<Document> raised = new ArrayList<>();
    Path models = registry.modelsDir();
    if (!Files.isDirectory(models)) {
      return raised;
    }
    List<Path> pointers;
    try (Stream<Path> dirs = Files.list(models)) {
      pointers = dirs.map(d -> d.resolve(ModelRegistry.POINTER_FILE)).filter(Files::isRegularFile).toList();
    }
    for (Path pointer : pointers) {
      String device = pointer.getParent().getFileName().toString();
      String stamp;
      try {
        stamp = Files.getLastModifiedTime(pointer).toMillis() + "/" + Files.size(pointer);
      } catch (IOException e) {
        continue; // moved while we looked: next tick
      }
      if (stamp.equals(evaluated.get(device))) {
        continue;
      }
      Document alert = evaluate(device);
      evaluated.put(device, stamp);
      if (alert != null) {
        raised.add(alert);
      }
    }
    return raised;
  }

  /** Evaluates one device now; returns the alert raised or null (then any open incident is resolved). */
  Document evaluate(String device) {
    record Point(ModelMeta meta, Instant promotedAt) {}
    List<Point> points = new ArrayList<>();
    for (ModelMeta meta : registry.list(device)) {
      Instant first = meta.stageHistory().stream()
          .filter(c -> c.stage() == Stage.PRODUCTION).map(StageChange::at).min(Comparator.naturalOrder())
          .orElse(null);
      if (first != null && meta.metrics() != null && Double.isFinite(meta.metrics().mae())) {
        points.add(new Point(meta, first));
      }
    }
    points.sort(Comparator.comparing(Point::promotedAt));
    List<Point> recent = points.subList(Math.max(0, points.size() - policy.degradationWindow()), points.size());
    if (recent.size() < policy.degradationMinPoints()) {
      return null; // too little history to speak of a trend; leave any incident as it is
    }
    double[] mae = recent.stream().mapToDouble(p -> p.meta().metrics().mae()).toArray();
    double slope = TheilSen.slope(mae);
    double median = TheilSen.median(mae);
    double relative = median > 0 ? slope / median : 0;
    if (relative <= policy.degradationRelativeSlope()) {
      alerts.resolveIncident(key(device), "detector", String.format(java.util.Locale.ROOT,
          "MAE trend %+.1f%% per promotion", relative * 100));
      return null;
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("versions", recent.stream().map(p -> p.meta().version()).toList());
    details.put("run_ids", recent.stream().map(p -> p.meta().runId()).filter(r -> r != null).toList());
    details.put("mae", java.util.Arrays.stream(mae).boxed().toList());
    details.put("slope_per_promotion", slope);
    details.put("relative_slope", relative);
    details.put("threshold", policy.degradationRelativeSlope());
    return alerts.raiseAlert(AlertTypes.MODEL_DEGRADATION, device, key(device), String.format(java.util.Locale.ROOT,
        "MAE of %s's production models rises %+.1f%% per promotion over the last %d (%.2f -> %.2f; threshold"
            + " %.1f%%)", device, relative * 100, recent.size(), mae[0], mae[mae.length - 1],
        policy.degradationRelativeSlope() * 100), details);
  }
}
