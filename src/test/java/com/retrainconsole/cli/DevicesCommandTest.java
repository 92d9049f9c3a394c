package com.retrainconsole.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.retrainconsole.access.UserDirectory;
import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.app.AppContext;
import com.retrainconsole.common.UserException;
import com.retrainconsole.features.FeatureSpec;
import com.retrainconsole.store.Collections;
import com.retrainconsole.telemetry.CanonicalFields;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The devices command group through the real CLI, in-process, on an embedded store in a temp folder: a site's
 * own per-reading collection (as a FastAPI backend writes it) becomes a device's source without copying a
 * reading into the app's buckets, and trains, promotes and predicts through it. Bad input is refused with a
 * message naming the field.
 */
class DevicesCommandTest {
  static final Instant END = Instant.parse("2026-05-01T00:00:00Z");
  static final int DAYS = 12;
  static final Duration STEP = Duration.ofMinutes(15);
  static final String MAP = "pac_kw=power_w,poa_irr=irradiance_wm2,t_amb=ambient_temp_c,t_mod=module_temp_c";

  @TempDir static Path root;
  static Path dataDir;
  static Path modelsDir;
  static Cli cli;

  @BeforeAll
  static void seed_a_site_collection_and_a_bucket_device_without_module_temperature() {
    dataDir = root.resolve("data");
    modelsDir = root.resolve("models");
    cli = new Cli(dataDir, modelsDir);
    withContext(ctx -> {
      ctx.store().collection("plant_readings").insertMany(plantReadings());
      // readings in the app's buckets with no module temperature, written before the device is added
      Site s = site(7);
      ctx.telemetry().write("nomod01", s.ts, Map.of(CanonicalFields.POWER, s.power,
          CanonicalFields.IRRADIANCE, s.irradiance, CanonicalFields.AMBIENT, s.ambient));
      return null;
    });
  }

  // ---- end to end: bring a FastAPI-style collection, train on it, predict from it

