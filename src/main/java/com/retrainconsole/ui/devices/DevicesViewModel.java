package com.retrainconsole.ui.devices;

import com.retrainconsole.services.Services;
import com.retrainconsole.common.Durations;
import com.retrainconsole.common.FieldException;
import com.retrainconsole.common.UserException;
import com.retrainconsole.common.ZoneHints;
import com.retrainconsole.devices.DeviceService;
import com.retrainconsole.devices.ReadinessReport;
import com.retrainconsole.features.FeatureSpec;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.telemetry.CanonicalFields;
import com.retrainconsole.telemetry.CsvImportOptions;
import com.retrainconsole.telemetry.DeviceConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Devices view's logic without controls: loading the device list, judging form input field by field
 * (the same core rules a save applies), guessing a CSV column mapping, and wording a readiness report and
 * a run's result. Static so background tasks and tests use it without a window.
 */
public final class DevicesViewModel {
  /** Mapping choices besides a canonical or site field name. */
  public static final String TIME = "time";
  public static final String DEVICE = "device";
  public static final String SKIP = "skip";
  static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
      .withZone(ZoneOffset.UTC);

  private DevicesViewModel() {}

  /** One device as the table shows it. */
  public record Item(DeviceConfig config, long readings, boolean specStored, Set<String> fields) {
    public String id() {
      return config.id();
    }

    public String targetText() {
      String unit = config.unit();
      return config.target() + (unit.isEmpty() ? "" : " (" + unit + ")");
    }

    public String sourceText() {
      DeviceConfig.Source s = config.source();
      return s.isBuckets() ? "buckets" : s.collection() + " · " + s.deviceField() + "=" + s.deviceValue();
    }
  }

  /** Every device with its readings count (buckets: the stored summary; a collection: its documents). */
  public static List<Item> load(Services ctx) {
    return load(ctx, ctx.deviceService().list());
  }

  /** {@link #load(Services)} for {@code devices} only (those of the sites the console shows). */
  public static List<Item> load(Services ctx, List<DeviceConfig> devices) {
    List<Item> out = new ArrayList<>();
    for (DeviceConfig d : devices) {
      long readings;
      if (d.source().isBuckets()) {
        readings = ctx.telemetry().count(d.id());
      } else {
        readings = ctx.store().db().getCollection(d.source().collection())
            .countDocuments(com.retrainconsole.telemetry.MappedCollectionSource.deviceFilter(d.source().deviceField(),
                d.source().deviceValue()));
      }
      out.add(new Item(d, readings, d.featureSpec() != null, Set.of()));
    }
    return out;
  }

  // ---------------------------------------------------------------- field checks (null = fine)

  public static String zoneProblem(String text) {
    try {
      ZoneHints.parse(text, "zone");
      return null;
    } catch (FieldException e) {
      return e.reason();
    }
  }

  public static String latProblem(String text) {
    return coordinateProblem(text, 90, "latitude");
  }

  public static String lonProblem(String text) {
    return coordinateProblem(text, 180, "longitude");
  }

