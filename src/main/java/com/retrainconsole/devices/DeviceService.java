package com.retrainconsole.devices;

import com.retrainconsole.common.ConflictException;
import com.retrainconsole.common.DeviceIds;
import com.retrainconsole.common.FieldException;
import com.retrainconsole.common.UserException;
import com.retrainconsole.common.ZoneHints;
import com.retrainconsole.features.FeatureSpec;
import com.retrainconsole.registry.ModelRegistry;
import com.retrainconsole.retrain.RetrainService;
import com.retrainconsole.runs.RunFilter;
import com.retrainconsole.runs.RunRepository;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import com.retrainconsole.telemetry.BucketTelemetryStore;
import com.retrainconsole.common.ProgressListener;
import com.retrainconsole.telemetry.CanonicalFields;
import com.retrainconsole.telemetry.CsvImportOptions;
import com.retrainconsole.telemetry.CsvImportResult;
import com.retrainconsole.telemetry.CsvImporter;
import com.retrainconsole.telemetry.Simulator;
import com.retrainconsole.telemetry.SimulatorConfig;
import com.retrainconsole.telemetry.SimulatorResult;
import com.retrainconsole.telemetry.DeviceConfig;
import com.retrainconsole.telemetry.DeviceRepository;
import com.retrainconsole.telemetry.TelemetrySource;
import com.retrainconsole.telemetry.TelemetrySources;
import com.retrainconsole.telemetry.TelemetryWindow;
import com.retrainconsole.training.DataQualityGate;
import com.retrainconsole.training.GatePolicy;
import com.retrainconsole.training.GateResult;
import com.retrainconsole.triggers.Trigger;
import com.retrainconsole.triggers.TriggerRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.bson.Document;

/**
 * Devices as the user manages them: add, edit (description, zone, location, target, feature spec), point
 * at a source, check readiness, remove. Every change is validated here, once, with errors naming the field
 * ({@link FieldException}), so the CLI, the console and the API judge input alike. Writes are reached
 * through {@link com.retrainconsole.access.Operations}, which checks the caller's role first; reads are
 * open.
 */
public final class DeviceService {
  /** How far back the fields a device "has" are looked for. */
  static final Duration FIELD_LOOKBACK = Duration.ofDays(7);
  public static final int DEFAULT_CHECK_DAYS = 30;
  private static final int GAPS_SHOWN = 5;

  private final Store store;
  private final DeviceRepository devices;
  private final BucketTelemetryStore buckets;
  private final TriggerRepository triggers;
  private final RunRepository runs;
  private final ModelRegistry registry;
  private final Supplier<GatePolicy> gatePolicy;
  private final Clock clock;

  public DeviceService(Store store, DeviceRepository devices, BucketTelemetryStore buckets, TriggerRepository triggers,
      RunRepository runs, ModelRegistry registry, Supplier<GatePolicy> gatePolicy, Clock clock) {
    this.store = store;
    this.devices = devices;
    this.buckets = buckets;
    this.triggers = triggers;
    this.runs = runs;
    this.registry = registry;
    this.gatePolicy = gatePolicy;
    this.clock = clock;
  }

  public List<DeviceConfig> list() {
    return devices.list();
  }

  public DeviceConfig require(String id) {
    return devices.require(id);
  }

  public CollectionProbe probe() {
    return new CollectionProbe(store);
  }

  /** The spec a retrain would use now, whether it was derived, and the fields it was derived from. */
  public record EffectiveSpec(FeatureSpec spec, boolean derived, Set<String> fields) {}

  public EffectiveSpec effectiveSpec(DeviceConfig device) {
    Set<String> fields = fieldsOf(device);
    if (device.featureSpec() != null) {
      return new EffectiveSpec(FeatureSpec.fromDocument(device.featureSpec()), false, fields);
    }
    return new EffectiveSpec(FeatureSpec.derived(device.target(), fields, device.forecast()), true, fields);
  }

  /** Fields with readings in the device's newest week (empty when it has no telemetry yet). */
  public Set<String> fieldsOf(DeviceConfig device) {
    TelemetrySource source = TelemetrySources.forDevice(store, device);
    Optional<Instant> newest = source.newest(device.id());
    if (newest.isEmpty()) {
      return Set.of();
    }
    Instant to = newest.get().plusMillis(1);
    return RetrainService.fieldsWithReadings(source.read(device.id(), to.minus(FIELD_LOOKBACK), to));
  }

