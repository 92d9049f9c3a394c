package com.retrainconsole.ui.devices;

import com.retrainconsole.common.ZoneHints;
import com.retrainconsole.devices.DeviceChanges;
import com.retrainconsole.telemetry.CanonicalFields;
import com.retrainconsole.telemetry.DeviceConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * A device's description, place and target as form fields, each checked as it is typed (the rules the
 * core applies on save) with its message right below it; a save's FieldException lands beside the field it
 * names. The edit pane shows every section; the add flow shows one per step. Ids start with a prefix.
 */
final class DeviceForm {
  static final double LABEL_WIDTH = 130;

  private final String prefix;
  final TextField site = new TextField();
  final TextField displayName = new TextField();
  final TextField notes = new TextField();
  final TextField zone = new TextField();
  final Button zoneSuggestion = new Button();
  final TextField lat = new TextField();
  final TextField lon = new TextField();
  final ComboBox<String> target = new ComboBox<>();
  final TextField unit = new TextField();
  final CheckBox forecast = new CheckBox("Forecast: the target is not a live reading (no lags of it)");
  final CheckBox enabled = new CheckBox("Enabled (scheduled retrains and triggers run)");
  private final Map<String, Label> errors = new LinkedHashMap<>();
  private final Map<String, Function<String, String>> checks = new LinkedHashMap<>();
  private final Map<String, TextInputControl> inputs = new LinkedHashMap<>();
  private final BooleanProperty invalid = new SimpleBooleanProperty(this, "invalid");

  DeviceForm(String prefix) {
    this.prefix = prefix;
    site.setPromptText("e.g. Almería north");
    displayName.setPromptText("e.g. Tracker 1 (row 4)");
    notes.setPromptText("anything the next person should know");
    zone.setPromptText("IANA zone, e.g. Europe/Madrid");
    lat.setPromptText("-90 … 90, e.g. 37.1");
    lon.setPromptText("-180 … 180, e.g. -3.6");
    unit.setPromptText("unit, e.g. kW");
    target.setEditable(true);
    target.getItems().setAll(CanonicalFields.KNOWN.keySet());
    target.setPrefWidth(220);
    unit.setPrefColumnCount(6);
    forecast.setWrapText(true);
    enabled.setWrapText(true);
    zoneSuggestion.setVisible(false);
    zoneSuggestion.setManaged(false);
    zoneSuggestion.setMinWidth(Region.USE_PREF_SIZE);
    zoneSuggestion.setOnAction(e -> zone.setText((String) zoneSuggestion.getUserData()));
    id(site, "site");
    id(displayName, "display-name");
    id(notes, "notes");
    id(zone, "zone");
    id(lat, "lat");
    id(lon, "lon");
    id(target, "target");
    id(unit, "unit");
    id(forecast, "forecast");
    id(enabled, "enabled");
    zoneSuggestion.setId(prefix + "-zone-suggestion");
    check("zone", zone, DevicesViewModel::zoneProblem);
    check("lat", lat, t -> firstOf(DevicesViewModel.latProblem(t), DevicesViewModel.pairProblem(t, lon.getText())));
    check("lon", lon, t -> firstOf(DevicesViewModel.lonProblem(t), DevicesViewModel.pairProblem(lat.getText(), t)));
    check("target", target.getEditor(), DevicesViewModel::targetProblem);
    lat.textProperty().addListener((o, was, now) -> revalidate("lon"));
    lon.textProperty().addListener((o, was, now) -> revalidate("lat"));
    target.valueProperty().addListener((o, was, now) -> {
      if (now != null && !now.equals(target.getEditor().getText())) {
        target.getEditor().setText(now);
      }
    });
    target.getEditor().textProperty().addListener((o, was, now) -> {
      String oldUnit = was == null ? "" : CanonicalFields.unitOf(was.trim()).orElse("");
      if (unit.getText().isEmpty() || unit.getText().equals(oldUnit)) {
        unit.setText(CanonicalFields.unitOf(now == null ? "" : now.trim()).orElse(unit.getText()));
      }
    });
    for (String key : List.of("device_id", "site", "source", "form")) {
      errorLabel(key);
    }
  }

