package com.retrainconsole.telemetry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.common.ProgressListener;
import com.retrainconsole.common.UserException;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
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

class CsvImporterTest {
  private static final Instant Q1 = Instant.parse("2020-05-15T00:15:00Z");
  private static final Instant Q2 = Instant.parse("2020-05-15T00:30:00Z");
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
    importer = new CsvImporter(store);
    telemetry = new BucketTelemetryStore(store);
  }

  private Path csv(String name, String... lines) throws IOException {
    return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
  }

  private TelemetryWindow all(String device) {
    return telemetry.read(
        device, Instant.parse("2000-01-01T00:00:00Z"), Instant.parse("2100-01-01T00:00:00Z"));
  }

  @Test
  void imports_rows_of_several_devices_and_records_each_device_with_its_target()
      throws IOException {
    Path file =
        csv(
            "two.csv",
            "timestamp,device_id,power_w,irradiance_wm2",
            "2020-05-15 00:30:00,b,20,200",
            "2020-05-15 00:15:00,a,1.5,100",
            "2020-05-15 00:30:00,a,2.5,",
            "2020-05-15 00:15:00,b,10,NA");
    List<String> stages = new ArrayList<>();

    CsvImportResult result =
        importer.importFile(
            CsvImportOptions.withDeviceColumn(file, "device_id"),
            (stage, fraction) -> stages.add(stage + "=" + fraction));

    assertEquals(new CsvImportResult(4, 4, 0, List.of(), Set.of("a", "b")), result);
    TelemetryWindow a = all("a");
    assertArrayEquals(new long[] {Q1.toEpochMilli(), Q2.toEpochMilli()}, a.ts());
    assertArrayEquals(new double[] {1.5, 2.5}, a.column("power_w"));
    assertArrayEquals(new double[] {100, Double.NaN}, a.column("irradiance_wm2"));
    assertArrayEquals(new double[] {Double.NaN, 200}, all("b").column("irradiance_wm2"));
    assertEquals("power_w", new DeviceRepository(store).require("b").target());
    assertTrue(stages.contains("read two.csv=1.0"), stages.toString());
    assertTrue(stages.contains("write a=1.0"), stages.toString());
  }

  @Test
  void importing_the_same_file_twice_imports_nothing_the_second_time() throws IOException {
    Path file =
        csv("same.csv", "timestamp,power_w", "2020-05-15 00:15:00,1", "2020-05-15 00:30:00,2");
    CsvImportOptions options = CsvImportOptions.forDevice(file, "t1");
    importer.importFile(options, (s, f) -> {});

    CsvImportResult again = importer.importFile(options, (s, f) -> {});

    assertEquals(0, again.imported());
    assertEquals(2, again.alreadyPresent());
    assertEquals(2, telemetry.count("t1"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "2020-05-15 00:15:00|2020-05-15 00:30:00",
        "2020-05-15 00:15|2020-05-15 00:30",
        "2020-05-15T00:15:00|2020-05-15T00:30:00",
        "2020-05-15T00:15:00Z|2020-05-15T00:30:00Z",
        "2020-05-15T02:15:00+02:00|2020-05-15T02:30:00+02:00",
        "2020-05-15 00:15:00.000Z|2020-05-15 00:30:00.000Z",
        "2020/05/15 00:15|2020/05/15 00:30",
        "5/15/2020 0:15|5/15/2020 0:30",
        "5/15/2020 12:15 AM|5/15/2020 12:30 AM",
        "15/05/2020 00:15|15/05/2020 00:30",
        "15.05.2020 00:15|15.05.2020 00:30",
        "1589501700|1589502600",
        "1589501700000|1589502600000"
      })
  void detects_common_time_formats(String first, String second) throws IOException {
    Path file = csv("t.csv", "timestamp;power_w", "\"" + first + "\";1", "\"" + second + "\";2");

    CsvImportResult result =
        importer.importFile(CsvImportOptions.forDevice(file, "t1"), (s, f) -> {});

    assertEquals(List.of(), result.rejected());
    assertArrayEquals(new long[] {Q1.toEpochMilli(), Q2.toEpochMilli()}, all("t1").ts());
  }

  @Test
  void reads_zone_less_times_in_the_given_zone() throws IOException {
    Path file = csv("z.csv", "timestamp,power_w", "2020-05-15 02:15:00,1");

    importer.importFile(
        CsvImportOptions.forDevice(file, "t1").withTime(null, null, ZoneId.of("Europe/Madrid")),
        (s, f) -> {});

    assertArrayEquals(new long[] {Q1.toEpochMilli()}, all("t1").ts());
    assertEquals(ZoneId.of("Europe/Madrid"), new DeviceRepository(store).require("t1").zone());
  }

  @Test
  void keeps_both_readings_of_the_hour_repeated_when_clocks_go_back() throws IOException {
    Path file =
        csv(
            "dst.csv",
            "time,power_w",
            "2020-10-25 02:30:00,1",
            "2020-10-25 02:30:00,2",
            "2020-10-25 03:30:00,3");

    CsvImportResult result =
        importer.importFile(
            CsvImportOptions.forDevice(file, "t1")
                .withTime("time", null, ZoneId.of("Europe/Madrid")),
            (s, f) -> {});

    assertEquals(3, result.imported());
    assertArrayEquals(
        new long[] {
          Instant.parse("2020-10-25T00:30:00Z").toEpochMilli(),
          Instant.parse("2020-10-25T01:30:00Z").toEpochMilli(),
          Instant.parse("2020-10-25T02:30:00Z").toEpochMilli()
        },
        all("t1").ts());
  }

  @Test
  void uses_an_explicit_time_format() throws IOException {
    Path file = csv("f.csv", "stamp,power_w", "05/06/2020 00:15,1");

    importer.importFile(
        CsvImportOptions.forDevice(file, "t1").withTime("stamp", "MM/dd/yyyy HH:mm", null),
        (s, f) -> {});
    importer.importFile(
        CsvImportOptions.forDevice(file, "t2").withTime("stamp", "dd/MM/yyyy HH:mm", null),
        (s, f) -> {});

    assertEquals(Instant.parse("2020-05-06T00:15:00Z"), Instant.ofEpochMilli(all("t1").ts()[0]));
    assertEquals(Instant.parse("2020-06-05T00:15:00Z"), Instant.ofEpochMilli(all("t2").ts()[0]));
  }

  @Test
  void rejects_bad_rows_with_their_line_numbers_and_imports_the_rest() throws IOException {
    Path file =
        csv(
            "bad.csv",
            "timestamp,device_id,power_w,irradiance_wm2",
            "2020-05-15 00:15:00,a,1,10",
            "2020-05-15 25:99:00,a,1,10",
            "2020-05-15 00:30:00,a,abc,10",
            "2020-05-15 00:45:00,a,NaN,10",
            "2020-05-15 01:00:00,a,1,-inf",
            "2020-05-15 00:15:00,a,7,70",
            "",
            "2020-05-15 01:15:00,,1,10",
            "2020-05-15 01:30:00,a,1",
            "2020-05-15 01:45:00,a,2,20");

    CsvImportResult result =
        importer.importFile(CsvImportOptions.withDeviceColumn(file, "device_id"), (s, f) -> {});

    assertEquals(9, result.rowsRead());
    assertEquals(2, result.imported());
    assertEquals(7, result.rejectedCount());
    List<String> reasons = result.rejected().stream().map(Object::toString).toList();
    assertEquals(
        List.of(
            "line 3: unparsable time '2020-05-15 25:99:00' (format yyyy-MM-dd HH:mm[:ss])",
            "line 4: non-numeric value 'abc' in column 'power_w'",
            "line 5: NaN/infinite value 'NaN' in column 'power_w'",
            "line 6: NaN/infinite value '-inf' in column 'irradiance_wm2'",
            "line 7: duplicate timestamp 2020-05-15T00:15:00Z for device 'a' (first on line 2)",
            "line 9: missing device (column 'device_id' is empty)",
            "line 10: has 3 fields, the header has 4"),
        reasons);
    assertArrayEquals(new double[] {1, 2}, all("a").column("power_w"));
  }

  @Test
  void a_file_without_usable_rows_writes_nothing_and_names_the_first_problems() throws IOException {
    Path file =
        csv(
            "none.csv",
            "timestamp,power_w",
            "yesterday,1",
            "today,2",
            "2020-05-15 00:15:00,x",
            "later,3");

    UserException e =
        assertThrows(
            UserException.class,
            () -> importer.importFile(CsvImportOptions.forDevice(file, "t1"), (s, f) -> {}));

    assertTrue(
        e.getMessage()
            .startsWith(
                "No usable rows in none.csv (4 data rows, all rejected); nothing was imported."),
        e.getMessage());
    assertTrue(e.getMessage().contains("line 2: unparsable time 'yesterday'"), e.getMessage());
    assertEquals(0, store.collection(Collections.TELEMETRY).countDocuments());
    assertTrue(new DeviceRepository(store).find("t1").isEmpty());
  }

  @Test
  void header_problems_name_the_columns_that_exist() throws IOException {
    Path noTime = csv("a.csv", "when,power_w", "2020-05-15 00:15:00,1");
    Path noTarget = csv("b.csv", "timestamp,P_AC", "2020-05-15 00:15:00,1");
    Path empty = csv("c.csv", "");
    Path noDevice = csv("d.csv", "timestamp,power_w", "2020-05-15 00:15:00,1");

    String time =
        assertThrows(
                UserException.class,
                () -> importer.importFile(CsvImportOptions.forDevice(noTime, "t1"), (s, f) -> {}))
            .getMessage();
    String target =
        assertThrows(
                UserException.class,
                () -> importer.importFile(CsvImportOptions.forDevice(noTarget, "t1"), (s, f) -> {}))
            .getMessage();
    String none =
        assertThrows(
                UserException.class,
                () -> importer.importFile(CsvImportOptions.forDevice(empty, "t1"), (s, f) -> {}))
            .getMessage();
    String missing =
        assertThrows(
                UserException.class,
                () ->
                    importer.importFile(
                        CsvImportOptions.forDevice(dir.resolve("nope.csv"), "t1"), (s, f) -> {}))
            .getMessage();
    String device =
        assertThrows(
                UserException.class,
                () ->
                    importer.importFile(
                        CsvImportOptions.withDeviceColumn(noDevice, "inverter"), (s, f) -> {}))
            .getMessage();

    assertEquals(
        "No time column 'timestamp' in a.csv. Columns: 'when', 'power_w'. Name the time column with"
            + " --time-column.",
        time);
    assertTrue(
        target.startsWith(
            "No target column 'power_w' in b.csv after mapping. Columns: 'timestamp', 'P_AC'."),
        target);
    assertTrue(none.startsWith("c.csv is empty"), none);
    assertTrue(missing.contains("nope.csv: no such file"), missing);
    assertTrue(
        device.startsWith("No device column 'inverter' in d.csv. Columns: 'timestamp', 'power_w'."),
        device);
    assertEquals(0, store.collection(Collections.TELEMETRY).countDocuments());
  }

  @Test
  void
      maps_site_columns_reads_semicolons_with_decimal_commas_and_leaves_out_columns_mapped_to_nothing()
          throws IOException {
    Path file =
        csv(
            "site.csv",
            "\uFEFFTime;Inverter;P_AC;G_POA;Status",
            "2020-05-15 00:15:00;INV-1;1234,5;801,25;OK",
            "2020-05-15 00:30:00;INV-1;1000;800;FAULT");
    CsvImportOptions options =
        new CsvImportOptions(
            file,
            "Inverter",
            null,
            "time",
            null,
            null,
            "power_w",
            Map.of("P_AC", "power_w", "G_POA", "irradiance_wm2", "Status", ""),
            null);

    CsvImportResult result = importer.importFile(options, (s, f) -> {});

    assertEquals(2, result.imported());
    TelemetryWindow w = all("INV-1");
    assertEquals(List.of("power_w", "irradiance_wm2"), new ArrayList<>(w.columns().keySet()));
    assertArrayEquals(new double[] {1234.5, 1000}, w.column("power_w"));
    assertArrayEquals(new double[] {801.25, 800}, w.column("irradiance_wm2"));
  }

  @Test
  void the_preview_rejects_a_repeated_time_as_the_import_does_and_the_filter_and_factor_apply() throws IOException {
    Path file = csv("gen.csv",
        "DATE_TIME,SOURCE_KEY,AC_POWER",
        "2020-05-15 00:15:00,inv-a,1.5",
        "2020-05-15 00:15:00,inv-b,2.5",
        "2020-05-15 00:30:00,inv-a,1.25",
        "2020-05-15 00:30:00,inv-b,2.25");
    CsvImportOptions options = CsvImportOptions.forDevice(file, "p1").withTime("DATE_TIME", null, null)
        .withMapping(Map.of("SOURCE_KEY", "", "AC_POWER", "power_w"), "power_w");
    CsvPreview all = CsvImporter.preview(options, 8, 2);
    assertEquals(2, all.rawRows().size(), "raw rows are kept up to their own limit");
    assertEquals(2, all.rows().size());
    assertEquals(List.of(3L, 5L), all.rejected().stream().map(CsvImportResult.Rejection::line).toList());
    assertTrue(all.rejected().get(0).reason().startsWith("duplicate timestamp 2020-05-15T00:15:00Z for device 'p1'"
        + " (first on line 2)"), all.rejected().get(0).reason());
    assertEquals(2, importer.importFile(options, ProgressListener.NONE).rejectedCount(), "the import agrees");

    CsvPreview one = CsvImporter.preview(options.withWhere(Map.of("SOURCE_KEY", "inv-b"))
        .withScale(Map.of("AC_POWER", 1000.0)), 8);
    assertEquals(List.of(), one.rejected());
    assertEquals(List.of(2500.0, 2250.0), one.rows().stream().map(r -> r.values().get("power_w")).toList());
  }
}
