package com.retrainconsole.cli;

import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.retrainconsole.runs.RunRecord;
import org.bson.Document;

/** How a run record is shown: plain JSON values (ISO times) for --json, a few aligned lines for people. */
final class RunView {
  private RunView() {}

  /** The run as stored (every field, also those this version does not model) plus the stage timings. */
  static Map<String, Object> summary(RunRecord run, Map<String, Long> stageMillis) {
    Map<String, Object> m = plain(run.stored());
    if (stageMillis != null) {
      m.put("stage_ms", stageMillis);
    }
    return m;
  }

  /** A BSON document as JSON-friendly values: dates as ISO strings, no Mongo _id. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> plain(Document doc) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : doc.entrySet()) {
      if (!e.getKey().equals("_id")) {
        m.put(e.getKey(), value(e.getValue()));
      }
    }
    return m;
  }

  private static Object value(Object v) {
    if (v instanceof Date d) {
      return d.toInstant().toString();
    }
    if (v instanceof Document d) {
      return plain(d);
    }
    if (v instanceof List<?> l) {
      return l.stream().map(RunView::value).toList();
    }
    return v;
  }

  static void printText(Output out, RunRecord run) {
    out.linef("run %s  device %s  status %s", run.runId(), run.deviceId(),
        run.status() == null ? null : run.status().wire());
    RunRecord.Data data = run.data();
    if (data != null) {
      out.linef("  data      %s .. %s  rows %d (train %d, test %d)", data.from(), data.to(), data.rows(),
          data.trainRows(), data.testRows());
    }
    printMetrics(out, "candidate", run.metrics());
    printMetrics(out, "champion", run.championMetrics());
    printMetrics(out, "baseline", run.baselineMetrics());
    if (run.championError() != null) {
      out.line("  champion  not scored: " + run.championError());
    }
    if (run.model() != null) {
      out.linef("  model     %s  sha256 %s", run.model().version(), run.model().sha256());
    }
    if (run.decision() != null) {
      out.linef("  decision  %s: %s", run.decision().isPromoted() ? "PROMOTED" : "kept champion",
          run.decision().reason());
    }
    if (run.warnings() != null) {
      run.warnings().forEach(w -> out.line("  warning   " + w));
    }
    if (run.error() != null) {
      out.line("  error     " + run.error());
    }
    if (run.durationMs() != null) {
      out.linef("  took      %.1f s", run.durationMs() / 1000.0);
    }
  }

  private static void printMetrics(Output out, String label, RunRecord.Metrics m) {
    if (m != null && m.mae() != null) {
      out.linef("  %-9s MAE %.2f  RMSE %.2f  R² %.4f  (n=%d)", label, m.mae(), m.rmse(), m.r2(), m.n());
    }
  }}