  // ---- writes (through Operations)

  public DeviceConfig add(String id, DeviceChanges changes) {
    DeviceConfig config = proposedNew(id, changes);
    devices.insertNew(config);
    return devices.require(id);
  }

  /** The device {@link #add} would store, checked (id, duplicate, every field), without writing. */
  private DeviceConfig proposedNew(String id, DeviceChanges changes) {
    if (!DeviceIds.isValid(id)) {
      throw new FieldException("device_id", "'" + id + "' is not a valid device id: use " + DeviceIds.RULE);
    }
    if (devices.isConfigured(id)) {
      throw new ConflictException("device '" + id + "' already exists; change it with `devices edit " + id
          + "` or pick another id");
    }
    // created_at null: apply() stamps it from the service's clock
    DeviceConfig base = new DeviceConfig(id, null, null, DeviceConfig.DEFAULT_TARGET, null, null, null, null,
        DeviceConfig.Source.buckets(), null, false, true, null, null);
    return apply(base, changes);
  }

  /**
   * Judges {@link #add} followed, when {@code source} is not null, by {@link #setSource} exactly as they
   * would, without writing anything; the device they would store. decision: a caller making both changes
   * in one request (the API's POST /api/devices) checks first, so a bad mapping refuses the request before
   * the device exists instead of leaving it half-configured.
   */
  public DeviceConfig checkAdd(String id, DeviceChanges changes, DeviceConfig.Source source) {
    DeviceConfig proposed = proposedNew(id, changes);
    if (source == null) {
      return proposed;
    }
    checkSource(proposed, source);
    return proposed.withSource(source);
  }

  /** As {@link #checkAdd}, for {@link #edit} (skipped when {@code changes} is empty) then {@link #setSource}. */
  public DeviceConfig checkEdit(String id, DeviceChanges changes, DeviceConfig.Source source) {
    DeviceConfig current = devices.require(id);
    DeviceConfig proposed = changes.isEmpty() ? current : apply(current, changes);
    if (source == null) {
      return proposed;
    }
    checkSource(proposed, source);
    return proposed.withSource(source);
  }

  /** Checks {@code device} pointed at {@code source} (the one judgment {@link #setSource} uses); its preview. */
  private CollectionProbe.Preview checkSource(DeviceConfig device, DeviceConfig.Source source) {
    CollectionProbe.Preview preview = source.isBuckets()
        ? new CollectionProbe.Preview(List.of(), List.of(), 0)
        : probe().check(source, device.target());
    if (device.featureSpec() != null) {
      // a stored spec must still find its fields behind the new source
      checkSpecFields(FeatureSpec.fromDocument(device.featureSpec()), fieldsOf(device.withSource(source)),
          device.id());
    }
    return preview;
  }

  public DeviceConfig edit(String id, DeviceChanges changes) {
    DeviceConfig current = devices.require(id);
    if (changes.isEmpty()) {
      throw new UserException("nothing to change for " + id + "; give at least one field to set");
    }
    DeviceConfig updated = apply(current, changes);
    devices.replace(updated);
    return devices.require(id);
  }

  /** Points the device at {@code source}; a collection is checked against its documents first. */
  public CollectionProbe.Preview setSource(String id, DeviceConfig.Source source) {
    DeviceConfig current = devices.require(id);
    CollectionProbe.Preview preview = checkSource(current, source);
    devices.replace(current.withSource(source));
    return preview;
  }

  /**
   * Deletes the device's configuration and triggers; telemetry, model files and run history stay. Refused
   * while a run of the device is pending or running.
   */
  public RemovalReport remove(String id) {
    DeviceConfig device = devices.require(id);
    long live = store.collection(Collections.RUN_QUEUE).countDocuments(new Document("device_id", id));
    if (live > 0) {
      throw new ConflictException("device " + id + " has " + live + " pending or running run(s); cancel them"
          + " (`runs cancel RUN_ID`) or wait for them to finish before removing it");
    }
    List<String> removed = new ArrayList<>();
    for (Trigger t : triggers.list(id)) {
      triggers.remove(t.triggerId());
      removed.add(t.triggerId());
    }
    long readings = device.source().isBuckets() ? buckets.count(id) : 0;
    int versions = registry.list(id).size();
    long runCount = runs.count(RunFilter.all().withDevice(id));
    devices.markRemoved(id);
    return new RemovalReport(id, removed, readings, versions, runCount,
        device.source().isBuckets() ? null : device.source().collection());
  }

