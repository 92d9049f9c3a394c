package com.retrainconsole.telemetry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.common.UserException;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Files shaped like real plant exports: text and id columns, several files for one device, day-first
 * dates, future readings, other encodings.
 */
class CsvImporterRealExportsTest {
  private static final Instant NOW = Instant.parse("2020-06-01T00:00:00Z");
  private static final List<String> INVERTERS = PlantExports.INVERTERS;
  private static final LocalDateTime PLANT_START = PlantExports.START;
  private static final int PLANT_ROWS = PlantExports.ROWS;
  private static Store store;
  @TempDir Path dir;
  private CsvImporter importer;
  private BucketTelemetryStore telemetry;

  @BeforeAll
  static void open() {
    store = Store.openInMemory();
  }

  @AfterAll
  static void close() {
    store.close();
  }

  @BeforeEach
  void clean() {
    store.collection(Collections.TELEMETRY).deleteMany(new Document());
    store.collection(Collections.DEVICES).deleteMany(new Document());
    importer = new CsvImporter(store, Clock.fixed(NOW, ZoneOffset.UTC));
    telemetry = new BucketTelemetryStore(store);
  }

  private Path csv(String name, String... lines) throws IOException {
    return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
  }

  private TelemetryWindow all(String device) {
    return telemetry.read(
        device, Instant.parse("2000-01-01T00:00:00Z"), Instant.parse("2100-01-01T00:00:00Z"));
  }

  private CsvImportResult run(CsvImportOptions options) {
    return importer.importFile(options, (s, f) -> {});
  }

  private String refused(CsvImportOptions options) {
    return assertThrows(UserException.class, () -> run(options)).getMessage();
  }

  // ---- columns

  @Test
  void skips_text_and_constant_id_columns_and_reports_them() throws IOException {
    Path file =
        csv(
            "w.csv",
            "timestamp,PLANT_ID,SOURCE_KEY,power_w,irradiance_wm2,status_code",
            "2020-05-15 00:15:00,4135001,HmiyD2TTLFNqkNe,1,0,OK",
            "2020-05-15 00:30:00,4135001,HmiyD2TTLFNqkNe,2,0,OK",
            "2020-05-15 00:45:00,4135001,HmiyD2TTLFNqkNe,3,0,FAULT");

    CsvImportResult result = run(CsvImportOptions.forDevice(file, "p1"));

    assertEquals(3, result.imported());
    assertEquals(List.of("SOURCE_KEY", "status_code"), result.skipped("text"));
    assertEquals(List.of("PLANT_ID"), result.skipped("constant"));
    // irradiance 0 on every row is a reading (a night), not an id
    assertEquals(Set.of("power_w", "irradiance_wm2"), all("p1").columns().keySet());
  }

  @Test
  void a_mostly_numeric_column_with_a_bad_cell_rejects_that_row_naming_the_column()
      throws IOException {
    Path file =
        csv(
            "m.csv",
            "timestamp,power_w,module_temp_c",
            "2020-05-15 00:15:00,1,20.5",
            "2020-05-15 00:30:00,2,#REF!",
            "2020-05-15 00:45:00,3,21");

    CsvImportResult result = run(CsvImportOptions.forDevice(file, "p1"));

    assertEquals(2, result.imported());
    assertEquals(
        List.of(new CsvImportResult.Rejection(3, "non-numeric value '#REF!' in column 'module_temp_c'")),
        result.rejected());
    assertEquals(List.of(), result.skippedColumns());
  }

  @Test
  void columns_and_skip_choose_explicitly_and_unknown_names_list_the_columns() throws IOException {
    Path file =
        csv(
            "c.csv",
            "timestamp,PLANT_ID,power_w,a,b",
            "2020-05-15 00:15:00,7,1,10,100",
            "2020-05-15 00:30:00,7,2,11,101");

    run(CsvImportOptions.forDevice(file, "keep").withColumns(List.of("power_w", "PLANT_ID"), List.of()));
    CsvImportResult skipped =
        run(CsvImportOptions.forDevice(file, "skip").withColumns(List.of(), List.of("b")));
    String unknown =
        refused(CsvImportOptions.forDevice(file, "x").withColumns(List.of(), List.of("c")));
    String unknownKeep =
        refused(CsvImportOptions.forDevice(file, "x").withColumns(List.of("nope"), List.of()));

    // kept explicitly, the constant PLANT_ID is imported
    assertEquals(Set.of("power_w", "PLANT_ID"), all("keep").columns().keySet());
    assertEquals(Set.of("power_w", "a"), all("skip").columns().keySet());
    assertEquals(List.of("b"), skipped.skipped("--skip"));
    assertEquals(List.of("PLANT_ID"), skipped.skipped("constant"));
    assertEquals(
        "--skip names 'c', which is not in c.csv. Columns: 'timestamp', 'PLANT_ID', 'power_w',"
            + " 'a', 'b'.",
        unknown);
    assertTrue(unknownKeep.startsWith("--columns names 'nope', which is not in c.csv."), unknownKeep);
  }

