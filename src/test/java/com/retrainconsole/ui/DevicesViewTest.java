package com.retrainconsole.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.retrainconsole.features.FeatureSpec;
import com.retrainconsole.registry.ModelMeta;
import com.retrainconsole.telemetry.DeviceConfig;
import com.retrainconsole.telemetry.PlantExports;
import com.retrainconsole.telemetry.TelemetryWindow;
import com.retrainconsole.ui.compare.CompareController;
import com.retrainconsole.ui.compare.SideRow;
import com.retrainconsole.ui.devices.DevicesController;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Devices view and its add flow over the real store and real training: a device from a plant-like CSV
 * (mapped, checked, dry run, trained, its spec edited and retrained, both versions in Compare), a device
 * from a site's own per-reading collection, and bad input shown beside its field.
 */
class DevicesViewTest extends ConsoleFxTest {
  private static final DateTimeFormatter PLANT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss",
      Locale.ROOT);

  // ---------------------------------------------------------------- helpers

  @SuppressWarnings("unchecked")
  private <T> T node(String query) {
    return (T) lookup(query).query();
  }

  private boolean present(String query) {
    return lookup(query).tryQuery().map(Node::isVisible).orElse(false);
  }

  private String text(String query) {
    return lookup(query).tryQuery().map(n -> ((Label) n).getText()).orElse("");
  }

  private void set(String field, String value) {
    Node n = node(field);
    TextField f = n instanceof ComboBox<?> box ? box.getEditor() : (TextField) n;
    interact(() -> f.setText(value));
  }

  /** Scrolls the node's scroll pane to it (the form is taller than a small window), then clicks it. */
  private void reveal(String query) {
    clickOn(scrollTo(query));
  }

  /** Scrolls the node's scroll pane to it, for a click or a screenshot. */
  private Node scrollTo(String query) {
    Node n = node(query);
    interact(() -> {
      for (Node p = n.getParent(); p != null; p = p.getParent()) {
        if (p instanceof javafx.scene.control.ScrollPane sp) {
          Node content = sp.getContent();
          double y = content.sceneToLocal(n.localToScene(n.getBoundsInLocal())).getMinY();
          double room = content.getBoundsInLocal().getHeight() - sp.getViewportBounds().getHeight();
          if (room > 0) {
            sp.setVvalue(Math.max(0, Math.min(1, (y - 20) / room)));
          }
          break;
        }
      }
    });
    WaitForAsyncUtils.waitForFxEvents();
    return n;
  }

  private <T> void choose(String combo, T value) {
    ComboBox<T> c = node(combo);
    interact(() -> c.setValue(value));
  }

  private DevicesController openDevices() throws Exception {
    interact(() -> window.navigate(View.DEVICES));
    waitUntil(10, () -> lookup("#devices").tryQuery().isPresent()
        && !text("#devices-updated").isEmpty());
    return (DevicesController) lookup("#devices").query().getProperties().get(DevicesController.class);
  }

  private void size(double w, double h) {
    interact(() -> {
      Stage s = (Stage) window.scene().getWindow();
      s.setWidth(w);
      s.setHeight(h);
    });
    WaitForAsyncUtils.waitForFxEvents();
  }

  private void nextStep() {
    Button next = node("#add-next");
    waitForEnabled(next);
    clickOn(next);
  }

  private void waitForEnabled(Button b) {
    try {
      waitUntil(60, () -> !b.isDisabled());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(b.getId() + " stayed disabled", e);
    }
  }

  private void waitStep(String step) throws Exception {
    waitUntil(60, () -> lookup("#add-step-" + step).tryQuery()
        .map(n -> n.getStyleClass().contains("rc-step-current")).orElse(false));
  }

  private void waitText(String query, String part, int seconds) throws Exception {
    try {
      waitUntil(seconds, () -> text(query).contains(part));
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(query + " never said '" + part + "': " + text(query) + " | nav: "
          + text("#add-nav-error") + " | save: " + text("#edit-save-error") + " / " + text("#edit-saved")
          + " | errors: " + lookup(".rc-field-error").queryAll().stream().map(n -> n.getId() + "=" + ((Label) n)
          .getText()).filter(x -> !x.endsWith("=")).toList(), e);
    }
  }

  /**
   * A solar plant's inverter export (Kaggle "solar power generation" style): 15-minute rows, local times,
   * a text SOURCE_KEY, a constant PLANT_ID, temperatures, irradiation and AC power with a daily solar shape
   * and cloudy spells.
   */
  static Path plantCsv(Path dir, int days) throws IOException {
    Random rnd = new Random(11);
    LocalDateTime end = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS);
    LocalDateTime t = end.minusDays(days);
    List<String> lines = new ArrayList<>();
    lines.add("DATE_TIME,PLANT_ID,SOURCE_KEY,AMBIENT_TEMPERATURE,MODULE_TEMPERATURE,IRRADIATION,DC_POWER,AC_POWER");
    double cloud = 1;
    while (t.isBefore(end)) {
      double hour = t.getHour() + t.getMinute() / 60.0;
      if (t.getMinute() == 0) {
        cloud = Math.max(0.2, Math.min(1, cloud + rnd.nextGaussian() * 0.25)); // persistent clouds
      }
      double sun = Math.max(0, Math.sin(Math.PI * (hour - 6) / 12));
      double irr = sun * cloud * (0.95 + 0.05 * rnd.nextDouble());
      double ambient = 22 + 7 * Math.sin(Math.PI * (hour - 9) / 12) + rnd.nextGaussian() * 0.4;
      double module = ambient + irr * 28 + rnd.nextGaussian() * 0.3;
      double dc = irr * 9800 * (1 - 0.004 * (module - 25));
      double ac = dc * 0.975 + (irr > 0 ? rnd.nextGaussian() * 15 : 0);
      lines.add(String.format(Locale.ROOT, "%s,4135001,1BY6WEcLGh8j5v7,%.4f,%.4f,%.5f,%.2f,%.2f",
          PLANT_TIME.format(t), ambient, module, irr, Math.max(0, dc), Math.max(0, ac)));
      t = t.plusMinutes(15);
    }
    Path file = dir.resolve("Plant_1_Generation_" + days + "d.csv");
    Files.write(file, lines);
    return file;
  }

  // ---------------------------------------------------------------- (a) CSV → train → edit → retrain → compare

  @Test
  void a_device_from_a_plant_csv_is_mapped_checked_dry_run_trained_edited_retrained_and_compared() throws Exception {
    String id = "plant1-inv";
    Path csv = plantCsv(root, 10);
    size(1366, 768);
    DevicesController c = openDevices();
    screenshot("devices-list-1366x768");

    // File → Import CSV… opens the flow on the CSV source
    clickOn("File");
    clickOn("#menu-import-csv");
    waitUntil(5, () -> present("#add-flow") && present("#add-id"));
    set("#add-id", id);
    set("#add-site", "Plant 1 (Gandikota)");
    set("#add-display-name", "Inverter 1BY6WEcLGh8j5v7");
    nextStep();
    waitStep("SOURCE");
    assertTrue(this.<RadioButton>node("#add-source-csv").isSelected());
    set("#csv-path", csv.toString());
    clickOn("#csv-load");
    waitUntil(20, () -> lookup("#csv-map-AC_POWER").tryQuery().isPresent());
    // the guesses, then the mapping as a user sets it in the table
    assertEquals("time", this.<ComboBox<String>>node("#csv-map-DATE_TIME").getValue());
    assertEquals("skip", this.<ComboBox<String>>node("#csv-map-SOURCE_KEY").getValue(), "text is skipped");
    choose("#csv-map-PLANT_ID", "skip");
    choose("#csv-map-DC_POWER", "skip");
    choose("#csv-map-AMBIENT_TEMPERATURE", "ambient_temp_c");
    choose("#csv-map-MODULE_TEMPERATURE", "module_temp_c");
    choose("#csv-map-IRRADIATION", "irradiance_wm2");
    choose("#csv-map-AC_POWER", "power_w");
    waitText("#csv-status", "rows parsed", 20);
    assertTrue(text("#csv-status").contains("Skipped: ") && text("#csv-status").contains("SOURCE_KEY"),
        text("#csv-status"));
    TableView<List<String>> preview = node("#csv-preview");
    waitUntil(5, () -> preview.getItems().size() == 8);
    assertTrue(preview.getColumns().stream().anyMatch(col -> col.getText().equals("power_w")));
    assertEquals(id, preview.getItems().get(0).get(2));
    WaitForAsyncUtils.waitForFxEvents();
    screenshot("devices-add-csv-mapping-1366x768");
    assertEquals(0, ctx.telemetry().count(id), "a preview writes nothing");

    nextStep();
    waitStep("PLACE");
    set("#add-zone", "Asia/Kolkata");
    set("#add-lat", "15.2");
    set("#add-lon", "78.2");
    set("#add-unit", "W");
    nextStep(); // create + import
    waitStep("FEATURES");
    waitText("#add-loaded", "Imported 960 readings", 5);
    DeviceConfig created = ctx.deviceService().require(id);
    assertEquals("Asia/Kolkata", created.zone().getId());
    assertEquals(15.2, created.lat());
    assertEquals("Plant 1 (Gandikota)", created.site());
    assertEquals(960, ctx.telemetry().count(id));
    waitUntil(5, () -> text("#add-spec-derived").equals("Derived default"));
    assertTrue(this.<CheckBox>node("#add-input-ambient_temp_c").isSelected(), "derived default reads it");
    screenshot("devices-add-features-1366x768");

    nextStep(); // the default stays derived: nothing stored
    waitStep("CHECK");
    waitText("#add-report", "Ready to train.", 30);
    String report = text("#add-report");
    assertTrue(report.contains("% coverage") && report.contains("Quality gate: passes"), report);
    assertTrue(report.contains("needs: power_w"), report);

    clickOn("#add-dry-run");
    waitText("#add-dry-result", "naive baseline", 120);
    String dry = text("#add-dry-result");
    assertTrue(dry.startsWith("Dry run (nothing written): candidate MAE "), dry);
    assertTrue(dry.matches("(?s).*MAE \\d+\\.\\d W vs naive baseline \\(same time yesterday\\) MAE \\d+\\.\\d W.*"), dry);
    assertTrue(ctx.registry().list(id).isEmpty(), "a dry run writes no model");
    waitUntil(10, () -> !model.busy());

    clickOn("#add-train");
    waitText("#add-train-result", "Version ", 120);
    assertEquals(1, ctx.registry().list(id).size(), text("#add-train-result"));
    screenshot("devices-add-check-1366x768");
    waitUntil(10, () -> !model.busy());

    // back to the list: the new device is selected in the edit form
    clickOn("#add-done");
    waitUntil(10, () -> present("#devices-table") && c.items().stream().anyMatch(i -> i.id().equals(id)));
    waitUntil(10, () -> id.equals(c.specShown()) && present("#edit-input-ambient_temp_c")
        && text("#edit-spec-derived").equals("Derived default"));
    screenshot("devices-edit-1366x768");

    // a different spec: no ambient temperature, a 2 h lag of power
    clickOn("#edit-input-ambient_temp_c");
    int lags = FeatureSpec.derived("power_w", ctx.deviceService().fieldsOf(created), false).lags().size();
    clickOn("#edit-add-lag");
    waitUntil(5, () -> lookup("#edit-lag-duration-" + lags).tryQuery().isPresent());
    choose("#edit-lag-field-" + lags, "power_w");
    set("#edit-lag-duration-" + lags, "2x");
    waitText("#edit-lag-error-" + lags, "not a duration", 5);
    set("#edit-lag-duration-" + lags, "2h");
    waitUntil(5, () -> text("#edit-lag-error-" + lags).isEmpty());
    assertTrue(text("#edit-spec-features").contains("power_w_lag_2h"), text("#edit-spec-features"));
    clickOn("#edit-save");
    waitUntil(10, () -> ctx.deviceService().require(id).featureSpec() != null);
    FeatureSpec stored = FeatureSpec.fromDocument(ctx.deviceService().require(id).featureSpec());
    assertFalse(stored.inputs().contains("ambient_temp_c"), stored.toJson());
    assertTrue(stored.featureNames().contains("power_w_lag_2h"), stored.toJson());
    waitText("#edit-saved", "feature spec: stored", 10);
    waitUntil(10, () -> text("#edit-spec-derived").equals("Stored spec"));

    clickOn("#devices-retrain");
    waitUntil(120, () -> ctx.registry().list(id).size() == 2 && !model.busy());
    List<ModelMeta> versions = new ArrayList<>(ctx.registry().list(id));
    versions.sort(Comparator.comparing(ModelMeta::version));
    String v1 = versions.get(0).version();
    String v2 = versions.get(1).version();
    assertTrue(features(versions.get(0).featureSpec()).contains("ambient_temp_c"));
    assertFalse(features(versions.get(1).featureSpec()).contains("ambient_temp_c"));
    assertTrue(features(versions.get(1).featureSpec()).contains("power_w_lag_2h"));

    // Compare: both versions, trained with different specs, side by side
    interact(() -> {
      model.selectedDeviceProperty().set(id);
      window.navigate(View.MODELS);
    });
    waitUntil(10, () -> lookup("#compare").tryQuery().isPresent());
    CompareController compare = (CompareController) lookup("#compare").query().getProperties()
        .get(CompareController.class);
    waitUntil(20, () -> compare.plottedVersions() == 2);
    waitUntil(10, () -> lookup("#pick-" + v1).tryQuery().isPresent() && lookup("#pick-" + v2).tryQuery().isPresent());
    clickOn("#pick-" + v1);
    clickOn("#pick-" + v2);
    waitUntil(10, () -> compare.sideRows().size() == 2);
    assertEquals(List.of(v1, v2), compare.sideRows().stream().map(SideRow::version).toList());
    assertTrue(compare.sideRows().stream().allMatch(r -> r.mae().endsWith(" W")));
    clickOn("#compare-run");
    waitUntil(90, () -> compare.comparisonResult() != null);
    var result = compare.comparisonResult();
    assertEquals(2, result.versions().size());
    assertFalse(result.versions().get(1).featureImportance().containsKey("ambient_temp_c"),
        "the second version has no ambient input: " + result.versions().get(1).featureImportance().keySet());
    waitUntil(10, () -> compare.sideRows().stream().allMatch(r -> r.windowMae().endsWith(" W")));
    clickOn("Feature importance");
    WaitForAsyncUtils.waitForFxEvents();
    screenshot("devices-compare-two-specs-1366x768");
  }

  private static List<String> features(JsonNode spec) {
    return FeatureSpec.ofModel(spec, "v").featureNames();
  }

  // ---------------------------------------------------------------- (b) a site's own collection

  @Test
  void a_device_from_a_per_reading_collection_is_mapped_checked_and_trained() throws Exception {
    String coll = "site_readings";
    var docs = new ArrayList<Document>();
    Random rnd = new Random(5);
    var end = java.time.Instant.now().truncatedTo(ChronoUnit.DAYS);
    var t = end.minus(Duration.ofDays(7));
    double cloud = 1;
    while (t.isBefore(end)) {
      double hour = t.atZone(ZoneOffset.UTC).getHour() + t.atZone(ZoneOffset.UTC).getMinute() / 60.0;
      cloud = Math.max(0.3, Math.min(1, cloud + rnd.nextGaussian() * 0.08));
      double irr = Math.max(0, Math.sin(Math.PI * (hour - 6) / 12)) * 950 * cloud;
      double amb = 18 + 6 * Math.sin(Math.PI * (hour - 9) / 12) + rnd.nextGaussian() * 0.3;
      for (String sensor : List.of("PV-7", "PV-8")) {
        docs.add(new Document("sensor", sensor).append("recorded_at", Date.from(t))
            .append("pac_kw", Math.max(0, irr * 0.0052 * (sensor.equals("PV-7") ? 1 : 0.9) + rnd.nextGaussian() * 0.01))
            .append("poa_irr", irr).append("t_amb", amb));
      }
      t = t.plus(Duration.ofMinutes(15));
    }
    ctx.store().collection(coll).insertMany(docs);

    size(1366, 768);
    openDevices();
    clickOn("#devices-add");
    waitUntil(5, () -> present("#add-id"));
    set("#add-id", "pv7");
    nextStep();
    waitStep("SOURCE");
    clickOn("#add-source-collection");
    ComboBox<String> names = node("#coll-name");
    waitUntil(10, () -> names.getItems().contains(coll));
    choose("#coll-name", coll);
    waitUntil(10, () -> "sensor".equals(this.<ComboBox<String>>node("#coll-device-field").getValue())
        && "recorded_at".equals(this.<ComboBox<String>>node("#coll-ts-field").getValue()));
    ComboBox<String> values = node("#coll-device-value");
    waitUntil(10, () -> values.getItems().containsAll(List.of("PV-7", "PV-8")));
    choose("#coll-device-value", "PV-7");
    waitUntil(10, () -> lookup("#coll-map-pac_kw").tryQuery().isPresent());
    choose("#coll-map-pac_kw", "power_w");
    choose("#coll-map-poa_irr", "irradiance_wm2");
    choose("#coll-map-t_amb", "ambient_temp_c");
    waitText("#coll-status", "Mapping checked", 20);
    TableView<List<String>> preview = node("#coll-preview");
    waitUntil(5, () -> preview.getItems().size() == 5);
    screenshot("devices-add-collection-1366x768");

    nextStep();
    waitStep("PLACE");
    set("#add-unit", "kW");
    set("#add-zone", "UTC");
    nextStep();
    waitStep("FEATURES");
    waitText("#add-loaded", "Reading from collection " + coll, 10);
    DeviceConfig d = ctx.deviceService().require("pv7");
    assertFalse(d.source().isBuckets());
    assertEquals("PV-7", d.source().deviceValue());
    assertEquals("power_w", d.source().fields().get("pac_kw"));
    nextStep();
    waitStep("CHECK");
    waitText("#add-report", "Ready to train.", 30);
    clickOn("#add-train");
    waitText("#add-train-result", "Version ", 120);
    assertTrue(text("#add-train-result").contains(" kW"), text("#add-train-result"));
    assertEquals(1, ctx.registry().list("pv7").size());
  }

  // ---------------------------------------------------------------- (d) a plant's two exports, filtered and scaled

  @Test
  void plant_exports_go_in_with_a_row_filter_and_unit_factors_one_reading_per_time() throws Exception {
    String id = "plant1";
    Path weather = root.resolve("Plant_1_Weather_Sensor_Data.csv");
    Path generation = root.resolve("Plant_1_Generation_Data.csv");
    PlantExports.write(weather, generation); // 4 inverters per time, AC_POWER in kW; IRRADIATION in kW/m²
    String inverter = PlantExports.INVERTERS.get(1);
    size(1024, 600);
    DevicesController c = openDevices();
    clickOn("#devices-add");
    waitUntil(5, () -> present("#add-id"));
    set("#add-id", id);
    nextStep();
    waitStep("SOURCE");
    set("#csv-path", generation.toString());
    clickOn("#csv-load");
    waitUntil(20, () -> lookup("#csv-map-AC_POWER").tryQuery().isPresent());
    assertEquals("power_w", this.<ComboBox<String>>node("#csv-map-AC_POWER").getValue());
    choose("#csv-map-DC_POWER", "skip");

    // before the filter: the inverters' rows of one time collide, and the hint names the column to filter on
    waitText("#csv-where-hint", "SOURCE_KEY has 4 values per time (one row per inverter?)", 20);
    assertTrue(text("#csv-status").contains("duplicate timestamp"), text("#csv-status"));
    scrollTo("#csv-where-column");
    screenshot("devices-add-csv-duplicates-1024x600");

    choose("#csv-where-column", "SOURCE_KEY");
    ComboBox<String> values = node("#csv-where-value");
    waitUntil(5, () -> values.getItems().equals(PlantExports.INVERTERS));
    waitText("#csv-status", "Pick or type the value of SOURCE_KEY", 5);
    choose("#csv-where-value", inverter);
    waitText("#csv-status", "8 rows parsed (only SOURCE_KEY = " + inverter + ")", 20);
    waitUntil(5, () -> !present("#csv-where-hint"));
    assertFalse(text("#csv-status").contains("duplicate"), text("#csv-status"));

    // AC_POWER in kW: a factor that is not a positive number is refused beside it, then ×1000
    set("#csv-factor-AC_POWER", "-3");
    waitText("#csv-factor-error-AC_POWER", "positive number", 5);
    waitText("#csv-status", "Fix the factor of AC_POWER", 5);
    set("#csv-factor-AC_POWER", "1000");
    waitUntil(5, () -> text("#csv-factor-error-AC_POWER").isEmpty());
    waitText("#csv-status", "Multiplied: AC_POWER ×1000", 20);
    scrollTo("#csv-where-column");
    screenshot("devices-add-csv-filter-1024x600");
    size(1366, 768);
    screenshot("devices-add-csv-filter-1366x768");
    size(1024, 600);
    assertEquals(0, ctx.telemetry().count(id), "a preview writes nothing");

    nextStep();
    waitStep("PLACE");
    nextStep(); // create + import
    waitStep("FEATURES");
    waitText("#add-loaded", "Imported 480 readings", 30);
    assertEquals(PlantExports.ROWS, ctx.telemetry().count(id));
    clickOn("#add-close");

    // Import CSV… for the existing device: the weather export, its irradiation scaled on the suggestion
    waitUntil(10, () -> present("#devices-table") && c.items().stream().anyMatch(i -> i.id().equals(id)));
    interact(() -> c.select(id));
    TableView<?> table = node("#devices-table");
    waitUntil(10, () -> table.getSelectionModel().getSelectedItem() != null
        && ((com.retrainconsole.ui.devices.DevicesViewModel.Item) table.getSelectionModel().getSelectedItem())
        .id().equals(id));
    Button importButton = node("#devices-import");
    waitForEnabled(importButton);
    clickOn(importButton);
    waitUntil(5, () -> present("#csv-path") && text("#add-title").equals("Import CSV into " + id));
    assertFalse(this.<Node>node("#add-source-collection").getParent().isVisible(), "an import reads a CSV file only");
    set("#csv-path", weather.toString());
    clickOn("#csv-load");
    waitUntil(20, () -> lookup("#csv-map-IRRADIATION").tryQuery().isPresent());
    assertEquals("irradiance_wm2", this.<ComboBox<String>>node("#csv-map-IRRADIATION").getValue());
    waitText("#csv-factor-hint-IRRADIATION", "looks like kW/m²", 10);
    assertTrue(text("#csv-factor-hint-IRRADIATION").contains("×1000 makes it W/m²"));
    assertEquals("1", this.<TextField>node("#csv-factor-IRRADIATION").getText(), "suggested, not applied");
    waitText("#csv-status", "rows parsed", 20); // no power in a weather file: fine for a device with readings
    scrollTo("#csv-factor-IRRADIATION");
    screenshot("devices-import-csv-weather-1024x600");
    reveal("#csv-factor-use-IRRADIATION");
    waitUntil(5, () -> "1000".equals(this.<TextField>node("#csv-factor-IRRADIATION").getText()));
    waitUntil(5, () -> text("#csv-factor-hint-IRRADIATION").isEmpty()
        && !this.<Node>node("#csv-factor-use-IRRADIATION").getParent().isVisible());
    waitText("#csv-status", "Multiplied: IRRADIATION ×1000", 20);
    size(1366, 768);
    screenshot("devices-import-csv-weather-1366x768");
    nextStep(); // Import readings
    waitText("#csv-import-result", "480 readings gained fields", 30);
    screenshot("devices-import-csv-done-1366x768");
    waitUntil(10, () -> !model.busy());
    clickOn("#add-close");

    // one reading per time: power in W (the one inverter's), irradiance in W/m², and the temperatures
    var start = PlantExports.START.toInstant(ZoneOffset.UTC);
    TelemetryWindow w = ctx.telemetry().read(id, start, start.plus(Duration.ofDays(6)));
    assertEquals(PlantExports.ROWS, w.size());
    double[] power = w.column("power_w");
    double[] irradiance = w.column("irradiance_wm2");
    assertTrue(w.has("ambient_temp_c") && w.has("module_temp_c"), w.columns().keySet().toString());
    double maxPower = 0;
    double maxIrradiance = 0;
    for (int k = 0; k < w.size(); k++) {
      if (k > 0) {
        assertTrue(w.ts()[k] > w.ts()[k - 1], "one reading per time");
      }
      int row = (int) ((w.ts()[k] - start.toEpochMilli()) / Duration.ofMinutes(15).toMillis());
      PlantExports.Plant p = new PlantExports.Plant(row);
      assertEquals(p.ac(1) * 1000, power[k], 1e-6, "W of inverter " + inverter + " at row " + row);
      assertEquals(p.irradiation * 1000, irradiance[k], 1e-6, "W/m² at row " + row);
      maxPower = Math.max(maxPower, power[k]);
      maxIrradiance = Math.max(maxIrradiance, irradiance[k]);
    }
    assertTrue(maxPower > 10_000, "power in W, not kW: " + maxPower);
    assertTrue(maxIrradiance > 900 && maxIrradiance < 1300, "irradiance in W/m²: " + maxIrradiance);
  }

  // ---------------------------------------------------------------- (c) bad input beside its field

  @Test
  void bad_input_is_shown_beside_its_field_and_nothing_is_created() throws Exception {
    size(1024, 600);
    openDevices();
    clickOn("#devices-add");
    waitUntil(5, () -> present("#add-id"));
    set("#add-id", "bad id!");
    nextStep();
    waitText("#add-device-id-error", "not a valid device id", 5);
    set("#add-id", "bad-one");
    nextStep();
    waitStep("SOURCE");
    clickOn("#add-source-simulator");
    nextStep();
    waitStep("PLACE");
    set("#add-zone", "Europe/Madird");
    waitText("#add-zone-error", "Did you mean Europe/Madrid?", 5);
    set("#add-lat", "123");
    waitText("#add-lat-error", "between -90 and 90", 5);
    assertTrue(present("#add-zone-suggestion"));
    screenshot("devices-add-bad-input-1024x600");
    clickOn("#add-next");
    waitText("#add-nav-error", "Fix the marked fields", 5);
    assertTrue(ctx.devices().find("bad-one").isEmpty(), "nothing is created while a field is wrong");
    clickOn("#add-zone-suggestion");
    waitUntil(5, () -> text("#add-zone-error").isEmpty());
    assertEquals("Europe/Madrid", this.<TextField>node("#add-zone").getText());
    clickOn("#add-close");

    // the edit form: same checks, and a save the core refuses lands beside its field
    DevicesController c = openDevices();
    interact(() -> c.select("tracker03"));
    waitUntil(10, () -> "tracker03".equals(c.specShown()) && present("#edit-input-irradiance_wm2"));
    set("#edit-target", "powr_w");
    waitText("#edit-target-error", "Did you mean power_w?", 5);
    set("#edit-target", "power_w");
    set("#edit-lon", "-200");
    waitText("#edit-lon-error", "between -180 and 180", 5);
    assertTrue(this.<Button>node("#edit-save").isDisabled());
    set("#edit-lon", "-3.6");
    set("#edit-lat", "37.1");
    waitUntil(5, () -> !this.<Button>node("#edit-save").isDisabled());
    // a forecast device cannot lag its own target: the core refuses, the message lands beside the lags
    reveal("#edit-forecast");
    int lags = FeatureSpec.derived("power_w", ctx.deviceService().fieldsOf(ctx.deviceService().require("tracker03")),
        false).lags().size();
    reveal("#edit-add-lag");
    waitUntil(5, () -> lookup("#edit-lag-duration-" + lags).tryQuery().isPresent());
    set("#edit-lag-duration-" + lags, "3h");
    screenshot("devices-edit-refused-1024x600");
    clickOn("#edit-save");
    waitText("#edit-lags-error", "forecast device", 10);
    assertTrue(text("#edit-save-error").contains("marked field"), text("#edit-save-error"));
    assertFalse(ctx.deviceService().require("tracker03").forecast(), "a refused save changes nothing");
    screenshot("devices-edit-1024x600");
  }
}
