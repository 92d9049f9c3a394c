package com.retrainconsole.cli;

import static com.retrainconsole.cli.PipelineEndToEndTest.allFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.app.AppContext;
import com.retrainconsole.common.Json;
import com.retrainconsole.features.FeatureSpec;
import com.retrainconsole.registry.Pointer;
import com.retrainconsole.store.Collections;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each wrong input through the real CLI: the exit code, a message that names what is wrong, and nothing
 * half-written (no model files, pointer unchanged, no telemetry, no run left running).
 */
class BadInputTest {
  static final int DAYS = 5;
  static final LocalDateTime CSV_START = LocalDateTime.parse("2020-05-10T00:00:00");

  @TempDir static Path root;
  static Path dataDir;
  static Path modelsDir;
  static Cli cli;

  @BeforeAll
  static void simulate_devices() {
    dataDir = root.resolve("data");
    modelsDir = root.resolve("models");
    cli = new Cli(dataDir, modelsDir);
    cli.run("simulate", "--devices", "good01,tamper01,missing01", "--days", String.valueOf(DAYS), "--interval",
        "15m", "--seed", "3", "--end", "2026-06-01T00:00:00Z", "--json").json();
  }

  // ---- devices and windows

  @Test
  void unknown_device_is_refused_and_the_known_devices_are_listed() {
    Cli.Result r = cli.run("train", "--device", "nope", "--json").expect(2);
    assertTrue(r.out().isBlank(), r.out());
    String error = r.errorLine();
    assertTrue(error.contains("Unknown device 'nope'"), error);
    assertTrue(error.contains("Known devices: ") && error.contains("good01") && error.contains("tamper01"), error);
    assertEquals(0, runCount("nope", null));
    assertFalse(Files.exists(modelsDir.resolve("nope")));
  }

  @Test
  void empty_window_fails_the_run_and_says_the_window_is_empty() throws IOException {
    int before = runCount("good01", null);
    Cli.Result r = cli.run("train", "--device", "good01", "--until", "2020-01-01", "--days", "3", "--json").expect(1);
    JsonNode run = r.parsedOut();
    assertEquals("failed", run.get("status").asText());
    String error = run.get("error").asText();
    assertTrue(error.contains("empty window"), error);
    assertTrue(error.contains("2019-12-29T00:00:00Z") && error.contains("2020-01-01T00:00:00Z"), error);
    assertTrue(error.contains("newest reading: 2026-05-31T23:45:00Z"), error);
    // the same reason, on one line, on stderr (docs/ARCHITECTURE.md §10)
    assertTrue(r.errorLine().contains(run.get("run_id").asText() + " failed") && r.errorLine().contains("empty window"),
        r.errorLine());
    assertNoModelWritten("good01");
    assertEquals(before + 1, runCount("good01", "failed") + runCount("good01", "completed"));
    assertEquals(0, runCount("good01", "running"));
  }

  @Test
  void one_day_of_quarter_hour_readings_is_below_the_gate_minimum() throws IOException {
    Cli.Result r = cli.run("train", "--device", "good01", "--days", "1", "--json").expect(1);
    String error = r.parsedOut().get("error").asText();
    Matcher m = Pattern.compile("only (\\d+) rows in the window, at least 100 needed").matcher(error);
    assertTrue(m.find(), error);
    int rows = Integer.parseInt(m.group(1));
    assertTrue(rows > 0 && rows <= 96, error);
    assertTrue(error.startsWith("Data-quality gate failed"), error);
    assertNoModelWritten("good01");
  }

  @Test
  void a_tiny_import_is_refused_by_the_gate_with_its_row_count(@TempDir Path tmp) throws IOException {
    Path csv = TelemetryCsv.write(tmp.resolve("tiny.csv"), CSV_START, 50, 15, 5, TelemetryCsv.ALL_FIELDS, null);
    assertEquals(50, cli.run("import-csv", csv.toString(), "--device", "tiny01", "--json").json()
        .get("imported").asInt());
    Cli.Result r = cli.run("train", "--device", "tiny01", "--json").expect(1);
    String error = r.parsedOut().get("error").asText();
    assertTrue(error.contains("only 50 rows in the window, at least 100 needed"), error);
    assertNoModelWritten("tiny01");
  }

  // ---- columns

