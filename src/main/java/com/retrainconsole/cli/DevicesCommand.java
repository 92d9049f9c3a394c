package com.retrainconsole.cli;

import com.retrainconsole.access.Actor;
import com.retrainconsole.access.UserDirectory;
import com.retrainconsole.services.Services;
import com.retrainconsole.common.Durations;
import com.retrainconsole.common.FieldException;
import com.retrainconsole.common.UserException;
import com.retrainconsole.devices.CollectionProbe;
import com.retrainconsole.devices.DeviceChanges;
import com.retrainconsole.devices.DeviceDiff;
import com.retrainconsole.devices.DeviceService;
import com.retrainconsole.devices.ReadinessReport;
import com.retrainconsole.devices.RemovalReport;
import com.retrainconsole.features.FeatureSpec;
import com.retrainconsole.telemetry.DeviceConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code devices list|show|add|edit|source|fields|check|remove}: the devices the app trains, where their
 * readings come from and whether they are ready. Reads go to {@link DeviceService}; every change goes through
 * {@link com.retrainconsole.access.Operations} as the local user (admins only).
 */
@Command(name = "devices", mixinStandardHelpOptions = true,
    description = "Add, edit, inspect and remove devices; point a device at a site's own collection and check it"
        + " is ready to train. Changes need the admin role.",
    subcommands = {DevicesCommand.ListDevices.class, DevicesCommand.Show.class, DevicesCommand.Add.class,
        DevicesCommand.Edit.class, DevicesCommand.Source.class, DevicesCommand.Fields.class,
        DevicesCommand.Check.class, DevicesCommand.Remove.class, CommandLine.HelpCommand.class})