  /** Imports a CSV of readings into the app's buckets (the importer checks the whole file first). */
  public CsvImportResult importCsv(CsvImportOptions options, ProgressListener progress) {
    return new CsvImporter(store).importFile(options, progress);
  }

  /** Simulated readings for the configured devices (the demo source); idempotent for the same config. */
  public SimulatorResult simulate(SimulatorConfig config, ProgressListener progress) {
    return Simulator.simulate(store, config, progress);
  }

  // ---- readiness

  /** The readiness report over the last {@code days} days up to the newest reading. */
  public ReadinessReport check(String id, int days) {
    DeviceConfig device = devices.require(id);
    if (days < 1) {
      throw new FieldException("days", "must be at least 1, got " + days);
    }
    TelemetrySource source = TelemetrySources.forDevice(store, device);
    String sourceText = describe(device.source());
    Optional<Instant> newest = source.newest(id);
    if (newest.isEmpty()) {
      EffectiveSpec eff = effectiveSpec(device);
      return new ReadinessReport(id, sourceText, null, null, days, 0, null, 0, List.of(), 0, List.of(), eff.spec(),
          eff.derived(), List.copyOf(eff.spec().requiredFields()), List.copyOf(eff.spec().requiredFields()), false,
          List.of("no telemetry"), List.of(), false, List.of(device.source().isBuckets()
              ? "No readings yet: import a CSV (`import-csv FILE --device " + id + "`) or point the device at a"
                  + " collection (`devices source " + id + " --collection ...`)."
              : "The collection has no readings for this device: check the device field and value."));
    }
    Instant to = newest.get().plusMillis(1);
    Instant from = to.minus(Duration.ofDays(days));
    TelemetryWindow window = source.read(id, from, to);
    Set<String> present = RetrainService.fieldsWithReadings(window);
    FeatureSpec spec = RetrainService.specFor(device, window);
    boolean derived = device.featureSpec() == null;

    long[] ts = window.ts();
    Duration interval = medianStep(ts);
    double coverage = 0;
    if (interval != null && ts.length > 1) {
      double expected = (ts[ts.length - 1] - ts[0]) / (double) interval.toMillis() + 1;
      coverage = Math.min(100, 100.0 * ts.length / expected);
    } else if (ts.length == 1) {
      coverage = 100;
    }
    List<ReadinessReport.FieldCoverage> fields = new ArrayList<>();
    window.columns().forEach((name, values) -> fields.add(coverageOf(name, values)));
    List<ReadinessReport.Gap> gaps = new ArrayList<>();
    int gapCount = 0;
    if (interval != null) {
      long limit = interval.toMillis() * 2;
      for (int i = 1; i < ts.length; i++) {
        if (ts[i] - ts[i - 1] > limit) {
          gapCount++;
          gaps.add(new ReadinessReport.Gap(Instant.ofEpochMilli(ts[i - 1]), Instant.ofEpochMilli(ts[i]),
              Duration.ofMillis(ts[i] - ts[i - 1])));
        }
      }
      gaps.sort(Comparator.comparing(ReadinessReport.Gap::length).reversed());
    }
    List<String> needs = List.copyOf(spec.requiredFields());
    List<String> lacks = needs.stream().filter(f -> !present.contains(f)).toList();
    List<String> advice = new ArrayList<>();
    boolean gatePassed = false;
    List<String> reasons = new ArrayList<>();
    List<String> warnings = List.of();
    if (lacks.isEmpty()) {
      GateResult gate = DataQualityGate.check(window, spec, gatePolicy.get());
      gatePassed = gate.passed();
      reasons.addAll(gate.reasons());
      warnings = gate.warnings();
    } else {
      reasons.add("the feature spec needs " + lacks + ", which the telemetry lacks");
      advice.add(derived
          ? "Map the field(s) " + lacks + " (the target must be among the device's fields)."
          : "Edit the feature spec (`devices edit " + id + " --inputs ...`, or `--reset-feature-spec` to derive one"
              + " from the fields present) or map the field(s) " + lacks + ".");
    }
    if (!gatePassed && lacks.isEmpty()) {
      advice.add("The quality gate would fail the run: " + String.join("; ", reasons) + ".");
    }
    if (spec.inputs().isEmpty()) {
      advice.add("No weather inputs (" + String.join(", ", CanonicalFields.WEATHER_INPUTS) + ") among the fields"
          + " present " + present + ": the model sees only time and the target's past. Map them if the site"
          + " measures them.");
    }
    fields.stream().filter(f -> f.field().equals(CanonicalFields.IRRADIANCE) && f.max() != null && f.max() > 0
        && f.max() < 2).findFirst().ifPresent(f -> advice.add(String.format(java.util.Locale.ROOT,
        "%s peaks at %.2f: the source is probably in kW/m², not W/m². The model still learns, but thresholds and"
            + " charts read it as W/m²; scale the column by 1000 when importing.", f.field(), f.max())));
    if (coverage < 80 && interval != null) {
      advice.add(String.format(java.util.Locale.ROOT, "Only %.0f %% of the expected readings are there (%d gap(s)"
          + " longer than %s).", coverage, gapCount, pretty(interval.multipliedBy(2))));
    }
    boolean ready = lacks.isEmpty() && gatePassed && device.enabled();
    if (!device.enabled()) {
      // train refuses a disabled device, so the data alone does not make it ready
      reasons.add("the device is disabled");
      advice.add(0, "Enable it with `devices edit " + id + " --enabled on`; train refuses a disabled device.");
    }
    if (ready) {
      advice.add(0, "Ready: `train --device " + id + " --dry-run` would train on " + window.size() + " readings.");
    }
    return new ReadinessReport(id, sourceText, Instant.ofEpochMilli(ts[0]), Instant.ofEpochMilli(ts[ts.length - 1]),
        days, window.size(), interval, coverage, fields, gapCount, gaps.subList(0, Math.min(GAPS_SHOWN, gaps.size())),
        spec, derived, needs, lacks, gatePassed, reasons, warnings, ready, advice);
  }