  private static String firstOf(String a, String b) {
    return a != null ? a : b;
  }

  private void id(Control c, String name) {
    c.setId(prefix + "-" + name);
  }

  private Label errorLabel(String key) {
    return errors.computeIfAbsent(key, k -> {
      Label l = new Label();
      l.setId(prefix + "-" + k.replace('_', '-') + "-error");
      l.getStyleClass().add("rc-field-error");
      l.setWrapText(true);
      l.setMinHeight(Region.USE_PREF_SIZE);
      l.setMaxWidth(Double.MAX_VALUE);
      show(l, "");
      return l;
    });
  }

  private void check(String key, TextInputControl field, Function<String, String> check) {
    errorLabel(key);
    checks.put(key, check);
    inputs.put(key, field);
    field.textProperty().addListener((o, was, now) -> revalidate(key));
  }

  private void revalidate(String key) {
    TextInputControl field = inputs.get(key);
    String problem = checks.get(key).apply(field.getText());
    if (key.equals("zone")) {
      String suggestion = problem == null ? null : ZoneHints.closest(field.getText());
      zoneSuggestion.setUserData(suggestion);
      zoneSuggestion.setText(suggestion == null ? "" : "Use " + suggestion);
      zoneSuggestion.setVisible(suggestion != null);
      zoneSuggestion.setManaged(suggestion != null);
    }
    setError(key, problem);
    invalid.set(checks.keySet().stream().anyMatch(k -> !errors.get(k).getText().isEmpty()));
  }

  /** Re-checks every field (after a fill). */
  void revalidateAll() {
    checks.keySet().forEach(this::revalidate);
  }

  BooleanProperty invalidProperty() {
    return invalid;
  }

  void setError(String key, String message) {
    Label l = errorLabel(key);
    show(l, message == null ? "" : message);
    TextInputControl field = inputs.get(key);
    if (field != null) {
      field.getStyleClass().remove("rc-field-invalid");
      if (message != null && !message.isEmpty()) {
        field.getStyleClass().add("rc-field-invalid");
      }
    }
  }

  /** Shows a save's FieldException beside its field; false when the form has no such field. */
  boolean showError(String field, String message) {
    if (field == null) {
      return false;
    }
    String key = field.startsWith("source") ? "source" : field;
    if (!errors.containsKey(key)) {
      return false;
    }
    setError(key, message);
    return true;
  }

  void clearSaveErrors() {
    for (String key : List.of("device_id", "site", "source", "form")) {
      setError(key, "");
    }
  }

  Label error(String key) {
    return errorLabel(key);
  }

  private static void show(Label l, String text) {
    l.setText(text);
    l.setVisible(!text.isEmpty());
    l.setManaged(!text.isEmpty());
  }

  // ---------------------------------------------------------------- layout

  /** A grid of label + field rows, each field with its message below it. */
  static GridPane grid() {
    GridPane g = new GridPane();
    g.setHgap(10);
    g.setVgap(4);
    ColumnConstraints labels = new ColumnConstraints(LABEL_WIDTH);
    labels.setMinWidth(LABEL_WIDTH);
    ColumnConstraints fields = new ColumnConstraints();
    fields.setHgrow(Priority.ALWAYS);
    fields.setFillWidth(true);
    g.getColumnConstraints().setAll(labels, fields);
    g.getStyleClass().add("rc-device-grid");
    return g;
  }