  @Test
  void an_input_column_with_no_values_is_left_out_of_the_derived_spec_and_cannot_be_chosen(@TempDir Path tmp)
      throws IOException {
    int rows = DAYS * 96;
    Path csv = TelemetryCsv.write(tmp.resolve("no-irradiance.csv"), CSV_START, rows, 15, 5,
        TelemetryCsv.ALL_FIELDS, "irradiance_wm2");
    JsonNode imported = cli.run("import-csv", csv.toString(), "--device", "blankirr01", "--json").json();
    assertEquals(rows, imported.get("imported").asInt()); // blank cells are missing values, not bad rows
    JsonNode shown = cli.run("devices", "show", "blankirr01", "--json").json();
    assertFalse(shown.toString().contains("\"irradiance_wm2\""), "a column without values is no input: " + shown);
    Cli.Result trained = cli.run("train", "--device", "blankirr01", "--dry-run", "--json");
    assertEquals("completed", trained.parsedOut().get("status").asText(), trained.out());
    // the user cannot choose it either: the edit names the field and the fields that have readings
    String refused = cli.run("devices", "edit", "blankirr01", "--inputs", "irradiance_wm2").expect(2).errorLine();
    assertTrue(refused.contains("feature_spec.inputs") && refused.contains("irradiance_wm2"), refused);
    assertNoModelWritten("blankirr01");
  }

  @Test
  void an_all_nan_column_written_straight_to_the_store_fails_the_gate() throws IOException {
    int n = DAYS * 96;
    long[] ts = new long[n];
    double[] power = new double[n];
    double[] irradiance = new double[n];
    double[] ambient = new double[n];
    double[] module = new double[n];
    long start = Instant.parse("2021-03-01T00:00:00Z").toEpochMilli();
    for (int i = 0; i < n; i++) {
      ts[i] = start + i * 900_000L;
      irradiance[i] = Math.max(0, Math.sin(Math.PI * ((i % 96) - 24) / 48.0)) * 800 + (i % 7);
      power[i] = irradiance[i] * 0.2;
      ambient[i] = 15 + (i % 11);
      module[i] = Double.NaN;
    }
    withContext(ctx -> ctx.telemetry().write("nanmod01", ts,
        Map.of("power_w", power, "irradiance_wm2", irradiance, "ambient_temp_c", ambient, "module_temp_c", module)));
    storeSpec("nanmod01", FeatureSpec.defaults()); // chosen when the sensor still worked
    Cli.Result r = cli.run("train", "--device", "nanmod01", "--json").expect(1);
    String error = r.parsedOut().get("error").asText();
    assertTrue(error.contains("column module_temp_c is entirely NaN (0 of " + n + " values)"), error);
    assertNoModelWritten("nanmod01");
  }

  @Test
  void a_required_input_column_missing_from_the_telemetry_is_named_with_the_fields_present(@TempDir Path tmp)
      throws IOException {
    Path csv = TelemetryCsv.write(tmp.resolve("no-module.csv"), CSV_START, DAYS * 96, 15, 5,
        List.of("power_w", "irradiance_wm2", "ambient_temp_c"), null);
    cli.run("import-csv", csv.toString(), "--device", "nomodule01", "--json").json();
    storeSpec("nomodule01", FeatureSpec.defaults()); // a spec someone chose, not the derived one
    Cli.Result r = cli.run("train", "--device", "nomodule01", "--json").expect(1);
    String error = r.parsedOut().get("error").asText();
    assertTrue(error.contains("[module_temp_c]"), error);
    assertTrue(error.contains("available fields: [ambient_temp_c, irradiance_wm2, power_w]"), error);
    assertNoModelWritten("nomodule01");
  }

  // ---- models folder and model files

  @Test
  void unwritable_models_folder_fails_before_training_and_names_the_folder() throws IOException {
    Path blocker = Files.writeString(root.resolve("blocker"), "a regular file where a folder should be");
    Path badModels = blocker.resolve("models");
    int before = runCount("good01", null);
    Cli.Result r = new Cli(dataDir, badModels).run("train", "--device", "good01", "--json").expect(2);
    assertTrue(r.out().isBlank(), r.out());
    String error = r.errorLine();
    assertTrue(error.contains("Models folder " + badModels.resolve("good01").resolve("versions")), error);
    assertTrue(error.contains("cannot be written") && error.contains("--models-dir"), error);
    // refused before a run record exists: nothing left in status running, no run added
    assertEquals(before, runCount("good01", null));
    assertEquals(0, runCount(null, "running"));
    assertEquals("a regular file where a folder should be", Files.readString(blocker));
  }