  // ---- device ids

  @Test
  void device_ids_from_a_column_must_be_valid_and_a_bad_fixed_device_fails_up_front()
      throws IOException {
    Path file =
        csv(
            "d.csv",
            "timestamp,device_id,power_w",
            "2020-05-15 00:15:00,../evil,1",
            "2020-05-15 00:15:00,good-1,1");

    CsvImportResult result = run(CsvImportOptions.withDeviceColumn(file, "device_id"));
    String fixed = refused(CsvImportOptions.forDevice(file, "../../tmp/evil"));

    assertEquals(Set.of("good-1"), result.devices());
    assertEquals(1, result.rejectedCount());
    assertTrue(
        result.rejected().get(0).reason().startsWith("invalid device id '../evil' in column 'device_id'"),
        result.rejected().toString());
    assertEquals(
        "Device id '../../tmp/evil' is not valid: use 1-128 letters, digits, '-', '_' or '.', not"
            + " starting with '.'",
        fixed);
    assertEquals(0, store.collection(Collections.TELEMETRY)
        .countDocuments(new Document("device_id", "../../tmp/evil")));
  }

  // ---- several files for one device

  @Test
  void a_second_file_adds_its_fields_to_the_readings_of_the_first() throws IOException {
    Path weather =
        csv(
            "weather.csv",
            "timestamp,irradiance_wm2,ambient_temp_c",
            "2020-05-15 10:00:00,800,25",
            "2020-05-15 10:15:00,810,25.5");
    Path inverter =
        csv(
            "inverter.csv",
            "timestamp,power_w",
            "2020-05-15 10:00:00,4000",
            "2020-05-15 10:15:00,4100",
            "2020-05-15 10:30:00,4200");
    CsvImportOptions weatherOptions =
        CsvImportOptions.forDevice(weather, "p1").withMapping(Map.of("irradiance_wm2", "irradiance_wm2"), null);

    CsvImportResult first = run(weatherOptions);
    CsvImportResult second = run(CsvImportOptions.forDevice(inverter, "p1"));
    CsvImportResult again = run(CsvImportOptions.forDevice(inverter, "p1"));

    assertEquals(2, first.imported());
    assertEquals(1, first.notes().size());
    assertEquals(1, second.imported());
    assertEquals(2, second.updated());
    assertEquals(0, second.conflictCount());
    assertEquals(0, again.imported() + again.updated());
    assertEquals(3, again.alreadyPresent());
    TelemetryWindow w = all("p1");
    assertEquals(3, w.size());
    assertArrayEquals(new double[] {4000, 4100, 4200}, w.column("power_w"));
    assertArrayEquals(new double[] {800, 810, Double.NaN}, w.column("irradiance_wm2"));
    assertEquals(3, telemetry.count("p1"));
  }

  @Test
  void differing_values_are_conflicts_with_line_numbers_kept_unless_replace() throws IOException {
    Path a = csv("a.csv", "timestamp,power_w", "2020-05-15 10:00:00,100", "2020-05-15 10:15:00,200");
    Path b =
        csv(
            "b.csv",
            "timestamp,power_w,ambient_temp_c",
            "2020-05-15 10:00:00,100.0000000000001,20",
            "2020-05-15 10:15:00,250,21");
    run(CsvImportOptions.forDevice(a, "p1"));

    CsvImportResult kept = run(CsvImportOptions.forDevice(b, "p1"));
    double keptPower = all("p1").column("power_w")[1];
    CsvImportResult replaced = run(CsvImportOptions.forDevice(b, "p1").withReplace(true));

    assertEquals(1, kept.conflictCount());
    assertEquals(List.of(new CsvImportResult.Conflict(3, "p1", "power_w", 200, 250)), kept.conflicts());
    assertEquals(2, kept.updated()); // both gained the temperature
    assertEquals(0, kept.replaced());
    assertEquals(200, keptPower);
    assertEquals(1, replaced.replaced());
    assertEquals(1, replaced.updated());
    assertArrayEquals(new double[] {100, 250}, all("p1").column("power_w"));
    assertArrayEquals(new double[] {20, 21}, all("p1").column("ambient_temp_c"));
  }