  private static String coordinateProblem(String text, double limit, String what) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      double v = Double.parseDouble(text.trim());
      return v >= -limit && v <= limit ? null
          : what + " must be between " + (int) -limit + " and " + (int) limit + " degrees, got " + text.trim();
    } catch (NumberFormatException e) {
      return "'" + text.trim() + "' is not a number; write degrees with a dot, e.g. 37.1";
    }
  }

  /** Latitude and longitude given together, or neither. */
  public static String pairProblem(String lat, String lon) {
    boolean a = lat != null && !lat.isBlank();
    boolean b = lon != null && !lon.isBlank();
    return a == b ? null : "give latitude and longitude together";
  }

  public static Double number(String text) {
    return text == null || text.isBlank() ? null : Double.valueOf(text.trim());
  }

  public static String targetProblem(String text) {
    try {
      CanonicalFields.check(text == null ? null : text.trim(), "target");
      return null;
    } catch (FieldException e) {
      return e.reason();
    }
  }

  public static String durationProblem(String text) {
    try {
      Duration d = Durations.parse(text);
      return d.isZero() || d.isNegative() ? "must be longer than zero" : null;
    } catch (UserException e) {
      return e.getMessage();
    }
  }

  /** "1h", "15m", "2d" for a duration, as a user would type it back. */
  public static String shortText(Duration d) {
    long s = d.getSeconds();
    if (s % 86400 == 0 && s >= 86400) {
      return s / 86400 + "d";
    }
    if (s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }

  /** The field a save's FieldException belongs to, reduced to the form's keys (source.fields.X stays whole). */
  public static String fieldKey(Throwable e) {
    Throwable c = e;
    while (c != null && !(c instanceof FieldException)) {
      c = c.getCause();
    }
    return c == null ? null : ((FieldException) c).field();
  }

  public static String message(Throwable e) {
    Throwable c = e;
    while (c.getCause() != null && !(c instanceof UserException)) {
      c = c.getCause();
    }
    String text = c instanceof FieldException f ? f.reason()
        : c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    // decision: core messages name CLI flags (--forecast); the form names its own fields
    return text.replaceAll("--([a-z][a-z-]*)", "\u201C$1\u201D");
  }

  // ---------------------------------------------------------------- CSV mapping

  private static final Pattern TIME_NAME = Pattern.compile("(?i).*(date|time|timestamp|^ts$).*");
  private static final Pattern ID_NAME = Pattern.compile("(?i).*(_id|id$|key|source|plant|inverter|serial).*");
  private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  /**
   * A first guess for a site column: time, skip (identifiers, text), or a canonical name recognised in
   * its name (AC_POWER → power_w, IRRADIATION → irradiance_wm2...), else the column's own name in the
   * canonical style when it holds numbers.
   */
  public static String guess(String column, String example, boolean timeTaken) {
    String c = column.toLowerCase(Locale.ROOT);
    String ex = example == null ? "" : example.trim();
    boolean numeric = NUMBER.matcher(ex).matches();
    if (!timeTaken && TIME_NAME.matcher(c).matches() && !numeric) {
      return TIME;
    }
    if (!numeric) {
      return SKIP; // text: a model reads numbers only
    }
    if (ID_NAME.matcher(c).matches()) {
      return SKIP;
    }
    if (c.contains("dc") && c.contains("power")) {
      return "dc_power_w";
    }
    if (c.contains("power") || c.equals("pac") || c.startsWith("p_ac") || c.startsWith("pac")) {
      return CanonicalFields.POWER;
    }
    if (c.contains("irrad") || c.contains("poa") || c.contains("ghi")) {
      return CanonicalFields.IRRADIANCE;
    }
    if (c.contains("module") || c.contains("panel") || c.contains("t_mod")) {
      return CanonicalFields.MODULE;
    }
    if (c.contains("ambient") || c.contains("t_amb") || c.contains("air")) {
      return CanonicalFields.AMBIENT;
    }
    if (c.contains("wind")) {
      return CanonicalFields.WIND;
    }
    if (c.contains("angle") || c.contains("tracker")) {
      return CanonicalFields.TRACKER;
    }
    if (c.contains("yield")) {
      return SKIP; // cumulative counters: not a reading a model should learn from
    }
    String own = c.replaceAll("[^a-z0-9_]+", "_").replaceAll("^_+|_+$", "");
    return own.isEmpty() || !Character.isLetter(own.charAt(0)) ? SKIP : own;
  }

  /** One row of a CSV mapping table: the site column, an example value, and what it maps to. */
  public record CsvColumn(String column, String example, String mapsTo) {}

  /**
   * Import options from a mapping table: the "time" column, a "device" column or else {@code deviceId} for
   * every row, skipped columns mapped to nothing, the rest to their canonical names.
   */
  public static CsvImportOptions csvOptions(Path file, String deviceId, List<CsvColumn> columns, ZoneId zone,
      String target) {
    String time = null;
    String device = null;
    Map<String, String> mapping = new LinkedHashMap<>();
    for (CsvColumn c : columns) {
      String to = c.mapsTo() == null ? SKIP : c.mapsTo().trim();
      switch (to) {
        case TIME -> time = c.column();
        case DEVICE -> device = c.column();
        case SKIP, "" -> mapping.put(c.column(), "");
        default -> mapping.put(c.column(), to);
      }
    }
    return new CsvImportOptions(file, device, device == null ? deviceId : null, time, null, zone, target, mapping,
        null);
  }

  /** The problem with a mapping table before any file is read: a time column and the target are required. */
  public static String mappingProblem(List<CsvColumn> columns, String target) {
    return mappingProblem(columns, target, true);
  }

  /**
   * As {@link #mappingProblem(List, String)}; without {@code targetRequired} (a file imported into a device
   * that has readings, e.g. a weather export completing an inverter's) the target may be missing.
   */
  public static String mappingProblem(List<CsvColumn> columns, String target, boolean targetRequired) {
    long times = columns.stream().filter(c -> TIME.equals(c.mapsTo())).count();
    if (times == 0) {
      return "Mark the column that holds the time (\"time\").";
    }
    if (times > 1) {
      return "Only one column can be the time.";
    }
    if (columns.stream().filter(c -> DEVICE.equals(c.mapsTo())).count() > 1) {
      return "Only one column can name the device.";
    }
    Map<String, String> seen = new LinkedHashMap<>();
    for (CsvColumn c : columns) {
      String to = c.mapsTo() == null ? SKIP : c.mapsTo().trim();
      if (to.isEmpty() || to.equals(SKIP) || to.equals(TIME) || to.equals(DEVICE)) {
        continue;
      }
      String problem = targetProblem(to);
      if (problem != null) {
        return c.column() + ": " + problem;
      }
      String clash = seen.put(to, c.column());
      if (clash != null) {
        return "'" + clash + "' and '" + c.column() + "' both map to " + to + ".";
      }
    }
    if (targetRequired && !seen.containsKey(target)) {
      return "No column maps to the target " + target + ": map the column that holds it.";
    }
    if (seen.isEmpty()) {
      return "Map at least one column to a reading (e.g. " + target + ").";
    }
    return null;
  }

  // ---------------------------------------------------------------- spec, report, run

  /** The feature names a spec produces, in one line. */
  public static String featuresText(FeatureSpec spec) {
    return String.join(", ", spec.featureNames());
  }

  /** The readiness report in plain lines: verdict first, then rows and coverage, gaps, needs, advice. */
  public static String reportText(ReadinessReport r) {
    StringBuilder b = new StringBuilder();
    b.append(r.ready() ? "Ready to train." : "Not ready to train.").append('\n');
    if (r.from() == null) {
      b.append("No readings in ").append(r.source()).append(".\n");
    } else {
      b.append(String.format(Locale.ROOT, "%d readings from %s to %s (last %d days), every %s, %.0f %% coverage.%n",
          r.rows(), UTC.format(r.from()), UTC.format(r.to()), r.days(),
          r.samplingInterval() == null ? "?" : shortText(r.samplingInterval()), r.coveragePct()));
      b.append(r.gapCount() == 0 ? "No gaps." : r.gapCount() + " gap(s); longest: ");
      List<String> gaps = new ArrayList<>();
      for (ReadinessReport.Gap g : r.gaps()) {
        gaps.add(shortText(g.length()) + " from " + UTC.format(g.from()));
      }
      b.append(String.join("; ", gaps)).append('\n');
      List<String> fields = new ArrayList<>();
      for (ReadinessReport.FieldCoverage f : r.fields()) {
        fields.add(String.format(Locale.ROOT, "%s %.0f %%", f.field(), f.coveragePct()));
      }
      b.append("Fields: ").append(String.join(", ", fields)).append('\n');
    }
    b.append("Feature spec (").append(r.specDerived() ? "derived default" : "stored").append(") needs: ")
        .append(String.join(", ", r.specNeeds()));
    b.append(r.specLacks().isEmpty() ? " — all present" : " — lacks " + String.join(", ", r.specLacks())).append('\n');
    b.append("Quality gate: ").append(r.gatePassed() ? "passes" : "fails")
        .append(r.gateReasons().isEmpty() ? "" : " (" + String.join("; ", r.gateReasons()) + ")").append('\n');
    for (String w : r.gateWarnings()) {
      b.append("Warning: ").append(w).append('\n');
    }
    for (String a : r.advice()) {
      b.append("• ").append(a).append('\n');
    }
    return b.toString().trim();
  }

  /** A number with the device's unit, or "—". */
  static String mae(RunRecord.Metrics metrics, String unit) {
    if (metrics == null || metrics.mae() == null) {
      return "—";
    }
    return String.format(Locale.ROOT, "%.1f%s", metrics.mae(), unit.isEmpty() ? "" : " " + unit);
  }

  /** A run's outcome in words: candidate MAE against the naive baseline (and the champion), the decision. */
  public static String runText(RunRecord run, String unit) {
    if (run.status() != RunStatus.COMPLETED) {
      return "Run " + run.runId() + " " + run.status().wire() + ": " + run.error();
    }
    boolean dry = run.dryRun();
    StringBuilder b = new StringBuilder(dry ? "Dry run (nothing written): " : "Trained: ");
    b.append("candidate MAE ").append(mae(run.metrics(), unit)).append(" vs naive baseline (same time yesterday) MAE ")
        .append(mae(run.baselineMetrics(), unit));
    if (run.championMetrics() != null) {
      b.append(" vs model in service ").append(mae(run.championMetrics(), unit));
    }
    if (run.metrics() != null && run.metrics().n() != null) {
      b.append(", on ").append(run.metrics().n()).append(" test rows");
    }
    b.append('.');
    if (run.model() != null) {
      b.append("\nVersion ").append(run.model().version()).append('.');
    }
    RunRecord.Decision decision = run.decision();
    if (decision != null) {
      String reason = String.valueOf(decision.reason()).replaceFirst("^dry run, nothing written: ", "");
      b.append('\n').append(dry ? (Boolean.TRUE.equals(decision.wouldPromote()) ? "Would promote: "
          : "Would not promote: ") : decision.isPromoted() ? "Promoted: " : "Not promoted: ").append(reason);
    }
    return b.toString();
  }

  static String time(Instant t) {
    return t == null ? "—" : UTC.format(t);
  }

  /** The spec a device's form starts from. */
  public static DeviceService.EffectiveSpec effective(Services ctx, String id) {
    return ctx.deviceService().effectiveSpec(ctx.deviceService().require(id));
  }
}