  @Test
  void tampered_model_is_refused_and_the_next_train_records_why_the_champion_was_not_scored() throws IOException {
    String v1 = cli.run("train", "--device", "tamper01", "--json").json().at("/model/version").asText();
    Path file = modelsDir.resolve("tamper01/versions/" + v1 + ".tribuo");
    byte[] bytes = Files.readAllBytes(file);
    for (int i = bytes.length / 2; i < bytes.length / 2 + 8; i++) {
      bytes[i] ^= (byte) 0xFF;
    }
    Files.write(file, bytes);
    byte[] pointerBefore = Files.readAllBytes(pointerFile("tamper01"));

    Cli.Result current = cli.run("model", "current", "--device", "tamper01", "--json").expect(2);
    assertTrue(current.out().isBlank(), current.out());
    String error = current.errorLine();
    assertTrue(error.contains("sha256") && error.contains("mismatch"), error);
    assertTrue(error.contains(file.toString()), error);
    assertTrue(error.contains("rollback --device tamper01"), error);
    assertEquals(new String(pointerBefore), new String(Files.readAllBytes(pointerFile("tamper01"))));

    JsonNode run = cli.run("train", "--device", "tamper01", "--json").json();
    assertEquals("completed", run.get("status").asText());
    assertTrue(run.get("champion_error").asText().contains("sha256"), run.get("champion_error").toString());
    assertTrue(run.get("champion_metrics").isNull(), run.get("champion_metrics").toString());
    String v2 = run.at("/model/version").asText();
    boolean promoted = run.at("/decision/promoted").asBoolean();
    // without a usable champion the candidate must beat the naive baseline
    assertTrue(run.at("/decision/reason").asText().contains("naive baseline"), run.get("decision").toString());
    Pointer after = pointer("tamper01");
    if (promoted) {
      assertEquals(v2, after.version());
      assertEquals(v1, after.previousVersion());
      cli.run("model", "current", "--device", "tamper01").expect(0);
    } else {
      assertEquals(new String(pointerBefore), new String(Files.readAllBytes(pointerFile("tamper01"))));
    }
    // the tampered file is evidence: left where it was, not repaired or deleted
    assertTrue(Files.exists(file));
  }

  @Test
  void missing_model_file_is_reported_with_its_path_and_a_way_out() throws IOException {
    String v1 = cli.run("train", "--device", "missing01", "--json").json().at("/model/version").asText();
    Path file = modelsDir.resolve("missing01/versions/" + v1 + ".tribuo");
    Files.delete(file);
    byte[] pointerBefore = Files.readAllBytes(pointerFile("missing01"));
    Cli.Result r = cli.run("model", "current", "--device", "missing01").expect(2);
    String error = r.errorLine();
    assertTrue(error.contains("Model file " + file) && error.contains("is missing"), error);
    assertTrue(error.contains("rollback --device missing01"), error);
    assertEquals(new String(pointerBefore), new String(Files.readAllBytes(pointerFile("missing01"))));
  }

  // ---- CSV files

  @Test
  void csv_without_a_single_valid_row_is_refused_and_imports_nothing(@TempDir Path tmp) throws IOException {
    Path csv = Files.writeString(tmp.resolve("bad.csv"), """
        timestamp,power_w,irradiance_wm2
        2020-05-10 00:00:00,abc,1
        not a time,1,2
        2020-05-10 00:30:00,NaN,3
        """);
    Cli.Result r = cli.run("import-csv", csv.toString(), "--device", "csvbad01").expect(2);
    String error = r.errorLine();
    assertTrue(error.contains("No usable rows in bad.csv (3 data rows, all rejected); nothing was imported."), error);
    assertTrue(error.contains("line 2: non-numeric value 'abc' in column 'power_w'"), error);
    assertTrue(error.contains("line 3: unparsable time 'not a time'"), error);
    assertTrue(error.contains("line 4: NaN/infinite value 'NaN'"), error);
    assertNothingStoredFor("csvbad01");
  }

  @Test
  void csv_without_the_time_column_names_the_columns_it_has(@TempDir Path tmp) throws IOException {
    Path csv = Files.writeString(tmp.resolve("notime.csv"), """
        time,device_id,power_w
        2020-05-10 00:00:00,csvbad02,1
        """);
    Cli.Result r = cli.run("import-csv", csv.toString()).expect(2);
    String error = r.errorLine();
    assertTrue(error.contains("No time column 'timestamp' in notime.csv"), error);
    assertTrue(error.contains("Columns: 'time', 'device_id', 'power_w'"), error);
    assertTrue(error.contains("--time-column"), error);
    assertNothingStoredFor("csvbad02");
  }