  @Test
  void a_site_collection_becomes_a_device_that_trains_promotes_and_predicts_without_copying_readings() {
    JsonNode added = cli.run("devices", "add", "site-inv03", "--zone", "Europe/Madrid", "--lat", "37.1", "--lon",
        "-2.3", "--site", "Almería north", "--name", "Inverter 3", "--unit", "kW", "--json").json();
    assertEquals("Europe/Madrid", added.get("zone").asText());
    assertEquals("buckets", added.at("/source/kind").asText());
    assertEquals("kW", added.get("target_unit").asText());

    JsonNode fields = cli.run("devices", "fields", "--collection", "plant_readings", "--device-field", "sensor",
        "--json").json();
    assertTrue(fields.get("device_values").toString().contains("INV-03"), fields.toString());
    assertTrue(fields.get("device_values").toString().contains("INV-04"), fields.toString());
    assertEquals("number", field(fields, "pac_kw").get("kind").asText());
    assertEquals("date", field(fields, "recorded_at").get("kind").asText());
    assertEquals("text", field(fields, "status").get("kind").asText());
    assertEquals(0, cli.run("devices", "fields", "--collection", "plant_readings").code());

    JsonNode source = cli.run("devices", "source", "site-inv03", "--collection", "plant_readings", "--device-field",
        "sensor", "--device-value", "INV-03", "--time-field", "recorded_at", "--map", MAP, "--json").json();
    assertEquals(List.of("power_w", "irradiance_wm2", "ambient_temp_c", "module_temp_c"),
        texts(source.get("columns")));
    JsonNode preview = source.get("preview");
    assertEquals(5, preview.size(), preview.toString());
    // the newest five readings of INV-03, in UTC, under canonical names, with the values as stored
    Site inv03 = site(3);
    int n = inv03.ts.length;
    for (int i = 0; i < 5; i++) {
      JsonNode row = preview.get(i);
      int k = n - 5 + i;
      assertEquals(Instant.ofEpochMilli(inv03.ts[k]).toString(), row.get("ts").asText());
      assertEquals(inv03.power[k], row.get("power_w").asDouble(), 1e-9);
      assertEquals(inv03.irradiance[k], row.get("irradiance_wm2").asDouble(), 1e-9);
      assertEquals(inv03.module[k], row.get("module_temp_c").asDouble(), 1e-9);
    }
    assertTrue(preview.get(4).get("ts").asText().endsWith("Z"));
    assertEquals(96, source.get("readings_last_day").asInt());
    Cli.Result text = cli.run("devices", "source", "site-inv03", "--collection", "plant_readings", "--device-field",
        "sensor", "--device-value", "INV-03", "--time-field", "recorded_at", "--map", MAP).expect(0);
    assertTrue(text.out().contains("module_temp_c") && text.out().contains("96 readings in the last day"),
        text.out());

    JsonNode check = cli.run("devices", "check", "site-inv03", "--json").json();
    assertTrue(check.get("ready").asBoolean(), check.toString());
    assertEquals(DAYS * 96, check.get("rows").asInt());
    assertEquals("PT15M", check.get("sampling_interval").asText());
    assertEquals(100.0, check.get("coverage_pct").asDouble(), 0.01);
    assertEquals(0, check.get("gap_count").asInt());
    assertTrue(check.get("spec_derived").asBoolean());
    assertEquals(0, check.get("spec_lacks").size());
    assertTrue(check.at("/gate/passed").asBoolean());
    Cli.Result checkText = cli.run("devices", "check", "site-inv03").expect(0);
    assertTrue(checkText.out().contains("ready: yes"), checkText.out());

    JsonNode list = cli.run("devices", "list", "--json").json();
    JsonNode listed = byId(list.get("devices"), "site-inv03");
    assertEquals("collection", listed.get("source_kind").asText());
    assertEquals("derived", listed.get("spec").asText());
    assertTrue(listed.get("readings").isNull());

    JsonNode trained = cli.run("train", "--device", "site-inv03", "--json").json();
    assertEquals("completed", trained.get("status").asText(), trained.toString());
    assertTrue(trained.at("/decision/promoted").asBoolean(), trained.get("decision").toString());
    assertTrue(trained.at("/decision/reason").asText().contains("naive baseline"), trained.get("decision").toString());
    String version = trained.at("/model/version").asText();

    JsonNode current = cli.run("model", "current", "--device", "site-inv03", "--json").json();
    assertTrue(current.get("verified").asBoolean(), current.toString());
    assertEquals(version, current.at("/pointer/version").asText());

    JsonNode predicted = cli.run("predict", "--device", "site-inv03", "--from", "2026-04-30T00:00:00Z", "--to",
        "2026-05-01T00:00:00Z", "--json").json();
    assertEquals(version, predicted.get("version").asText());
    assertTrue(predicted.get("rows").asInt() >= 90, predicted.get("rows").toString());
    assertTrue(predicted.at("/metrics/r2").asDouble() > 0.9, predicted.get("metrics").toString());

    // nothing was copied into the app's telemetry buckets
    withContext(ctx -> {
      assertEquals(0, ctx.store().collection(Collections.TELEMETRY)
          .countDocuments(new Document("device_id", "site-inv03")));
      assertEquals(0, ctx.telemetry().count("site-inv03"));
      return null;
    });
    JsonNode shown = cli.run("devices", "show", "site-inv03", "--json").json();
    assertTrue(shown.at("/effective_spec/derived").asBoolean());
    assertTrue(texts(shown.at("/effective_spec/spec/feature_names")).contains("module_temp_c"), shown.toString());
  }

  // ---- the derived default spec

