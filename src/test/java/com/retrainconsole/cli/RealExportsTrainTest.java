package com.retrainconsole.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.retrainconsole.telemetry.PlantExports;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A site's first hour with the product, as it happened before devices existed: a plant's weather and
 * generation exports, imported without editing them, then {@code train}. Each step used to fail (every row
 * rejected for the text id column; then "feature spec needs field(s) [module_temp_c]").
 */
class RealExportsTrainTest {
  @TempDir Path root;

  private Cli cli() {
    return new Cli(root.resolve("data"), root.resolve("models"));
  }

  @Test
  void the_inverter_export_alone_trains_with_a_spec_derived_from_power_only() throws IOException {
    Path weather = root.resolve("Plant_1_Weather_Sensor_Data.csv");
    Path generation = root.resolve("Plant_1_Generation_Data.csv");
    PlantExports.write(weather, generation);

    JsonNode imported = cli().run("import-csv", generation.toString(), "--device-column", "SOURCE_KEY",
        "--time-column", "DATE_TIME", "--map", "AC_POWER=power_w", "--json").json();
    assertEquals(PlantExports.ROWS * PlantExports.INVERTERS.size(), imported.get("imported").asInt());
    String inverter = PlantExports.INVERTERS.get(0);

    JsonNode shown = cli().run("devices", "show", inverter, "--json").json();
    assertTrue(shown.at("/effective_spec/derived").asBoolean(), shown.toString());
    assertEquals(List.of(), texts(shown.at("/effective_spec/spec/inputs")), "no weather in this file");

    JsonNode trained = cli().run("train", "--device", inverter, "--trainer", "cart", "--json").json();
    assertEquals("completed", trained.get("status").asText(), trained.toString());
  }

  @Test
  void weather_and_generation_exports_merge_and_train_with_the_weather_inputs() throws IOException {
    Path weather = root.resolve("Plant_1_Weather_Sensor_Data.csv");
    Path generation = root.resolve("Plant_1_Generation_Data.csv");
    PlantExports.write(weather, generation);

    cli().run("import-csv", weather.toString(), "--device", "plant1", "--time-column", "DATE_TIME",
        "--map", "AMBIENT_TEMPERATURE=ambient_temp_c,MODULE_TEMPERATURE=module_temp_c,IRRADIATION=irradiance_wm2",
        "--scale", "IRRADIATION=1000").expect(0);
    cli().run("import-csv", generation.toString(), "--device", "plant1", "--time-column", "DATE_TIME",
        "--where", "SOURCE_KEY=" + PlantExports.INVERTERS.get(0), "--map", "AC_POWER=power_w",
        "--skip", "DC_POWER,DAILY_YIELD,TOTAL_YIELD").expect(0);

    Cli.Result check = cli().run("devices", "check", "plant1", "--json");
    assertEquals(0, check.code(), check.out() + check.err());
    JsonNode report = check.parsedOut();
    assertTrue(report.get("ready").asBoolean(), report.toString());
    assertEquals(List.of(), texts(report.get("spec_lacks")));

    JsonNode trained = cli().run("train", "--device", "plant1", "--trainer", "cart", "--json").json();
    assertEquals("completed", trained.get("status").asText(), trained.toString());
    JsonNode shown = cli().run("devices", "show", "plant1", "--json").json();
    List<String> inputs = texts(shown.at("/effective_spec/spec/inputs"));
    assertEquals(List.of("irradiance_wm2", "ambient_temp_c", "module_temp_c"), inputs);
    assertFalse(shown.toString().contains("SOURCE_KEY"), "the text id column never became a field");
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
