package com.retrainconsole.comparison;

import com.retrainconsole.registry.MetricsDoc;
import com.retrainconsole.registry.ModelMeta;
import java.time.Instant;

/**
 * One saved version as the comparison view plots it: when it was created and its metrics on its own test
 * window (from the meta file, no model load).
 */
public record VersionPoint(
    String version,
    String runId,
    String trainer,
    Instant createdAt,
    MetricsDoc metrics,
    String stage,
    boolean inService) {

  public static VersionPoint of(ModelMeta meta, String currentVersion) {
    return new VersionPoint(meta.version(), meta.runId(), meta.trainer(), meta.createdAt(), meta.metrics(),
        meta.stage() == null ? null : meta.stage().json(), meta.version().equals(currentVersion));
  }

  public double metric(Metric m) {
    return m.of(metrics);
  }
}