  @Test
  void a_device_whose_telemetry_lacks_module_temperature_trains_with_the_derived_spec() {
    cli.run("devices", "add", "nomod01", "--zone", "Europe/Madrid").expect(0);
    Set<String> fields = Set.of("power_w", "irradiance_wm2", "ambient_temp_c");
    // the old fixed default would have failed every run of this device
    UserException old = assertThrows(UserException.class, () -> FeatureSpec.defaults().validate(fields));
    assertTrue(old.getMessage().contains("feature spec needs field(s) [module_temp_c]"), old.getMessage());

    JsonNode shown = cli.run("devices", "show", "nomod01", "--json").json();
    assertEquals(DAYS * 96, shown.get("readings").asInt());
    assertTrue(shown.at("/effective_spec/derived").asBoolean());
    assertFalse(texts(shown.at("/effective_spec/spec/inputs")).contains("module_temp_c"), shown.toString());
    assertEquals(List.of("irradiance_wm2", "ambient_temp_c"), texts(shown.at("/effective_spec/spec/inputs")));

    JsonNode trained = cli.run("train", "--device", "nomod01", "--json").json();
    assertEquals("completed", trained.get("status").asText(), trained.toString());
    assertTrue(trained.at("/decision/promoted").asBoolean(), trained.get("decision").toString());
  }

  // ---- bad input, each with its message

  @Test
  void an_unknown_canonical_field_in_a_mapping_suggests_the_right_one() {
    cli.run("devices", "add", "map-typo").expect(0);
    Cli.Result r = cli.run("devices", "source", "map-typo", "--collection", "plant_readings", "--device-field",
        "sensor", "--device-value", "INV-03", "--time-field", "recorded_at", "--map", "pac_kw=power_ww");
    assertEquals(2, r.code());
    assertTrue(r.errorLine().contains("source.fields.pac_kw: unknown field 'power_ww'. Did you mean power_w?"),
        r.err());
    assertEquals("buckets", cli.run("devices", "show", "map-typo", "--json").json().at("/source/kind").asText());
  }

  @Test
  void mapping_a_site_field_the_collection_lacks_lists_the_numeric_fields_found() {
    cli.run("devices", "add", "map-missing").expect(0);
    Cli.Result r = cli.run("devices", "source", "map-missing", "--collection", "plant_readings", "--device-field",
        "sensor", "--device-value", "INV-03", "--time-field", "recorded_at", "--map", "pac_w=power_w");
    assertEquals(2, r.code());
    String line = r.errorLine();
    assertTrue(line.contains("source.fields.pac_w:") && line.contains("no field 'pac_w'"), line);
    assertTrue(line.contains("numeric fields found: [pac_kw, poa_irr, t_amb, t_mod]"), line);
  }

  @Test
  void a_zone_typo_is_refused_with_a_suggestion() {
    Cli.Result r = cli.run("devices", "add", "zone-typo", "--zone", "Europe/Madird");
    assertEquals(2, r.code());
    assertTrue(r.errorLine().contains("zone: 'Europe/Madird' is not a known IANA time zone. Did you mean"
        + " Europe/Madrid?"), r.err());
    assertEquals(2, cli.run("devices", "show", "zone-typo").code());
  }

  @Test
  void a_latitude_out_of_range_is_refused() {
    Cli.Result r = cli.run("devices", "add", "lat-bad", "--lat", "123", "--lon", "-2.3");
    assertEquals(2, r.code());
    assertTrue(r.errorLine().contains("lat: latitude must be between -90 and 90 degrees, got 123.0"), r.err());
  }

