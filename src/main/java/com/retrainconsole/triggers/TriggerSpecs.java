package com.retrainconsole.triggers;

import com.retrainconsole.common.UserException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bson.Document;

/**
 * Validates and completes a trigger's type-specific {@code spec}: fills defaults, checks ranges, and says
 * exactly what is wrong. Durations are stored as ISO-8601 strings ("PT6H") so the documents read well.
 *
 * <pre>
 * cron:        {cron: "30 2 * * *", zone: "Europe/Berlin"}
 * interval:    {every: "PT6H", anchor: Date}
 * new_data:    {min_rows: 500, check_every: "PT1H"}
 * drift:       {features: [..], alpha: 0.01, correction: "bonferroni"|"fdr", min_effect: 0.1, min_sample: 200,
 *               persistence_m: 2, persistence_n: 3, window: "PT24H", reference_days: 7, daylight_wm2: 50,
 *               check_every: "PT1H"}
 * performance: {threshold_pct: 20, window: "PT24H", min_sample: 100, check_every: "PT1H"}
 * </pre>
 */
public final class TriggerSpecs {
  public static final Duration DEFAULT_CHECK_EVERY = Duration.ofHours(1);
  public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
  public static final List<String> DEFAULT_DRIFT_FEATURES = List.of("irradiance_wm2", "module_temp_c");

  private TriggerSpecs() {}

  /** The JSON kind a spec field takes, for callers that check types before {@link #normalize} (the API). */
  public enum FieldKind { TEXT, TEXT_LIST, WHOLE_NUMBER, NUMBER, DURATION, INSTANT }

  /** The spec fields {@code type} knows, in the order {@link #normalize} writes them. */
  public static Map<String, FieldKind> fields(TriggerType type) {
    Map<String, FieldKind> f = new LinkedHashMap<>();
    switch (type) {
      case CRON -> {
        f.put("cron", FieldKind.TEXT);
        f.put("zone", FieldKind.TEXT);
      }
      case INTERVAL -> {
        f.put("every", FieldKind.DURATION);
        f.put("anchor", FieldKind.INSTANT);
      }
      case NEW_DATA -> f.put("min_rows", FieldKind.WHOLE_NUMBER);
      case DRIFT -> {
        f.put("features", FieldKind.TEXT_LIST);
        f.put("alpha", FieldKind.NUMBER);
        f.put("correction", FieldKind.TEXT);
        f.put("min_effect", FieldKind.NUMBER);
        f.put("min_sample", FieldKind.WHOLE_NUMBER);
        f.put("persistence_m", FieldKind.WHOLE_NUMBER);
        f.put("persistence_n", FieldKind.WHOLE_NUMBER);
        f.put("window", FieldKind.DURATION);
        f.put("reference_days", FieldKind.WHOLE_NUMBER);
        f.put("daylight_wm2", FieldKind.NUMBER);
      }
      case PERFORMANCE -> {
        f.put("threshold_pct", FieldKind.NUMBER);
        f.put("window", FieldKind.DURATION);
        f.put("min_sample", FieldKind.WHOLE_NUMBER);
      }
    }
    if (!type.timeBased()) {
      f.put("check_every", FieldKind.DURATION);
    }
    return f;
  }

  /** The fields {@code type} cannot do without (everything else has a default). */
  public static List<String> requiredFields(TriggerType type) {
    return switch (type) {
      case CRON -> List.of("cron");
      case INTERVAL -> List.of("every");
      case NEW_DATA -> List.of("min_rows");
      default -> List.of();
    };
  }

  /** The complete spec for {@code type}, defaults filled in; UserException on anything invalid. */
  public static Document normalize(TriggerType type, Document in, Instant now) {
    Document s = in == null ? new Document() : in;
    return switch (type) {
      case CRON -> {
        CronSchedule c = CronSchedule.parse(s.getString("cron"), s.getString("zone"));
        yield new Document("cron", c.expression()).append("zone", c.zone().getId());
      }
      case INTERVAL -> {
        Duration every = duration(s, "every", null, "--every");
        if (every == null) {
          throw new UserException("An interval trigger needs --every, e.g. --every 6h");
        }
        Instant anchor = instant(s.get("anchor"));
        IntervalSchedule i = new IntervalSchedule(every, anchor == null ? now : anchor);
        yield new Document("every", i.every().toString()).append("anchor", Date.from(i.anchor()));
      }
      case NEW_DATA -> {
        long minRows = longValue(s, "min_rows", -1);
        if (minRows < 1) {
          throw new UserException("A new_data trigger needs --min-rows N with N at least 1"
              + (minRows == -1 ? "" : " (got " + minRows + ")"));
        }
        yield new Document("min_rows", minRows).append("check_every", checkEvery(s).toString());
      }
      case DRIFT -> drift(s);
      case PERFORMANCE -> {
        double pct = doubleValue(s, "threshold_pct", 20);
        if (!(pct > 0) || !Double.isFinite(pct)) {
          throw new UserException("--threshold-pct must be a positive percentage (got " + fmt(pct) + ")");
        }
        Duration window = positive(duration(s, "window", DEFAULT_WINDOW, "--window"), "--window");
        int minSample = (int) longValue(s, "min_sample", 100);
        if (minSample < 1) {
          throw new UserException("--min-sample must be at least 1 (got " + minSample + ")");
        }
        yield new Document("threshold_pct", pct).append("window", window.toString())
            .append("min_sample", minSample).append("check_every", checkEvery(s).toString());
      }
    };
  }