final class DevicesCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "Missing sub-command: list, show, add, edit, source, fields, check or remove");
  }

  /** The CLI acts as the local OS user, with the role the user directory gives them. */
  /** "on"/"off" (also true/false, yes/no). */
  static final class OnOff implements ITypeConverter<Boolean> {
    @Override
    public Boolean convert(String value) {
      String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
      return switch (v) {
        case "on", "true", "yes" -> Boolean.TRUE;
        case "off", "false", "no" -> Boolean.FALSE;
        default -> throw new TypeConversionException("'" + value + "' is not on or off");
      };
    }
  }

  /** The description flags add and edit share; null = not given. */
  static class DescriptionOptions {
    @Option(names = "--site", paramLabel = "S", description = "Site (plant) the device belongs to.") String site;
    @Option(names = "--name", paramLabel = "N", description = "Display name.") String name;
    @Option(names = "--zone", paramLabel = "ZONE", description = "IANA time zone of the site, e.g. Europe/Madrid"
        + " (time-of-day features and cron triggers use it).") String zone;
    @Option(names = "--lat", paramLabel = "DEG", description = "Latitude, -90..90 (with --lon).") Double lat;
    @Option(names = "--lon", paramLabel = "DEG", description = "Longitude, -180..180 (with --lat).") Double lon;
    @Option(names = "--target", paramLabel = "FIELD", description = "Canonical field the model predicts"
        + " (default power_w).") String target;
    @Option(names = "--unit", paramLabel = "U", description = "Unit of the target as shown, e.g. kW.") String unit;
    @Option(names = "--forecast", paramLabel = "on|off", arity = "1", converter = OnOff.class,
        description = "on: the target is not a live reading, so no feature may lag it.") Boolean forecast;
    @Option(names = "--notes", paramLabel = "TEXT") String notes;

    DeviceChanges changes() {
      DeviceChanges c = DeviceChanges.none().withSite(site).withDisplayName(name).withZone(zone)
          .withForecast(forecast).withNotes(notes);
      if (lat != null || lon != null) {
        c = c.withLocation(lat, lon);
      }
      if (target != null || unit != null) {
        c = c.withTarget(target, unit);
      }
      return c;
    }
  }

  // ---- views

  static Map<String, Object> deviceJson(DeviceConfig d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("device_id", d.id());
    m.put("display_name", d.displayName());
    m.put("site", d.site());
    m.put("target", d.target());
    m.put("target_unit", d.unit().isEmpty() ? null : d.unit());
    m.put("lat", d.lat());
    m.put("lon", d.lon());
    m.put("zone", d.zone().getId());
    m.put("source", TriggersCommand.plain(d.source().toDocument()));
    m.put("forecast", d.forecast());
    m.put("enabled", d.enabled());
    m.put("notes", d.notes());
    m.put("feature_spec_stored", d.featureSpec() != null);
    m.put("created_at", d.createdAt() == null ? null : d.createdAt().toString());
    return m;
  }

  static Map<String, Object> specJson(FeatureSpec s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("target", s.target());
    m.put("inputs", s.inputs());
    m.put("time_of_day", s.timeOfDay());
    m.put("day_of_year", s.dayOfYear());
    m.put("lags", s.lags().stream().map(l -> Output.map("field", l.field(), "lag", l.lag().toString())).toList());
    m.put("rolling", s.rolling().stream().map(r -> Output.map("field", r.field(), "window", r.window().toString()))
        .toList());
    m.put("lag_tolerance", s.lagTolerance() == null ? null : s.lagTolerance().toString());
    m.put("feature_names", s.featureNames());
    return m;
  }

  static Map<String, Object> effectiveJson(DeviceService.EffectiveSpec e) {
    return Output.map("derived", e.derived(), "fields_present", new TreeSet<>(e.fields()), "spec", specJson(e.spec()));
  }

  static String sourceText(DeviceConfig d) {
    DeviceConfig.Source s = d.source();
    if (s.isBuckets()) {
      return DeviceService.describe(s);
    }
    List<String> pairs = new ArrayList<>();
    s.fields().forEach((site, canonical) -> pairs.add(site + "=" + canonical));
    return DeviceService.describe(s) + ", mapping " + String.join(",", pairs);
  }

  static String targetText(DeviceConfig d) {
    return d.target() + (d.unit().isEmpty() ? "" : " (" + d.unit() + ")");
  }

  static void printEffective(Output out, DeviceService.EffectiveSpec e) {
    out.line("feature spec (" + (e.derived() ? "derived from the fields present" : "stored") + "): "
        + e.spec().featureNames().size() + " features");
    out.line("  " + String.join(", ", e.spec().featureNames()));
    out.line("fields present: " + (e.fields().isEmpty() ? "none yet" : String.join(", ", new TreeSet<>(e.fields()))));
  }

  // ---- list / show

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Every device: target, zone, source,"
      + " whether its feature spec is stored or derived, readings in the app's buckets.")
  static final class ListDevices extends StoreCommand {
    @Override
    int call(Services ctx, Output out) {
      List<DeviceConfig> all = ctx.operations().visibility().devices(actor(ctx));
      List<Map<String, Object>> rows = new ArrayList<>();
      for (DeviceConfig d : all) {
        Map<String, Object> m = deviceJson(d);
        m.put("source_kind", d.source().kind());
        m.put("spec", d.featureSpec() == null ? "derived" : "stored");
        m.put("readings", d.source().isBuckets() ? ctx.telemetry().count(d.id()) : null);
        rows.add(m);
      }
      out.result(Output.map("devices", rows, "count", rows.size()), () -> {
        if (rows.isEmpty()) {
          out.line("no devices; add one with `devices add ID`, or load data with simulate or import-csv");
          return;
        }
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"device", "name", "site", "target", "zone", "source", "enabled", "spec", "readings"});
        for (int i = 0; i < rows.size(); i++) {
          DeviceConfig d = all.get(i);
          Map<String, Object> r = rows.get(i);
          table.add(new String[] {d.id(), dash(d.displayName()), dash(d.site()), targetText(d), d.zone().getId(),
              d.source().kind(), d.enabled() ? "yes" : "no", String.valueOf(r.get("spec")),
              r.get("readings") == null ? "(site collection)" : String.valueOf(r.get("readings"))});
        }
        // columns as wide as their longest cell, so long names and sites stay aligned
        int[] width = new int[table.get(0).length];
        for (String[] row : table) {
          for (int c = 0; c < row.length; c++) {
            width[c] = Math.max(width[c], row[c].length());
          }
        }
        for (String[] row : table) {
          StringBuilder line = new StringBuilder();
          for (int c = 0; c < row.length; c++) {
            line.append(c == row.length - 1 ? row[c] : String.format(Locale.ROOT, "%-" + (width[c] + 2) + "s", row[c]));
          }
          out.line(line.toString());
        }
      });
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Everything about a device, with the feature spec a retrain would use now.")
  static final class Show extends StoreCommand {
    @Parameters(index = "0", paramLabel = "ID") String id;

    @Override
    int call(Services ctx, Output out) {
      DeviceService svc = ctx.deviceService();
      DeviceConfig d = device(ctx, id);
      DeviceService.EffectiveSpec eff = svc.effectiveSpec(d);
      Long readings = d.source().isBuckets() ? ctx.telemetry().count(id) : null;
      Map<String, Object> m = deviceJson(d);
      m.put("readings", readings);
      m.put("effective_spec", effectiveJson(eff));
      out.result(m, () -> {
        out.line(d.id() + (d.displayName() == null ? "" : " \"" + d.displayName() + "\"")
            + (d.site() == null ? "" : " at " + d.site()) + (d.enabled() ? "" : "  [DISABLED]"));
        out.line("target:   " + targetText(d) + (d.forecast() ? ", forecast (no lags of the target)" : ""));
        out.line("zone:     " + d.zone().getId() + (d.lat() == null ? "" : ", lat " + d.lat() + " lon " + d.lon()));
        out.line("source:   " + sourceText(d) + (readings == null ? "" : " (" + readings + " readings)"));
        if (d.notes() != null) {
          out.line("notes:    " + d.notes());
        }
        printEffective(out, eff);
      });
      return 0;
    }
  }

  // ---- add / edit

  @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a device (admin). Its readings come"
      + " from the app's buckets until `devices source` points it at a collection.")
  static final class Add extends StoreCommand {
    @Parameters(index = "0", paramLabel = "ID") String id;
    @CommandLine.Mixin DescriptionOptions o = new DescriptionOptions();

    @Override
    int call(Services ctx, Output out) {
      DeviceConfig d = ctx.operations().addDevice(actor(ctx), id, o.changes());
      DeviceService.EffectiveSpec eff = ctx.deviceService().effectiveSpec(d);
      Map<String, Object> m = deviceJson(d);
      m.put("effective_spec", effectiveJson(eff));
      out.result(m, () -> {
        out.line("added " + d.id() + (d.displayName() == null ? "" : " \"" + d.displayName() + "\"")
            + (d.site() == null ? "" : " at " + d.site()) + ": target " + targetText(d) + ", zone " + d.zone().getId()
            + (d.lat() == null ? "" : " (" + d.lat() + ", " + d.lon() + ")") + ", source " + sourceText(d));
        out.line("next: `devices source " + d.id() + " --collection ...` for a site's collection, or"
            + " `import-csv FILE --device " + d.id() + "`; then `devices check " + d.id() + "`");
      });
      return 0;
    }
  }

  @Command(name = "edit", mixinStandardHelpOptions = true, description = "Change a device (admin): description,"
      + " zone, location, target, and its feature spec (the inputs, lags and rolling windows replace the current"
      + " ones; the current spec is the stored one, else the one derived from the fields present).")
  static final class Edit extends StoreCommand {
    @Parameters(index = "0", paramLabel = "ID") String id;
    @CommandLine.Mixin DescriptionOptions o = new DescriptionOptions();
    @Option(names = "--enabled", paramLabel = "on|off", arity = "1", converter = OnOff.class,
        description = "off: no retrain of this device (manual or scheduled).") Boolean enabled;
    @Option(names = "--inputs", paramLabel = "F,F", description = "Raw input fields; '' for none.") String inputs;
    @Option(names = "--lag", paramLabel = "FIELD:DUR", description = "A lag feature, e.g. power_w:24h; repeat"
        + " the flag for several. Replaces the lags.") List<String> lags;
    @Option(names = "--rolling", paramLabel = "FIELD:DUR", description = "Trailing mean and std, e.g."
        + " irradiance_wm2:1h; repeatable. Replaces the rolling windows.") List<String> rolling;
    @Option(names = "--time-features", paramLabel = "on|off", arity = "1", converter = OnOff.class,
        description = "Time of day and day of year (sin/cos in the site's zone).") Boolean timeFeatures;
    @Option(names = "--feature-spec", paramLabel = "FILE.json", description = "A whole feature spec as JSON.")
    Path featureSpec;
    @Option(names = "--reset-feature-spec", description = "Drop the stored spec: the default derived from the"
        + " fields present applies again.") boolean reset;

    @Override
    int call(Services ctx, Output out) {
      if (reset && (featureSpec != null || inputs != null || lags != null || rolling != null
          || timeFeatures != null)) {
        throw new UserException("--reset-feature-spec cannot be combined with other feature-spec flags");
      }
      DeviceChanges c = o.changes().withEnabled(enabled).withResetFeatureSpec(reset);
      if (featureSpec != null) {
        c = c.withFeatureSpec(readSpec(featureSpec));
      }
      if (inputs != null) {
        c = c.withInputs(Arrays.stream(inputs.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
      }
      if (lags != null) {
        c = c.withLags(parsePairs(lags, "lag", FeatureSpec.Lag::new));
      }
      if (rolling != null) {
        c = c.withRolling(parsePairs(rolling, "rolling", FeatureSpec.Rolling::new));
      }
      if (timeFeatures != null) {
        c = c.withTimeFeatures(timeFeatures);
      }
      DeviceService svc = ctx.deviceService();
      DeviceConfig before = svc.require(id);
      DeviceConfig after = ctx.operations().editDevice(actor(ctx), id, c);
      List<String> changed = DeviceDiff.changedFields(before, after);
      DeviceService.EffectiveSpec eff = svc.effectiveSpec(after);
      Map<String, Object> m = deviceJson(after);
      m.put("changed", changed);
      m.put("effective_spec", effectiveJson(eff));
      out.result(m, () -> {
        out.line(changed.isEmpty() ? id + ": nothing changed (the values given are the current ones)"
            : id + ": changed " + String.join(", ", changed));
        printEffective(out, eff);
      });
      return 0;
    }

    static FeatureSpec readSpec(Path file) {
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new FieldException("feature_spec", "cannot read " + file + ": " + e.getMessage());
      }
      try {
        return FeatureSpec.fromJson(text);
      } catch (FieldException e) {
        throw e;
      } catch (UserException e) {
        throw new FieldException("feature_spec", file + ": " + e.getMessage());
      }
    }

    /** "FIELD:DUR" values → lags or rolling windows; FieldException on {@code flag} naming the bad value. */
    static <T> List<T> parsePairs(List<String> values, String flag, BiFunction<String, Duration, T> make) {
      List<T> out = new ArrayList<>();
      for (String v : values) {
        int colon = v.lastIndexOf(':');
        if (colon <= 0 || colon == v.length() - 1) {
          throw new FieldException(flag, "'" + v + "' is not FIELD:DURATION, e.g. power_w:24h or irradiance_wm2:15m");
        }
        String field = v.substring(0, colon).trim();
        try {
          out.add(make.apply(field, Durations.parse(v.substring(colon + 1))));
        } catch (FieldException e) {
          throw e;
        } catch (UserException e) {
          throw new FieldException(flag, e.getMessage());
        }
      }
      return out;
    }
  }

  // ---- source / fields

  @Command(name = "source", mixinStandardHelpOptions = true, description = "Point a device at a site's own"
      + " collection with one document per reading (admin), or back at the app's buckets with --buckets. The"
      + " mapping is checked against the collection's documents; prints the newest rows as the model sees them.")
  static final class Source extends StoreCommand {
    @Parameters(index = "0", paramLabel = "ID") String id;
    @Option(names = "--collection", paramLabel = "C") String collection;
    @Option(names = "--device-field", paramLabel = "F", description = "Field naming the device in each document.")
    String deviceField;
    @Option(names = "--device-value", paramLabel = "V", description = "Its value for this device.") String deviceValue;
    @Option(names = "--time-field", paramLabel = "T", description = "Field with the reading's time (date or epoch).")
    String timeField;
    @Option(names = "--map", paramLabel = "site=canonical,...", description = "Site field to canonical field,"
        + " e.g. pac_kw=power_w,poa_irr=irradiance_wm2.") String map;
    @Option(names = "--buckets", description = "Read the app's own telemetry buckets again.") boolean buckets;

    @Override
    int call(Services ctx, Output out) {
      DeviceConfig.Source source;
      if (buckets) {
        if (collection != null || deviceField != null || deviceValue != null || timeField != null || map != null) {
          throw new UserException("--buckets takes no collection options");
        }
        source = DeviceConfig.Source.buckets();
      } else {
        if (collection == null) {
          throw new FieldException("source.collection", "give --collection C (or --buckets); list what a"
              + " collection holds with `devices fields --collection C`");
        }
        source = DeviceConfig.Source.collection(collection, deviceField, deviceValue, timeField, parseMap(map));
      }
      CollectionProbe.Preview p = ctx.operations().setDeviceSource(actor(ctx), id, source);
      DeviceConfig d = ctx.deviceService().require(id);
      Long readings = d.source().isBuckets() ? ctx.telemetry().count(id) : null;
      List<Map<String, Object>> rows = new ArrayList<>();
      for (CollectionProbe.PreviewRow r : p.rows()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("ts", r.ts().toString());
        row.putAll(r.values());
        rows.add(row);
      }
      Map<String, Object> m = Output.map("device_id", id, "source", TriggersCommand.plain(source.toDocument()),
          "columns", p.columns(), "preview", rows, "readings_last_day", source.isBuckets() ? null
              : p.readingsInLastDay(), "readings", readings);
      out.result(m, () -> {
        out.line(id + " now reads " + sourceText(d) + (readings == null ? "" : " (" + readings + " readings)"));
        if (!source.isBuckets()) {
          out.line("newest rows as the model sees them (UTC):");
          StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "  %-24s", "time"));
          p.columns().forEach(c -> head.append(String.format(Locale.ROOT, " %16s", c)));
          out.line(head.toString());
          for (CollectionProbe.PreviewRow r : p.rows()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-24s", r.ts()));
            p.columns().forEach(c -> {
              Double v = r.values().get(c);
              line.append(v == null ? String.format(Locale.ROOT, " %16s", "-")
                  : String.format(Locale.ROOT, " %16.3f", v));
            });
            out.line(line.toString());
          }
          out.line(p.readingsInLastDay() + " readings in the last day up to the newest; next: `devices check " + id
              + "`");
        }
      });
      return 0;
    }

    static Map<String, String> parseMap(String text) {
      if (text == null || text.isBlank()) {
        throw new FieldException("source.fields", "give --map site=canonical,..., at least the field holding the"
            + " target, e.g. P_AC=power_w");
      }
      Map<String, String> m = new LinkedHashMap<>();
      for (String pair : text.split(",")) {
        String p = pair.trim();
        if (p.isEmpty()) {
          continue;
        }
        int eq = p.indexOf('=');
        if (eq <= 0 || eq == p.length() - 1) {
          throw new FieldException("source.fields", "'" + p + "' is not site=canonical, e.g. pac_kw=power_w");
        }
        String site = p.substring(0, eq).trim();
        if (m.put(site, p.substring(eq + 1).trim()) != null) {
          throw new FieldException("source.fields." + site, "'" + site + "' is mapped twice");
        }
      }
      return m;
    }
  }

  @Command(name = "fields", mixinStandardHelpOptions = true, description = "What a site's collection holds: each"
      + " field found in a sample of its documents, its kind, how many have it, an example; the device values"
      + " seen when --device-field is given. Without --collection, lists the collections that are not the app's.")
  static final class Fields extends StoreCommand {
    @Option(names = "--collection", paramLabel = "C") String collection;
    @Option(names = "--device-field", paramLabel = "F") String deviceField;
    @Option(names = "--device-value", paramLabel = "V") String deviceValue;

    @Override
    int call(Services ctx, Output out) {
      CollectionProbe probe = ctx.deviceService().probe();
      if (collection == null) {
        if (deviceField != null || deviceValue != null) {
          throw new FieldException("source.collection", "give --collection C with --device-field/--device-value");
        }
        List<String> names = probe.siteCollections();
        out.result(Output.map("collections", names), () -> {
          if (names.isEmpty()) {
            out.line("no collections besides the app's own in the connected store");
          }
          names.forEach(out::line);
        });
        return 0;
      }
      if (deviceValue != null && deviceField == null) {
        throw new FieldException("source.device_field", "--device-value needs --device-field");
      }
      CollectionProbe.Sample s = probe.discover(collection, deviceField, deviceValue);
      List<Map<String, Object>> fields = s.fields().stream().map(f -> Output.map("field", f.name(), "kind", f.kind(),
          "present", f.present(), "example", f.example())).toList();
      out.result(Output.map("collection", s.collection(), "sampled", s.documents(), "fields", fields,
          "device_field", deviceField, "device_values", deviceField == null ? null : s.deviceValues()), () -> {
            out.line(s.collection() + ": " + s.documents() + " document(s) sampled (newest first)"
                + (deviceValue != null ? " where " + deviceField + " = " + deviceValue : ""));
            out.linef("  %-24s %-8s %-12s %s", "field", "kind", "present", "example");
            for (CollectionProbe.DiscoveredField f : s.fields()) {
              out.linef("  %-24s %-8s %-12s %s", f.name(), f.kind(), f.present() + " of " + s.documents(),
                  f.example());
            }
            if (deviceField != null) {
              out.line(deviceField + " values seen: " + (s.deviceValues().isEmpty() ? "none"
                  : String.join(", ", s.deviceValues())));
            }
          });
      return 0;
    }
  }

  // ---- check

  @Command(name = "check", mixinStandardHelpOptions = true, description = "Is the device ready to train? The"
      + " window a default retrain reads, coverage and gaps, what the feature spec needs and lacks, the quality"
      + " gate's verdict, advice. Exit 0 when ready, 1 when the check ran and found it not ready, 2 for bad"
      + " input.")
  static final class Check extends StoreCommand {
    @Parameters(index = "0", paramLabel = "ID") String id;
    @Option(names = "--days", defaultValue = "" + DeviceService.DEFAULT_CHECK_DAYS, paramLabel = "N",
        description = "Days up to the newest reading (default: ${DEFAULT-VALUE}, as train).") int days;

    @Override
    int call(Services ctx, Output out) {
      device(ctx, id);
      ReadinessReport r = ctx.deviceService().check(id, days);
      out.result(json(r), () -> print(out, r));
      if (!r.ready()) {
        err().println("error: " + id + " is not ready: " + (r.gateReasons().isEmpty() ? "see the advice"
            : String.join("; ", r.gateReasons())));
        return RetrainCli.EXIT_FAILED;
      }
      return 0;
    }

    static Map<String, Object> json(ReadinessReport r) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("device_id", r.deviceId());
      m.put("ready", r.ready());
      m.put("source", r.source());
      m.put("from", r.from() == null ? null : r.from().toString());
      m.put("to", r.to() == null ? null : r.to().toString());
      m.put("days", r.days());
      m.put("rows", r.rows());
      m.put("sampling_interval", r.samplingInterval() == null ? null : r.samplingInterval().toString());
      m.put("coverage_pct", round1(r.coveragePct()));
      m.put("fields", r.fields().stream().map(f -> Output.map("field", f.field(), "readings", f.readings(),
          "coverage_pct", round1(f.coveragePct()), "min", f.min(), "max", f.max())).toList());
      m.put("gap_count", r.gapCount());
      m.put("largest_gaps", r.gaps().stream().map(g -> Output.map("from", g.from().toString(), "to",
          g.to().toString(), "length", g.length().toString())).toList());
      m.put("spec_derived", r.specDerived());
      m.put("spec", specJson(r.spec()));
      m.put("spec_needs", r.specNeeds());
      m.put("spec_lacks", r.specLacks());
      m.put("gate", Output.map("passed", r.gatePassed(), "reasons", r.gateReasons(), "warnings", r.gateWarnings()));
      m.put("advice", r.advice());
      return m;
    }

    static void print(Output out, ReadinessReport r) {
      out.line(r.deviceId() + ": " + r.source());
      if (r.from() == null) {
        out.line("no readings");
      } else {
        out.linef("window: %s .. %s (the last %d days up to the newest reading), %d rows, every %s, %.1f %% of the expected"
            + " readings", r.from(), r.to(), r.days(), r.rows(), r.samplingInterval() == null ? "-"
            : pretty(r.samplingInterval()), r.coveragePct());
        out.linef("  %-20s %10s %9s %12s %12s", "field", "readings", "coverage", "min", "max");
        for (ReadinessReport.FieldCoverage f : r.fields()) {
          out.linef("  %-20s %10d %8.1f%% %12s %12s", f.field(), f.readings(), f.coveragePct(), num(f.min()),
              num(f.max()));
        }
        out.line("gaps: " + r.gapCount() + (r.gaps().isEmpty() ? "" : ", largest " + pretty(r.gaps().get(0).length())
            + " (" + r.gaps().get(0).from() + " .. " + r.gaps().get(0).to() + ")"));
      }
      out.line("feature spec (" + (r.specDerived() ? "derived" : "stored") + ") needs " + String.join(", ",
          r.specNeeds()) + (r.specLacks().isEmpty() ? "" : "; lacks " + String.join(", ", r.specLacks())));
      out.line("quality gate: " + (r.gatePassed() ? "passes" : "fails"));
      r.gateReasons().forEach(x -> out.line("  reason: " + x));
      r.gateWarnings().forEach(x -> out.line("  warning: " + x));
      out.line("ready: " + (r.ready() ? "yes" : "no"));
      r.advice().forEach(a -> out.line("- " + a));
    }

    private static Double round1(double v) {
      return Double.isFinite(v) ? Math.round(v * 10) / 10.0 : null;
    }

    private static String num(Double v) {
      return v == null ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }
  }

  // ---- remove

  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a device (admin): its"
      + " configuration and triggers go; readings, model versions and run history stay. Refused while a run of"
      + " the device is pending or running.")
  static final class Remove extends StoreCommand {
    @Parameters(index = "0", paramLabel = "ID") String id;

    @Override
    int call(Services ctx, Output out) {
      RemovalReport r = ctx.operations().removeDevice(actor(ctx), id);
      out.result(Output.map("device_id", r.deviceId(), "triggers_removed", r.triggersRemoved(), "readings_kept",
          r.readingsKept(), "model_versions_kept", r.modelVersionsKept(), "runs_kept", r.runsKept(), "message",
          r.describe()), () -> out.line(r.describe()));
      return 0;
    }
  }

  static String pretty(Duration d) {
    long s = d.getSeconds();
    return s % 3600 == 0 ? s / 3600 + " h" : s % 60 == 0 ? s / 60 + " min" : s + " s";
  }

  private static String dash(String s) {
    return s == null ? "-" : s;
  }
}