  @Test
  void a_lag_on_module_temperature_is_refused_when_the_telemetry_lacks_it() {
    cli.run("devices", "add", "nomod-lag").expect(0);
    Site s = site(11);
    withContext(ctx -> ctx.telemetry().write("nomod-lag", s.ts, Map.of(CanonicalFields.POWER, s.power,
        CanonicalFields.IRRADIANCE, s.irradiance)));
    Cli.Result target = cli.run("devices", "edit", "nomod-lag", "--target", "module_temp_c");
    assertEquals(2, target.code());
    assertTrue(target.errorLine().contains("target: the telemetry of nomod-lag has no 'module_temp_c'; fields present:"
        + " irradiance_wm2, power_w"), target.err());
    Cli.Result r = cli.run("devices", "edit", "nomod-lag", "--lag", "module_temp_c:1h");
    assertEquals(2, r.code());
    assertTrue(r.errorLine().contains("feature_spec.lags: lag on 'module_temp_c', which the telemetry of nomod-lag"
        + " lacks; fields present: irradiance_wm2, power_w"), r.err());

    Cli.Result badDuration = cli.run("devices", "edit", "nomod-lag", "--lag", "power_w:soon");
    assertEquals(2, badDuration.code());
    assertTrue(badDuration.errorLine().contains("lag: 'soon' is not a duration"), badDuration.err());

    // a good edit: stored spec, the change and the resulting features are printed
    JsonNode ok = cli.run("devices", "edit", "nomod-lag", "--lag", "power_w:24h", "--lag", "irradiance_wm2:15m",
        "--rolling", "irradiance_wm2:1h", "--time-features", "off", "--json").json();
    assertEquals(List.of("feature_spec"), texts(ok.get("changed")));
    assertFalse(ok.at("/effective_spec/derived").asBoolean());
    assertEquals(List.of("irradiance_wm2", "power_w_lag_24h", "irradiance_wm2_lag_15m", "irradiance_wm2_mean_1h",
        "irradiance_wm2_std_1h"), texts(ok.at("/effective_spec/spec/feature_names")));
    Cli.Result none = cli.run("devices", "edit", "nomod-lag", "--inputs", "").expect(0);
    assertTrue(none.out().contains("changed feature_spec"), none.out());
    JsonNode reset = cli.run("devices", "edit", "nomod-lag", "--reset-feature-spec", "--json").json();
    assertTrue(reset.at("/effective_spec/derived").asBoolean());
    assertEquals(List.of("irradiance_wm2"), texts(reset.at("/effective_spec/spec/inputs")));

    JsonNode switched = cli.run("devices", "edit", "nomod-lag", "--enabled", "off", "--forecast", "on", "--json")
        .json();
    assertEquals(List.of("forecast", "enabled"), texts(switched.get("changed")));
    assertFalse(texts(switched.at("/effective_spec/spec/feature_names")).contains("power_w_lag_1h"),
        switched.toString()); // a forecast device has no live target to lag
    Cli.Result disabled = cli.run("devices", "check", "nomod-lag", "--json");
    assertEquals(1, disabled.code(), disabled.err());
    JsonNode report = disabled.parsedOut();
    assertFalse(report.get("ready").asBoolean());
    assertTrue(report.at("/gate/passed").asBoolean(), report.toString()); // the data is fine; the switch is off
    assertTrue(report.at("/gate/reasons").toString().contains("the device is disabled"), report.toString());
    assertTrue(report.at("/advice/0").asText().contains("--enabled on"), report.toString());
    Cli.Result onOff = cli.run("devices", "edit", "nomod-lag", "--enabled", "maybe");
    assertEquals(2, onOff.code());
    assertTrue(onOff.errorLine().contains("'maybe' is not on or off"), onOff.err());
  }

  @Test
  void a_feature_spec_file_with_the_target_as_input_is_refused() throws Exception {
    cli.run("devices", "add", "spec-bad").expect(0);
    Path file = root.resolve("spec-bad.json");
    Files.writeString(file, "{\"target\":\"power_w\",\"inputs\":[\"irradiance_wm2\",\"power_w\"],"
        + "\"time_of_day\":true,\"day_of_year\":true,\"lags\":[],\"rolling\":[]}");
    Cli.Result r = cli.run("devices", "edit", "spec-bad", "--feature-spec", file.toString());
    assertEquals(2, r.code());
    assertTrue(r.errorLine().contains("feature_spec: ") && r.errorLine().contains(
        "feature spec lists the target power_w among its inputs"), r.err());

    Path broken = root.resolve("spec-broken.json");
    Files.writeString(broken, "{\"target\": \"power_w\", \"inputs\": [");
    Cli.Result b = cli.run("devices", "edit", "spec-bad", "--feature-spec", broken.toString());
    assertEquals(2, b.code());
    assertTrue(b.errorLine().contains("feature spec JSON is invalid"), b.err());
  }

