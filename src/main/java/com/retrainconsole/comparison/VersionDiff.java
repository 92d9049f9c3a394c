package com.retrainconsole.comparison;

import com.fasterxml.jackson.databind.JsonNode;
import com.retrainconsole.registry.DataWindow;
import com.retrainconsole.registry.MetricsDoc;
import com.retrainconsole.registry.ModelMeta;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The configuration of two saved versions side by side, field by field, from what their meta files record:
 * trainer and every trainer parameter (the seed among them), the feature spec (flattened to one row per
 * setting), the data window and its row counts, the app version when recorded, and the test-window metrics.
 * Values are compared as displayed (metrics rounded to their meaning), so a row differs exactly when the
 * two cells read differently.
 */
public record VersionDiff(String versionA, String versionB, List<Row> rows) {
  /** Shown where a version does not record a field. */
  public static final String MISSING = "–";

  public enum Section {
    VERSION("Version"),
    TRAINER("Trainer"),
    FEATURES("Feature spec"),
    DATA("Data"),
    METRICS("Metrics");

    private final String label;

    Section(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** One field of both versions; {@code a} and {@code b} are display text ({@link #MISSING} when absent). */
  public record Row(Section section, String field, String a, String b) {
    public Row {
      a = a == null ? MISSING : a;
      b = b == null ? MISSING : b;
    }

    public boolean differs() {
      return !a.equals(b);
    }
  }

  public VersionDiff {
    rows = List.copyOf(rows);
  }

  /** The rows whose values differ, in order. */
  public List<Row> differences() {
    return rows.stream().filter(Row::differs).toList();
  }

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  /** {@code a} (usually the older) against {@code b}; times in {@code zone}. */
  public static VersionDiff of(ModelMeta a, ModelMeta b, ZoneId zone) {
    Objects.requireNonNull(a);
    Objects.requireNonNull(b);
    List<Row> rows = new ArrayList<>();
    rows.add(new Row(Section.VERSION, "Created", time(a.createdAt(), zone), time(b.createdAt(), zone)));
    rows.add(new Row(Section.VERSION, "Run", a.runId(), b.runId()));
    rows.add(new Row(Section.VERSION, "Stage", a.stage() == null ? null : a.stage().json(),
        b.stage() == null ? null : b.stage().json()));
    rows.add(new Row(Section.VERSION, "Label", a.label(), b.label()));
    rows.add(new Row(Section.VERSION, "Tags", tags(a), tags(b)));
    rows.add(new Row(Section.VERSION, "App version", appVersion(a), appVersion(b)));

    rows.add(new Row(Section.TRAINER, "Trainer", a.trainer(), b.trainer()));
    TreeSet<String> params = new TreeSet<>(a.params().keySet());
    params.addAll(b.params().keySet());
    params.remove("trainer"); // the row above
    params.remove(ModelMeta.APP_VERSION_PARAM); // its own row, under Version
    for (String p : params) {
      rows.add(new Row(Section.TRAINER, p, scalar(a.params().get(p)), scalar(b.params().get(p))));
    }

    Map<String, String> specA = flatten(a.featureSpec());
    Map<String, String> specB = flatten(b.featureSpec());
    List<String> keys = new ArrayList<>(specA.keySet());
    for (String k : specB.keySet()) {
      if (!specA.containsKey(k)) {
        keys.add(k);
      }
    }
    for (String k : keys) {
      rows.add(new Row(Section.FEATURES, k, specA.get(k), specB.get(k)));
    }

    DataWindow da = a.data();
    DataWindow db = b.data();
    rows.add(new Row(Section.DATA, "From", da == null ? null : time(da.from(), zone),
        db == null ? null : time(db.from(), zone)));
    rows.add(new Row(Section.DATA, "Until", da == null ? null : time(da.to(), zone),
        db == null ? null : time(db.to(), zone)));
    rows.add(new Row(Section.DATA, "Rows", da == null ? null : count(da.rows()), db == null ? null : count(db.rows())));
    rows.add(new Row(Section.DATA, "Training rows", da == null ? null : count(da.trainRows()),
        db == null ? null : count(db.trainRows())));
    rows.add(new Row(Section.DATA, "Test rows", da == null ? null : count(da.testRows()),
        db == null ? null : count(db.testRows())));

    for (Metric m : Metric.values()) {
      rows.add(new Row(Section.METRICS, m.label(), metric(m, a.metrics()), metric(m, b.metrics())));
    }
    rows.add(new Row(Section.METRICS, "Compared with", champion(a), champion(b)));
    rows.add(new Row(Section.METRICS, "Champion MAE", metric(Metric.MAE, a.championMetrics()),
        metric(Metric.MAE, b.championMetrics())));
    return new VersionDiff(a.version(), b.version(), rows);
  }

  /** MAE and RMSE in watts with 1 decimal, R² with 3: the precision the figures mean. */
  public static String metric(Metric m, MetricsDoc doc) {
    double v = m.of(doc);
    if (!Double.isFinite(v)) {
      return MISSING;
    }
    return m == Metric.R2 ? String.format(Locale.ROOT, "%.3f", v)
        : String.format(Locale.ROOT, "%.1f %s", v, m.unit());
  }

  private static String tags(ModelMeta m) {
    return m.tags() == null || m.tags().isEmpty() ? null : String.join(", ", m.tags());
  }

  private static String appVersion(ModelMeta m) {
    Object v = m.params().get(ModelMeta.APP_VERSION_PARAM);
    return v == null ? "not recorded" : v.toString();
  }

  private static String champion(ModelMeta m) {
    if (ModelMeta.CHAMPION_NAIVE.equals(m.championSource())) {
      return "naive baseline (same time yesterday)";
    }
    return m.championVersion();
  }

  private static String time(Instant t, ZoneId zone) {
    return t == null ? null : TIME.format(t.atZone(zone));
  }

  private static String count(int n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static String scalar(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
      return String.valueOf(d.longValue());
    }
    return v.toString();
  }

  /**
   * The feature spec as one row per setting: nested objects by dotted key, lists joined with ", " (a list
   * of objects reads as their values joined, e.g. "power 1h"), ISO durations in short form.
   */
  static Map<String, String> flatten(JsonNode spec) {
    Map<String, String> out = new LinkedHashMap<>();
    if (spec != null && !spec.isNull() && !spec.isMissingNode()) {
      flatten("", spec, out);
    }
    return out;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        flatten(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), f.getValue(), out);
      }
    } else {
      out.put(prefix.isEmpty() ? "spec" : prefix, text(node));
    }
  }