  /**
   * What is wrong with some fields of a spec, judged alone: {@code fields} is laid over a minimal valid spec
   * of {@code type} and normalised; the message of the first problem, or null when those fields are fine.
   * decision: reuses {@link #normalize} so a form checking field by field says exactly what saving would.
   */
  public static String problem(TriggerType type, Document fields, Instant now) {
    Document base = switch (type) {
      case CRON -> new Document("cron", "0 0 * * *").append("zone", "UTC");
      case INTERVAL -> new Document("every", "PT1H");
      case NEW_DATA -> new Document("min_rows", 1L);
      default -> new Document();
    };
    base.putAll(fields);
    try {
      normalize(type, base, now);
      return null;
    } catch (UserException e) {
      return e.getMessage();
    }
  }

  private static Document drift(Document s) {
    List<String> features = new ArrayList<>();
    Object f = s.get("features");
    if (f instanceof List<?> list) {
      for (Object o : list) {
        features.add(String.valueOf(o).trim());
      }
    } else if (f instanceof String str) {
      for (String part : str.split(",")) {
        features.add(part.trim());
      }
    } else {
      features.addAll(DEFAULT_DRIFT_FEATURES);
    }
    features.removeIf(String::isEmpty);
    if (features.isEmpty()) {
      throw new UserException("--features is empty; name the fields to monitor, e.g. irradiance_wm2,module_temp_c");
    }
    if (new LinkedHashSet<>(features).size() != features.size()) {
      throw new UserException("--features lists a field twice: " + String.join(",", features));
    }
    double alpha = doubleValue(s, "alpha", 0.01);
    if (!(alpha > 0 && alpha < 1)) {
      throw new UserException("--alpha must be strictly between 0 and 1, e.g. 0.01 (got " + fmt(alpha) + ")");
    }
    String correction = s.getString("correction") == null ? "bonferroni"
        : s.getString("correction").trim().toLowerCase(Locale.ROOT);
    if (!correction.equals("bonferroni") && !correction.equals("fdr")) {
      throw new UserException("--correction must be bonferroni or fdr (got '" + correction + "')");
    }
    double minEffect = doubleValue(s, "min_effect", 0.1);
    if (!(minEffect >= 0 && minEffect < 1)) {
      throw new UserException("--min-effect is a KS statistic D and must be in [0, 1) (got " + fmt(minEffect) + ")");
    }
    int minSample = (int) longValue(s, "min_sample", 200);
    if (minSample < 1) {
      throw new UserException("--min-sample must be at least 1 (got " + minSample + ")");
    }
    int m = (int) longValue(s, "persistence_m", 1);
    int n = (int) longValue(s, "persistence_n", 1);
    if (n < 1 || m < 1 || m > n || n > 48) {
      throw new UserException("--persistence M/N needs 1 <= M <= N <= 48, e.g. 2/3 (got " + m + "/" + n + ")");
    }
    Duration window = positive(duration(s, "window", DEFAULT_WINDOW, "--window"), "--window");
    int referenceDays = (int) longValue(s, "reference_days", 7);
    if (referenceDays < 1) {
      throw new UserException("--reference-days must be at least 1 (got " + referenceDays + ")");
    }
    double daylight = doubleValue(s, "daylight_wm2", 50);
    if (!(daylight >= 0) || !Double.isFinite(daylight)) {
      throw new UserException("--daylight-wm2 must be 0 or more (got " + fmt(daylight) + ")");
    }
    return new Document("features", features).append("alpha", alpha).append("correction", correction)
        .append("min_effect", minEffect).append("min_sample", minSample).append("persistence_m", m)
        .append("persistence_n", n).append("window", window.toString()).append("reference_days", referenceDays)
        .append("daylight_wm2", daylight).append("check_every", checkEvery(s).toString());
  }

  private static Duration checkEvery(Document s) {
    Duration d = positive(duration(s, "check_every", DEFAULT_CHECK_EVERY, "--check-every"), "--check-every");
    if (d.toMinutes() < 1) {
      throw new UserException("--check-every must be at least 1 minute (got " + d + ")");
    }
    return d;
  }

  private static Duration positive(Duration d, String flag) {
    if (d.isZero() || d.isNegative()) {
      throw new UserException(flag + " must be a positive duration such as 24h (got " + d + ")");
    }
    return d;
  }

  static Duration duration(Document s, String key, Duration dflt, String flag) {
    Object v = s.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Duration d) {
      return d;
    }
    try {
      return Duration.parse(String.valueOf(v));
    } catch (RuntimeException e) {
      throw new UserException(flag + " '" + v + "' is not a duration; use 6h, 30m or PT6H");
    }
  }

  static Instant instant(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Instant i) {
      return i;
    }
    if (v instanceof Date d) {
      return d.toInstant();
    }
    return Instant.parse(String.valueOf(v));
  }

  static long longValue(Document s, String key, long dflt) {
    Object v = s.get(key);
    return v instanceof Number n ? n.longValue() : dflt;
  }

  static double doubleValue(Document s, String key, double dflt) {
    Object v = s.get(key);
    return v instanceof Number n ? n.doubleValue() : dflt;
  }

  private static String fmt(double d) {
    return String.valueOf(d);
  }
}