  @Test
  void adding_a_device_twice_is_refused() {
    cli.run("devices", "add", "dup01").expect(0);
    Cli.Result r = cli.run("devices", "add", "dup01", "--zone", "UTC");
    assertEquals(2, r.code());
    assertTrue(r.errorLine().contains("device 'dup01' already exists; change it with `devices edit dup01`"), r.err());
  }

  @Test
  void removal_is_refused_while_a_run_is_pending_and_after_cancel_reports_what_was_kept() {
    cli.run("devices", "add", "rm01", "--zone", "Europe/Madrid").expect(0);
    Site s = site(5);
    withContext(ctx -> ctx.telemetry().write("rm01", s.ts, Map.of(CanonicalFields.POWER, s.power)));
    cli.run("triggers", "add", "--device", "rm01", "--type", "cron", "--cron", "30 2 * * *", "--zone", "UTC").expect(0);
    String runId = cli.run("train", "--device", "rm01", "--queue", "--json").json().get("run_id").asText();

    Cli.Result refused = cli.run("devices", "remove", "rm01");
    assertEquals(2, refused.code());
    assertTrue(refused.errorLine().contains("device rm01 has 1 pending or running run(s); cancel them"), refused.err());
    assertEquals(0, cli.run("devices", "show", "rm01").code());

    cli.run("runs", "cancel", runId).expect(0);
    JsonNode removed = cli.run("devices", "remove", "rm01", "--json").json();
    assertEquals(1, removed.get("triggers_removed").size());
    assertEquals(DAYS * 96, removed.get("readings_kept").asLong());
    assertEquals(1, removed.get("runs_kept").asLong());
    assertTrue(removed.get("message").asText().contains("Kept: " + DAYS * 96 + " readings in telemetry, 0 model"
        + " version(s), 1 run record(s)"), removed.toString());
    assertEquals(2, cli.run("devices", "show", "rm01").code());
    assertEquals(0, cli.run("triggers", "list", "--device", "rm01", "--json").json().get("count").asInt());
    // added back, the device finds its readings again
    cli.run("devices", "add", "rm01").expect(0);
    assertEquals(DAYS * 96, cli.run("devices", "show", "rm01", "--json").json().get("readings").asInt());
  }

  @Test
  void a_device_without_readings_is_not_ready_and_check_exits_1() {
    cli.run("devices", "add", "norun01").expect(0);
    Cli.Result empty = cli.run("devices", "check", "norun01", "--json");
    assertEquals(1, empty.code());
    assertFalse(empty.parsedOut().get("ready").asBoolean());
    assertTrue(empty.errorLine().contains("norun01 is not ready"), empty.err());
    Cli.Result text = cli.run("devices", "check", "norun01");
    assertTrue(text.out().contains("ready: no"), text.out());
    assertEquals(2, cli.run("devices", "check", "norun01", "--days", "0").code());
  }

  // ---- roles