  public static String describe(DeviceConfig.Source s) {
    return s.isBuckets() ? "the app's telemetry buckets"
        : "collection " + s.collection() + " (" + s.deviceField() + " = " + s.deviceValue() + ", time in "
            + s.tsField() + ")";
  }

  // ---- validation

  /** {@code base} with {@code c} applied and checked; FieldException naming the first bad field. */
  DeviceConfig apply(DeviceConfig base, DeviceChanges c) {
    ZoneId zone = c.zone() == null ? base.zone() : ZoneHints.parse(c.zone(), "zone");
    Double lat = c.lat() != null ? c.lat() : base.lat();
    Double lon = c.lon() != null ? c.lon() : base.lon();
    String target = c.target() == null ? base.target() : CanonicalFields.check(c.target().trim(), "target");
    boolean forecast = c.forecast() == null ? base.forecast() : c.forecast();
    DeviceConfig d = new DeviceConfig(base.id(),
        c.site() == null ? base.site() : c.site(),
        c.displayName() == null ? base.displayName() : c.displayName(),
        target,
        c.targetUnit() == null ? (c.target() == null ? base.targetUnit() : null) : c.targetUnit(),
        lat, lon, zone, base.source(), base.featureSpec(), forecast,
        c.enabled() == null ? base.enabled() : c.enabled(),
        c.notes() == null ? base.notes() : c.notes(),
        base.createdAt() == null ? clock.instant() : base.createdAt());
    // the fields depend only on the device's source: read from the store once, however many checks need them
    DeviceConfig withSource = d;
    java.util.concurrent.atomic.AtomicReference<Set<String>> read = new java.util.concurrent.atomic.AtomicReference<>();
    Supplier<Set<String>> fields = () -> read.updateAndGet(known -> known != null ? known : fieldsOf(withSource));
    if (!target.equals(base.target())) {
      Set<String> present = fields.get();
      if (!present.isEmpty() && !present.contains(target)) {
        throw new FieldException("target", "the telemetry of " + d.id() + " has no '" + target + "'; fields present: "
            + String.join(", ", new TreeSet<>(present)));
      }
    }
    if (!c.touchesFeatureSpec()) {
      if (d.featureSpec() != null && !target.equals(base.target())) {
        // the stored spec follows a new target (its lags of the old target move with it)
        FeatureSpec moved = FeatureSpec.fromDocument(d.featureSpec()).withTarget(target);
        d = d.withFeatureSpec(checkedSpec(moved, d, fields.get()).toDocument());
      } else if (d.featureSpec() != null && forecast && !base.forecast()) {
        d = d.withFeatureSpec(checkedSpec(FeatureSpec.fromDocument(d.featureSpec()), d, fields.get()).toDocument());
      }
      return d;
    }
    if (c.resetFeatureSpec()) {
      return d.withFeatureSpec(null);
    }
    FeatureSpec spec;
    if (c.featureSpec() != null) {
      spec = c.featureSpec();
      if (!spec.target().equals(target)) {
        throw new FieldException("feature_spec.target", "the spec predicts '" + spec.target() + "' but the device's"
            + " target is '" + target + "'; change the target with --target or fix the spec");
      }
    } else {
      spec = d.featureSpec() != null ? FeatureSpec.fromDocument(d.featureSpec()).withTarget(target)
          : FeatureSpec.derived(target, fields.get(), forecast);
    }
    try {
      if (c.inputs() != null) {
        spec = spec.withInputs(c.inputs());
      }
      if (c.lags() != null) {
        spec = spec.withLags(c.lags());
      }
      if (c.rolling() != null) {
        spec = spec.withRolling(c.rolling());
      }
      if (c.timeFeatures() != null) {
        spec = spec.withTimeFeatures(c.timeFeatures());
      }
    } catch (FieldException e) {
      throw e;
    } catch (UserException e) {
      throw new FieldException(e.getMessage().contains("among its inputs") ? "feature_spec.inputs" : "feature_spec",
          e.getMessage());
    }
    return d.withFeatureSpec(checkedSpec(spec, d, fields.get()).toDocument());
  }