  static void row(GridPane g, String label, Node field, Label error) {
    int r = g.getRowCount();
    Label l = new Label(label);
    l.getStyleClass().add("rc-form-label");
    l.setWrapText(true);
    l.setPadding(new javafx.geometry.Insets(5, 0, 0, 0));
    GridPane.setValignment(l, javafx.geometry.VPos.TOP);
    g.add(l, 0, r);
    VBox box = new VBox(2, field);
    if (error != null) {
      box.getChildren().add(error);
    }
    if (field instanceof Region region) {
      region.setMaxWidth(420);
    }
    GridPane.setHgrow(box, Priority.ALWAYS);
    g.add(box, 1, r);
  }

  /** Site, display name, notes. */
  GridPane descriptionSection() {
    GridPane g = grid();
    row(g, "Site", site, errorLabel("site"));
    row(g, "Display name", displayName, null);
    row(g, "Notes", notes, null);
    return g;
  }

  /** Zone (with a suggestion for a typo), latitude, longitude. */
  GridPane placeSection() {
    GridPane g = grid();
    HBox zoneRow = new HBox(8, zone, zoneSuggestion);
    zoneRow.setAlignment(Pos.CENTER_LEFT);
    HBox.setHgrow(zone, Priority.ALWAYS);
    zone.setMaxWidth(300);
    row(g, "Time zone", zoneRow, errorLabel("zone"));
    row(g, "Latitude", lat, errorLabel("lat"));
    row(g, "Longitude", lon, errorLabel("lon"));
    return g;
  }

  /** Target with unit, forecast. */
  GridPane targetSection() {
    GridPane g = grid();
    Label unitLabel = new Label("unit");
    unitLabel.setMinWidth(Region.USE_PREF_SIZE); // the target field gives way first, never the word
    HBox targetRow = new HBox(8, target, unitLabel, unit);
    targetRow.setAlignment(Pos.CENTER_LEFT);
    row(g, "Target", targetRow, errorLabel("target"));
    row(g, "", forecast, null);
    return g;
  }

  GridPane enabledSection() {
    GridPane g = grid();
    row(g, "", enabled, null);
    return g;
  }

  // ---------------------------------------------------------------- values

  void fill(DeviceConfig d) {
    site.setText(nz(d.site()));
    displayName.setText(nz(d.displayName()));
    notes.setText(nz(d.notes()));
    zone.setText(d.zone().getId());
    lat.setText(d.lat() == null ? "" : String.valueOf(d.lat()));
    lon.setText(d.lon() == null ? "" : String.valueOf(d.lon()));
    target.setValue(d.target());
    target.getEditor().setText(d.target());
    unit.setText(nz(d.targetUnit() != null ? d.targetUnit() : d.unit()));
    forecast.setSelected(d.forecast());
    enabled.setSelected(d.enabled());
    clearSaveErrors();
    revalidateAll();
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  String targetText() {
    String t = target.getEditor().getText();
    return t == null || t.isBlank() ? DeviceConfig.DEFAULT_TARGET : t.trim();
  }

  /** Every field of the form as changes (blank texts clear optional fields; an empty location stays). */
  DeviceChanges changes() {
    return DeviceChanges.none()
        .withSite(site.getText())
        .withDisplayName(displayName.getText())
        .withNotes(notes.getText())
        .withZone(zone.getText().trim())
        .withLocation(DevicesViewModel.number(lat.getText()), DevicesViewModel.number(lon.getText()))
        .withTarget(targetText(), unit.getText().trim())
        .withForecast(forecast.isSelected())
        .withEnabled(enabled.isSelected());
  }

  /** The keys of the fields with a problem now, in form order. */
  List<String> problems() {
    List<String> out = new ArrayList<>();
    errors.forEach((k, l) -> {
      if (!l.getText().isEmpty()) {
        out.add(k);
      }
    });
    return out;
  }

  void setEditable(boolean editable) {
    for (Control c : List.of(site, displayName, notes, zone, lat, lon, unit)) {
      ((TextInputControl) c).setEditable(editable);
    }
    target.setDisable(!editable);
    forecast.setDisable(!editable);
    enabled.setDisable(!editable);
  }
}