  // ---- times

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "15-05-2020 00:15|15-05-2020 00:30",
        "5-15-2020 0:15|5-15-2020 0:30",
        "15/5/2020 12:15 AM|15/5/2020 12:30 AM"
      })
  void detects_dash_dates_and_day_first_twelve_hour_times(String first, String second)
      throws IOException {
    Path file = csv("t.csv", "timestamp,power_w", first + ",1", second + ",2");

    CsvImportResult result = run(CsvImportOptions.forDevice(file, "t1"));

    assertEquals(List.of(), result.rejected());
    assertArrayEquals(
        new long[] {
          Instant.parse("2020-05-15T00:15:00Z").toEpochMilli(),
          Instant.parse("2020-05-15T00:30:00Z").toEpochMilli()
        },
        all("t1").ts());
  }

  /** Regression: the first 200 rows fit both readings; written month-first with exit 0 before. */
  @Test
  void a_day_first_file_whose_first_weeks_are_ambiguous_is_read_day_first() throws IOException {
    List<String> lines = new ArrayList<>(List.of("timestamp,power_w"));
    DateTimeFormatter dayFirst = DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm", Locale.ROOT);
    LocalDateTime start = LocalDateTime.parse("2020-05-01T00:00:00");
    for (int i = 0; i < 20 * 96; i++) { // 1 .. 20 May, day > 12 only after row 1152
      lines.add(start.plusMinutes(15L * i).format(dayFirst) + "," + i);
    }
    Path file = csv("dm.csv", lines.toArray(String[]::new));

    CsvImportResult result = run(CsvImportOptions.forDevice(file, "t1"));

    assertEquals(20 * 96, result.imported());
    long[] ts = all("t1").ts();
    assertEquals(Instant.parse("2020-05-01T00:00:00Z"), Instant.ofEpochMilli(ts[0]));
    assertEquals(Instant.parse("2020-05-20T23:45:00Z"), Instant.ofEpochMilli(ts[ts.length - 1]));
  }

  @Test
  void an_ambiguous_file_is_refused_naming_both_readings_and_the_flags() throws IOException {
    Path file =
        csv("amb.csv", "timestamp,power_w", "05/04/2020 00:15,1", "06/04/2020 00:15,2",
            "07/04/2020 00:15,3");

    String message = refused(CsvImportOptions.forDevice(file, "t1"));
    CsvImportResult settled =
        run(CsvImportOptions.forDevice(file, "t1").withTime(null, "d/M/yyyy H:mm", null));

    assertEquals(
        "The dates in amb.csv read both day-first and month-first: '05/04/2020 00:15' is"
            + " 2020-04-05 as d/M/yyyy H:mm or 2020-05-04 as M/d/yyyy H:mm, and no date in the file"
            + " has a day above 12 to settle it. Say which with --time-format 'd/M/yyyy H:mm' or"
            + " --time-format 'M/d/yyyy H:mm'.",
        message);
    assertEquals(3, settled.imported());
    assertEquals(Instant.parse("2020-04-05T00:15:00Z"), Instant.ofEpochMilli(all("t1").ts()[0]));
  }

  @Test
  void readings_more_than_max_future_ahead_are_rejected_with_their_lines() throws IOException {
    Path file =
        csv(
            "f.csv",
            "timestamp,power_w",
            "2020-05-31 23:00:00,1",
            "2020-06-01 20:00:00,2",
            "2020-06-02 01:00:00,3");

    CsvImportResult result = run(CsvImportOptions.forDevice(file, "t1"));
    CsvImportResult wider =
        run(CsvImportOptions.forDevice(file, "t2").withMaxFuture(Duration.ofDays(2)));

    assertEquals(2, result.imported());
    assertEquals(
        List.of(
            new CsvImportResult.Rejection(
                4,
                "time '2020-06-02 01:00:00' (2020-06-02T01:00:00Z) is more than 1d after the import"
                    + " time; check the clock and --zone of the export, or raise --max-future")),
        result.rejected());
    assertEquals(3, wider.imported());
  }

  // ---- encodings

  @Test
  void reads_utf16_with_a_byte_order_mark() throws IOException {
    String text = "timestamp,Temp_°C,power_w\n2020-05-15 00:15:00,21.5,1\n";
    for (Charset cs : List.of(StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      bytes.write(cs == StandardCharsets.UTF_16LE ? new byte[] {(byte) 0xFF, (byte) 0xFE}
          : new byte[] {(byte) 0xFE, (byte) 0xFF});
      bytes.write(text.getBytes(cs));
      Path file = Files.write(dir.resolve(cs.name() + ".csv"), bytes.toByteArray());
      String device = cs.name().replace("-", "").toLowerCase(Locale.ROOT);

      CsvImportResult result =
          run(CsvImportOptions.forDevice(file, device)
              .withMapping(Map.of("Temp_°C", "ambient_temp_c"), null));

      assertEquals(1, result.imported(), cs.name());
      assertArrayEquals(new double[] {21.5}, all(device).column("ambient_temp_c"));
    }
  }

  @Test
  void invalid_utf8_is_refused_naming_the_byte_and_line_and_reads_with_an_explicit_encoding()
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write("timestamp,site,power_w\n2020-05-15 00:15:00,Paris,1\n2020-05-15 00:30:00,R"
        .getBytes(StandardCharsets.US_ASCII));
    bytes.write(0xE9); // é in windows-1252
    bytes.write("union,2\n".getBytes(StandardCharsets.US_ASCII));
    Path file = Files.write(dir.resolve("latin.csv"), bytes.toByteArray());
    long offset = "timestamp,site,power_w\n2020-05-15 00:15:00,Paris,1\n2020-05-15 00:30:00,R".length();

    String message = refused(CsvImportOptions.forDevice(file, "t1"));
    CsvImportResult result =
        run(CsvImportOptions.forDevice(file, "t1").withEncoding("windows-1252"));

    assertEquals(
        "latin.csv is not valid UTF-8: byte 0xE9 at offset " + offset + " (line 3) cannot be"
            + " decoded, so nothing was imported. Give the file's encoding, e.g. --encoding"
            + " windows-1252 (Excel on Windows) or --encoding ISO-8859-1.",
        message);
    assertEquals(2, result.imported());
    assertEquals(List.of("site"), result.skipped("text"));
  }

  // ---- a plant's two exports

  /**
   * A weather sensor file and an inverter file shaped like a public plant's exports: same plant,
   * same 15-minute times, different date formats, an id and a text column each.
   */
  @Test
  void a_plants_weather_and_generation_exports_merge_by_timestamp() throws IOException {
    Path weather = dir.resolve("Plant_1_Weather_Sensor_Data.csv");
    Path generation = dir.resolve("Plant_1_Generation_Data.csv");
    PlantExports.write(weather, generation);

    CsvImportResult w =
        run(
            CsvImportOptions.forDevice(weather, "plant1")
                .withTime("DATE_TIME", null, null)
                .withMapping(
                    Map.of(
                        "AMBIENT_TEMPERATURE", "ambient_temp_c",
                        "MODULE_TEMPERATURE", "module_temp_c",
                        "IRRADIATION", "irradiance_wm2"),
                    null)
                .withScale(Map.of("IRRADIATION", 1000.0)));
    String inverter = INVERTERS.get(0);
    CsvImportResult g =
        run(
            CsvImportOptions.forDevice(generation, "plant1")
                .withTime("DATE_TIME", null, null)
                .withMapping(Map.of("AC_POWER", "power_w", "DC_POWER", "dc_power_w"), null)
                .withWhere(Map.of("SOURCE_KEY", inverter)));
    CsvImportResult perInverter =
        run(
            new CsvImportOptions(generation, "SOURCE_KEY", null, "DATE_TIME", null, null, null,
                Map.of("AC_POWER", "power_w", "DC_POWER", "dc_power_w"), null));

    assertEquals(PLANT_ROWS, w.imported());
    assertEquals(List.of("SOURCE_KEY"), w.skipped("text"));
    assertEquals(List.of("PLANT_ID"), w.skipped("constant"));
    assertEquals(PLANT_ROWS, g.updated());
    assertEquals(PLANT_ROWS * (INVERTERS.size() - 1), g.filtered());
    assertEquals(0, g.imported() + g.rejectedCount() + g.conflictCount());
    assertEquals(List.of("PLANT_ID"), g.skipped("constant"));
    assertEquals(new java.util.TreeSet<>(INVERTERS), perInverter.devices());
    assertEquals(PLANT_ROWS * INVERTERS.size(), perInverter.imported());

    // read back noon of the second day: every field landed on the same reading
    Instant noon = Instant.parse("2020-05-16T12:00:00Z");
    TelemetryWindow window = telemetry.read("plant1", noon, noon.plus(Duration.ofMinutes(15)));
    int row = (int) (Duration.between(PLANT_START.toInstant(ZoneOffset.UTC), noon).toMinutes() / 15);
    PlantExports.Plant p = new PlantExports.Plant(row);
    assertEquals(1, window.size());
    assertEquals(p.irradiation * 1000, window.column("irradiance_wm2")[0], 1e-9);
    assertEquals(p.ambient, window.column("ambient_temp_c")[0], 1e-9);
    assertEquals(p.module, window.column("module_temp_c")[0], 1e-9);
    assertEquals(p.ac(0), window.column("power_w")[0], 1e-9);
    assertEquals(p.dc(0), window.column("dc_power_w")[0], 1e-9);
    assertEquals(p.dailyYield(0), window.column("DAILY_YIELD")[0], 1e-9);
    assertEquals(PLANT_ROWS, telemetry.count("plant1"));
    TelemetryWindow third = telemetry.read(INVERTERS.get(2), noon, noon.plus(Duration.ofMinutes(15)));
    assertEquals(p.ac(2), third.column("power_w")[0], 1e-9);
  }
}