  private FeatureSpec checkedSpec(FeatureSpec spec, DeviceConfig device, Set<String> fields) {
    if (device.forecast()) {
      for (FeatureSpec.Lag l : spec.lags()) {
        if (l.field().equals(device.target())) {
          throw new FieldException("feature_spec.lags", "a forecast device has no live " + device.target()
              + " to look back at; remove the lag " + l.featureName() + " or set --forecast off");
        }
      }
    }
    for (String input : spec.inputs()) {
      CanonicalFields.check(input, "feature_spec.inputs");
    }
    List<String> names = spec.featureNames();
    if (new java.util.LinkedHashSet<>(names).size() != names.size()) {
      throw new FieldException("feature_spec", "the spec produces duplicate features " + names
          + "; remove the repeated lag or rolling window");
    }
    checkSpecFields(spec, fields, device.id());
    return spec;
  }

  /** Every field the spec reads must have readings, once the device has any telemetry at all. */
  private static void checkSpecFields(FeatureSpec spec, Set<String> fields, String id) {
    if (fields.isEmpty()) {
      return; // no telemetry yet: nothing to judge against; `devices check` says so later
    }
    String present = String.join(", ", new TreeSet<>(fields));
    for (String input : spec.inputs()) {
      if (!fields.contains(input)) {
        throw new FieldException("feature_spec.inputs", "no field '" + input + "' in the telemetry of " + id
            + "; fields present: " + present);
      }
    }
    for (FeatureSpec.Lag l : spec.lags()) {
      if (!fields.contains(l.field())) {
        throw new FieldException("feature_spec.lags", "lag on '" + l.field() + "', which the telemetry of " + id
            + " lacks; fields present: " + present);
      }
    }
    for (FeatureSpec.Rolling r : spec.rolling()) {
      if (!fields.contains(r.field())) {
        throw new FieldException("feature_spec.rolling", "rolling window on '" + r.field() + "', which the"
            + " telemetry of " + id + " lacks; fields present: " + present);
      }
    }
    if (!fields.contains(spec.target())) {
      throw new FieldException("target", "the telemetry of " + id + " has no '" + spec.target() + "'; fields present: "
          + present);
    }
  }

  private static ReadinessReport.FieldCoverage coverageOf(String name, double[] values) {
    int n = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        n++;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    return new ReadinessReport.FieldCoverage(name, n, values.length == 0 ? 0 : 100.0 * n / values.length,
        n == 0 ? null : min, n == 0 ? null : max);
  }

  private static Duration medianStep(long[] ts) {
    if (ts.length < 2) {
      return null;
    }
    long[] steps = new long[ts.length - 1];
    for (int i = 1; i < ts.length; i++) {
      steps[i - 1] = ts[i] - ts[i - 1];
    }
    Arrays.sort(steps);
    return Duration.ofMillis(steps[steps.length / 2]);
  }

  static String pretty(Duration d) {
    long s = d.getSeconds();
    return s % 3600 == 0 ? s / 3600 + " h" : s % 60 == 0 ? s / 60 + " min" : s + " s";
  }
}