  // ---- flags

  static Stream<Arguments> bad_flags() {
    return Stream.of(
        Arguments.of(List.of("train"), "Missing required option: '--device=ID'"),
        Arguments.of(List.of("train", "--device", "good01", "--days", "abc"),
            "Invalid value for option '--days': 'abc' is not an int"),
        Arguments.of(List.of("train", "--device", "good01", "--frobnicate"), "Unknown option: '--frobnicate'"),
        Arguments.of(List.of("train", "--device", "good01", "--trainer", "gbm"),
            "unknown trainer 'gbm'; valid trainers: cart, forest, xgboost"),
        Arguments.of(List.of("train", "--device", "good01", "--until", "notatime"),
            "Invalid value for option '--until': 'notatime' is not a time"),
        Arguments.of(List.of("simulate", "--interval", "soon"), "'soon' is not a duration"),
        Arguments.of(List.of("model"), "Missing sub-command: current, list, at or label"),
        Arguments.of(List.of("model", "at", "--device", "good01"), "Missing required option: '--time=TIME'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bad_flags")
  void bad_flags_exit_2_with_the_reason_and_the_usage_before_anything_is_opened(List<String> args, String reason,
      @TempDir Path tmp) {
    Path untouched = tmp.resolve("never-created");
    Cli.Result r = new Cli(untouched.resolve("data"), untouched.resolve("models")).run(args.toArray(String[]::new))
        .expect(2);
    assertTrue(r.out().isBlank(), r.out());
    assertTrue(r.errorLine().contains(reason), r.err());
    String command = args.get(0).equals("model") && args.size() > 1 ? "model " + args.get(1) : args.get(0);
    assertTrue(r.err().contains("Usage: retrain-console " + command), r.err());
    // rejected while parsing: the store was never opened, so no data folder was created
    assertFalse(Files.exists(untouched), "flags were rejected only after opening the store");
  }

  @Test
  void days_below_one_is_refused_without_starting_a_run() {
    int before = runCount("good01", null);
    Cli.Result r = cli.run("train", "--device", "good01", "--days", "0").expect(2);
    assertTrue(r.errorLine().contains("--days must be at least 1 (got 0)"), r.err());
    assertEquals(before, runCount("good01", null));
  }

  // ---- helpers

  private static int runCount(String device, String status) {
    List<String> args = new ArrayList<>(List.of("runs", "--limit", "1000", "--json"));
    if (device != null) {
      args.addAll(List.of("--device", device));
    }
    if (status != null) {
      args.addAll(List.of("--status", status));
    }
    return cli.run(args.toArray(String[]::new)).json().get("count").asInt();
  }

  /** No model file of the device exists, and so no pointer. */
  private static void assertNoModelWritten(String device) throws IOException {
    Set<String> files = allFiles(modelsDir.resolve(device));
    assertTrue(files.isEmpty(), "files written for " + device + ": " + files);
  }

  private static void assertNothingStoredFor(String device) {
    withContext(ctx -> {
      assertEquals(0, ctx.store().collection(Collections.TELEMETRY).countDocuments(new Document("device_id", device)));
      assertTrue(ctx.devices().find(device).isEmpty(), device + " was created");
      return null;
    });
  }

  /** Opens the same data folder directly (the CLI has closed it) to look at or seed what it holds. */
  /** Stores a feature spec on the device as an older version, or another tool, would have. */
  private static void storeSpec(String device, FeatureSpec spec) {
    withContext(ctx -> {
      ctx.devices().upsert(com.retrainconsole.telemetry.DeviceConfig.of(device));
      ctx.devices().replace(ctx.devices().require(device).withFeatureSpec(spec.toDocument()));
      return null;
    });
  }

  private static <T> T withContext(Function<AppContext, T> body) {
    try (AppContext ctx = AppContext.open(AppConfig.resolve(null, dataDir, modelsDir, Map.of()))) {
      return body.apply(ctx);
    }
  }

  private static Path pointerFile(String device) {
    return modelsDir.resolve(device).resolve("current_model.json");
  }

  private static Pointer pointer(String device) throws IOException {
    return Json.MAPPER.readValue(pointerFile(device).toFile(), Pointer.class);
  }
}
