package com.retrainconsole.ui.compare;

import com.retrainconsole.comparison.Metric;
import com.retrainconsole.comparison.VersionComparison;
import com.retrainconsole.comparison.VersionPoint;
import com.retrainconsole.training.Metrics;
import java.time.ZoneId;

/**
 * A row of the side-by-side table: a picked version's metrics on its own test rows (from its meta) and,
 * once compared, on the shared recent window.
 */
public record SideRow(
    String version,
    String trainer,
    String created,
    String mae,
    String rmse,
    String r2,
    String n,
    String stage,
    String windowMae,
    String windowRmse,
    String windowR2) {

  static SideRow of(VersionPoint p, VersionComparison.VersionResult compared, ZoneId zone) {
    var m = p.metrics();
    Metrics w = compared == null ? null : compared.windowMetrics();
    return new SideRow(p.version(), p.trainer(), Format.time(p.createdAt(), zone),
        Format.metric(Metric.MAE, p.metric(Metric.MAE)), Format.metric(Metric.RMSE, p.metric(Metric.RMSE)),
        Format.metric(Metric.R2, p.metric(Metric.R2)), m == null ? "–" : String.valueOf(m.n()),
        (p.stage() == null ? "–" : p.stage()) + (p.inService() ? " ★" : ""),
        w == null ? "–" : Format.metric(Metric.MAE, w.mae()), w == null ? "–" : Format.metric(Metric.RMSE, w.rmse()),
        w == null ? "–" : Format.metric(Metric.R2, w.r2()));
  }
}