  private static String text(JsonNode node) {
    if (node == null || node.isNull()) {
      return MISSING;
    }
    if (node.isArray()) {
      if (node.isEmpty()) {
        return "none";
      }
      List<String> parts = new ArrayList<>();
      node.forEach(e -> parts.add(text(e)));
      return String.join(", ", parts);
    }
    if (node.isObject()) {
      List<String> parts = new ArrayList<>();
      node.forEach(e -> parts.add(text(e)));
      return String.join(" ", parts);
    }
    if (node.isTextual()) {
      return duration(node.asText());
    }
    return node.asText();
  }

  /** "PT1H30M" → "1h30m"; anything that is not an ISO duration unchanged. */
  static String duration(String s) {
    if (!s.startsWith("PT") && !s.startsWith("P")) {
      return s;
    }
    try {
      Duration d = Duration.parse(s);
      long secs = d.getSeconds();
      // as feature names spell them: "24h" (a day's lag reads in hours), "7d" from two days up
      if (secs >= 2 * 86400 && secs % 86400 == 0) {
        return secs / 86400 + "d";
      }
      StringBuilder b = new StringBuilder();
      if (secs >= 3600) {
        b.append(secs / 3600).append('h');
      }
      if (d.toMinutesPart() > 0) {
        b.append(d.toMinutesPart()).append('m');
      }
      if (d.toSecondsPart() > 0 || b.length() == 0) {
        b.append(d.toSecondsPart()).append('s');
      }
      return b.toString();
    } catch (DateTimeParseException e) {
      return s;
    }
  }
}