  @Test
  void an_analyst_may_read_devices_but_not_change_them(@TempDir Path own) {
    Cli mine = new Cli(own.resolve("data"), own.resolve("models"));
    mine.run("devices", "add", "ro01").expect(0); // the local admin adds it
    try (AppContext ctx = AppContext.open(AppConfig.resolve(null, own.resolve("data"), own.resolve("models"),
        Map.of()))) {
      ctx.store().collection(Collections.USERS).insertOne(new Document("_id", UserDirectory.localUser())
          .append("role", "analyst"));
    }
    for (String[] args : List.of(new String[] {"devices", "add", "ro02"},
        new String[] {"devices", "edit", "ro01", "--site", "x"},
        new String[] {"devices", "source", "ro01", "--buckets"},
        new String[] {"devices", "remove", "ro01"})) {
      Cli.Result r = mine.run(args);
      assertEquals(2, r.code(), String.join(" ", args));
      assertTrue(r.errorLine().contains("has the analyst role and may not") && r.errorLine().contains("admin"),
          r.err());
    }
    assertEquals(1, mine.run("devices", "list", "--json").json().get("count").asInt());
    assertTrue(mine.run("devices", "show", "ro01", "--json").json().get("site").isNull());
  }

  // ---- data

  /** One site's readings: power follows irradiance through module temperature, zero at night, with noise. */
  record Site(long[] ts, double[] power, double[] irradiance, double[] ambient, double[] module) {}

  static Site site(long seed) {
    Random rnd = new Random(seed);
    int n = DAYS * 96;
    long start = END.minus(Duration.ofDays(DAYS)).toEpochMilli();
    long[] ts = new long[n];
    double[] p = new double[n];
    double[] g = new double[n];
    double[] ta = new double[n];
    double[] tm = new double[n];
    double cloud = 1;
    for (int i = 0; i < n; i++) {
      ts[i] = start + i * STEP.toMillis();
      double hour = (ts[i] / 3_600_000.0) % 24; // UTC; solar noon near 12:10 UTC at 2.3° W
      // persistent clouds: a slow random walk between 0.2 and 1, so yesterday is a poor guess for today
      cloud = Math.max(0.2, Math.min(1, cloud + rnd.nextGaussian() * 0.08));
      double sun = hour > 5 && hour < 19.3 ? Math.sin(Math.PI * (hour - 5) / 14.3) : 0;
      g[i] = round(1000 * sun * cloud);
      ta[i] = round(14 + 9 * Math.sin(Math.PI * (hour - 8) / 14) + rnd.nextGaussian() * 0.3);
      tm[i] = round(ta[i] + 0.028 * g[i] + rnd.nextGaussian() * 0.3);
      double kw = g[i] <= 0 ? 0 : 0.05 * g[i] * (1 - 0.004 * (tm[i] - 25)) + rnd.nextGaussian() * 0.4;
      p[i] = round(Math.max(0, kw));
    }
    return new Site(ts, p, g, ta, tm);
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  /** INV-03 and INV-04 interleaved, one document per reading, as a FastAPI backend writes them. */
  static List<Document> plantReadings() {
    Site a = site(3);
    Site b = site(4);
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < a.ts.length; i++) {
      docs.add(reading("INV-03", a, i));
      docs.add(reading("INV-04", b, i));
    }
    return docs;
  }

  private static Document reading(String sensor, Site s, int i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sensor", sensor);
    m.put("recorded_at", new Date(s.ts[i]));
    m.put("pac_kw", s.power[i]);
    m.put("poa_irr", s.irradiance[i]);
    m.put("t_amb", s.ambient[i]);
    m.put("t_mod", s.module[i]);
    m.put("status", "OK");
    return new Document(m);
  }

  private static <T> T withContext(Function<AppContext, T> body) {
    try (AppContext ctx = AppContext.open(AppConfig.resolve(null, dataDir, modelsDir, Map.of()))) {
      return body.apply(ctx);
    }
  }

  private static JsonNode field(JsonNode fields, String name) {
    for (JsonNode f : fields.get("fields")) {
      if (f.get("field").asText().equals(name)) {
        return f;
      }
    }
    throw new AssertionError("no field " + name + " in " + fields);
  }

  private static JsonNode byId(JsonNode devices, String id) {
    for (JsonNode d : devices) {
      if (d.get("device_id").asText().equals(id)) {
        return d;
      }
    }
    throw new AssertionError("no device " + id + " in " + devices);
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(x -> out.add(x.asText()));
    return out;
  }
}
