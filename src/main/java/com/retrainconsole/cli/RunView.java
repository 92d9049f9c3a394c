package com.retrainconsole.cli;

import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/** How a run record is shown: plain JSON values (ISO times) for --json, a few aligned lines for people. */
final class RunView {
  private RunView() {}

  static Map<String, Object> summary(Document run, Map<String, Long> stageMillis) {
    Map<String, Object> m = plain(run);
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

  static void printText(Output out, Document run) {
    out.linef("run %s  device %s  status %s", run.getString("run_id"), run.getString("device_id"),
        run.getString("status"));
    Document data = run.get("data", Document.class);
    if (data != null) {
      out.linef("  data      %s .. %s  rows %d (train %d, test %d)", iso(data.get("from")), iso(data.get("to")),
          data.getInteger("rows"), data.getInteger("train_rows"), data.getInteger("test_rows"));
    }
    printMetrics(out, "candidate", run.get("metrics", Document.class));
    printMetrics(out, "champion", run.get("champion_metrics", Document.class));
    printMetrics(out, "baseline", run.get("baseline_metrics", Document.class));
    if (run.getString("champion_error") != null) {
      out.line("  champion  not scored: " + run.getString("champion_error"));
    }
    Document model = run.get("model", Document.class);
    if (model != null) {
      out.linef("  model     %s  sha256 %s", model.getString("version"), model.getString("sha256"));
    }
    Document decision = run.get("decision", Document.class);
    if (decision != null) {
      out.linef("  decision  %s: %s", Boolean.TRUE.equals(decision.getBoolean("promoted")) ? "PROMOTED" : "kept champion",
          decision.getString("reason"));
    }
    List<?> warnings = run.get("warnings", List.class);
    if (warnings != null) {
      warnings.forEach(w -> out.line("  warning   " + w));
    }
    if (run.getString("error") != null) {
      out.line("  error     " + run.getString("error"));
    }
    if (run.get("duration_ms") != null) {
      out.linef("  took      %.1f s", ((Number) run.get("duration_ms")).longValue() / 1000.0);
    }
  }

  private static void printMetrics(Output out, String label, Document m) {
    if (m != null && m.get("mae") != null) {
      out.linef("  %-9s MAE %.2f  RMSE %.2f  R² %.4f  (n=%d)", label, m.getDouble("mae"), m.getDouble("rmse"),
          m.getDouble("r2"), m.getInteger("n"));
    }
  }

  static String iso(Object date) {
    return date instanceof Date d ? d.toInstant().toString() : String.valueOf(date);
  }
}
