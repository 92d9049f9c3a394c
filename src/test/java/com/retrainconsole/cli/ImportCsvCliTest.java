package com.retrainconsole.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.retrainconsole.access.AccessDeniedException;
import com.retrainconsole.access.Actor;
import com.retrainconsole.access.Role;
import com.retrainconsole.access.UserDirectory;
import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.app.AppContext;
import com.retrainconsole.app.Launcher;
import com.retrainconsole.store.Collections;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code import-csv}'s new flags and {@code telemetry delete} through the real CLI. */
class ImportCsvCliTest {
  @TempDir Path root;

  private Cli cli() {
    return new Cli(root.resolve("data"), root.resolve("models"));
  }

  private Path plantFiles() throws IOException {
    Path weather = root.resolve("weather.csv");
    Path generation = root.resolve("generation.csv");
    com.retrainconsole.telemetry.PlantExports.write(weather, generation);
    return root;
  }

  @Test
  void an_invalid_device_fails_before_anything_is_stored() throws IOException {
    Path csv = Files.writeString(root.resolve("a.csv"), "timestamp,power_w\n2020-05-15 00:15:00,1\n");

    Cli.Result r = cli().run("import-csv", csv.toString(), "--device", "../../tmp/evil").expect(2);

    assertTrue(r.errorLine().contains("Device id '../../tmp/evil' is not valid"), r.err());
    try (AppContext ctx = context()) {
      assertEquals(0, ctx.store().collection(Collections.TELEMETRY).countDocuments());
    }
  }

  @Test
  void imports_a_plants_two_exports_onto_one_device_with_json_and_human_reports() throws IOException {
    plantFiles();
    Cli cli = cli();

    JsonNode weather = cli.run("import-csv", root.resolve("weather.csv").toString(), "--device", "plant1",
        "--time-column", "DATE_TIME", "--map",
        "AMBIENT_TEMPERATURE=ambient_temp_c,MODULE_TEMPERATURE=module_temp_c,IRRADIATION=irradiance_wm2",
        "--scale", "IRRADIATION=1000", "--json").json();
    Cli.Result generation = cli.run("import-csv", root.resolve("generation.csv").toString(), "--device", "plant1",
        "--time-column", "DATE_TIME", "--map", "AC_POWER=power_w,DC_POWER=dc_power_w", "--where",
        "SOURCE_KEY=1BY6WEcLGh8j5v7").expect(0);

    assertEquals(480, weather.get("imported").asInt());
    // in file order
    assertEquals("PLANT_ID", weather.get("skipped_columns").get(0).get("column").asText());
    assertEquals("constant", weather.get("skipped_columns").get(0).get("reason").asText());
    assertEquals("SOURCE_KEY", weather.get("skipped_columns").get(1).get("column").asText());
    assertEquals("text", weather.get("skipped_columns").get(1).get("reason").asText());
    assertEquals(1, weather.get("notes").size());
    assertTrue(generation.out().contains("480 updated"), generation.out());
    assertTrue(generation.out().contains("1440 filtered out by --where"), generation.out());
    assertTrue(generation.out().contains("skipped constant columns: PLANT_ID"), generation.out());
    try (AppContext ctx = context()) {
      assertEquals(480, ctx.telemetry().count("plant1"));
    }
  }

  @Test
  void telemetry_delete_removes_a_range_is_audited_and_refuses_an_empty_range_or_an_operator()
      throws IOException {
    Path csv = Files.writeString(root.resolve("t.csv"), String.join("\n", "timestamp,power_w",
        "2020-05-15 00:00:00,1", "2020-05-15 00:30:00,2", "2020-05-15 01:00:00,3", "2020-05-15 02:00:00,4") + "\n");
    Cli cli = cli();
    cli.run("import-csv", csv.toString(), "--device", "t1", "--json").json();

    Cli.Result backwards = cli.run("telemetry", "delete", "--device", "t1", "--from", "2020-05-15T02:00:00Z",
        "--to", "2020-05-15T01:00:00Z").expect(2);
    JsonNode deleted = cli.run("telemetry", "delete", "--device", "t1", "--from", "2020-05-15T00:30:00Z",
        "--to", "2020-05-15T02:00:00Z", "--json").json();

    assertTrue(backwards.errorLine().contains("must be before --to"), backwards.err());
    assertEquals(2, deleted.get("removed").asInt());
    assertEquals(2, deleted.get("remaining").asInt());
    try (AppContext ctx = context()) {
      AccessDeniedException denied = assertThrows(AccessDeniedException.class, () -> ctx.operations()
          .deleteTelemetry(new Actor("bob", Role.OPERATOR), "t1", Instant.EPOCH, Instant.now()));
      assertTrue(denied.getMessage().contains("may not delete telemetry; this needs the admin role"),
          denied.getMessage());
      assertEquals(2, ctx.telemetry().count("t1"));
      Document entry = ctx.store().collection(Collections.AUDIT)
          .find(new Document("action", "delete_telemetry")).first();
      assertEquals("t1", entry.getString("device_id"));
      assertEquals(UserDirectory.localUser(), entry.getString("actor"));
      assertEquals(2L, entry.get("details", Document.class).get("removed", Number.class).longValue());
      assertEquals(1, ctx.store().collection(Collections.AUDIT)
          .countDocuments(new Document("action", "delete_telemetry")));
    }
  }

  /** A file larger than a small heap: a one-line reason, exit 1, no stack trace, nothing written. */
  @Test
  void running_out_of_memory_prints_one_line_and_exits_1() throws Exception {
    Path csv = root.resolve("big.csv");
    try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      w.write("timestamp,power_w,a,b,c,d,e\n");
      long start = Instant.parse("2020-01-01T00:00:00Z").getEpochSecond();
      for (int i = 0; i < 1_500_000; i++) {
        w.write((start + 60L * i) + "," + i + ",1.5,2.5," + (i % 7) + "," + (i % 11) + "," + (i % 13) + "\n");
      }
    }
    Path log = root.resolve("child.log");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Launcher.class.getName(),
        "import-csv", csv.toString(), "--device", "big01", "--max-future", "36500d",
        "--data-dir", root.resolve("data").toString(), "--models-dir", root.resolve("models").toString()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), "import did not finish");
    String output = Files.readString(log);

    assertEquals(1, p.exitValue(), output);
    List<String> errors = output.lines().filter(l -> l.startsWith("error: ")).toList();
    assertEquals(1, errors.size(), output);
    assertTrue(errors.get(0).startsWith("error: ran out of memory importing " + csv + " after "), output);
    assertTrue(errors.get(0).endsWith("rows; raise -Xmx or split the file (nothing was written)"), output);
    assertFalse(output.contains("\tat "), output);
    assertFalse(output.contains("OutOfMemoryError"), output);
    try (AppContext ctx = context()) {
      assertEquals(0, ctx.store().collection(Collections.TELEMETRY).countDocuments());
    }
  }

  private AppContext context() {
    return AppContext.open(AppConfig.resolve(null, root.resolve("data"), root.resolve("models"), Map.of()));
  }
}
