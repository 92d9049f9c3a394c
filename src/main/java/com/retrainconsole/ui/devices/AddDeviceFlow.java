package com.retrainconsole.ui.devices;

import com.retrainconsole.ui.Styles;
import com.retrainconsole.common.DeviceIds;
import com.retrainconsole.common.FieldException;
import com.retrainconsole.common.ZoneHints;
import com.retrainconsole.devices.CollectionProbe;
import com.retrainconsole.devices.DeviceChanges;
import com.retrainconsole.devices.DeviceService;
import com.retrainconsole.devices.ReadinessReport;
import com.retrainconsole.features.FeatureSpec;
import com.retrainconsole.retrain.RetrainOutcome;
import com.retrainconsole.retrain.RetrainRequest;
import com.retrainconsole.telemetry.CanonicalFields;
import com.retrainconsole.telemetry.CsvImportOptions;
import com.retrainconsole.telemetry.CsvImportResult;
import com.retrainconsole.telemetry.CsvImporter;
import com.retrainconsole.telemetry.CsvPreview;
import com.retrainconsole.telemetry.DeviceConfig;
import com.retrainconsole.telemetry.SimulatorConfig;
import com.retrainconsole.ui.ConsoleModel;
import com.retrainconsole.ui.Tasks;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

/**
 * The guided "Add device" flow, as a stepped pane over the Devices view: 1 id and description; 2 the
 * readings' source (a CSV file with a column mapping and a live preview of the parsed rows, a collection of
 * the connected store with a field mapping checked against its documents, or the demo simulator); 3 zone,
 * location and target; then the device is created and its readings loaded (Operations, in the background
 * with progress); 4 the feature spec, pre-filled with the derived default; 5 the readiness check, a dry
 * run (candidate MAE against the naive baseline) and a first real training. A save's FieldException goes
 * back to the step holding the field and is shown beside it.
 */
public final class AddDeviceFlow {
  enum Step {
    DEVICE("1 Device"), SOURCE("2 Source"), PLACE("3 Place & target"), FEATURES("4 Features"),
    CHECK("5 Check & train");

    final String title;

    Step(String title) {
      this.title = title;
    }
  }

  /** Where the new device's readings come from. */
  public enum SourceKind { CSV, COLLECTION, SIMULATOR }

  static final int PREVIEW_ROWS = 8;
  /** Raw rows read for the mapping's examples, the filter's values and the unit hints. */
  static final int RAW_ROWS = 500;
  static final String ALL_ROWS = "(all rows)";
  static final List<String> SIM_INTERVALS = List.of("5m", "15m", "1h");

  private final ConsoleModel model;
  private final Consumer<String> onClose;
  private final BorderPane root = new BorderPane();
  private final Map<Step, Node> panes = new LinkedHashMap<>();
  private final Map<Step, Label> stepLabels = new LinkedHashMap<>();
  private final StackPane content = new StackPane();
  private final ScrollPane scroll = new ScrollPane();
  private final DeviceForm form = new DeviceForm("add");
  private final FeatureSpecEditor editor = new FeatureSpecEditor("add");
  private final TextField idField = new TextField();
  private final Label idError = form.error("device_id");
  private final Label navError = new Label();
  private final Button back = new Button("Back");
  private final Button next = new Button("Next");
  private final Button close = new Button("Close");
  // source
  private final ToggleGroup sourceGroup = new ToggleGroup();
  private final RadioButton csvRadio = new RadioButton("CSV file");
  private final RadioButton collRadio = new RadioButton("Collection in the connected store");
  private final RadioButton simRadio = new RadioButton("Demo simulator");
  private final Label sourceError = form.error("source");
  private final VBox csvPane = new VBox(8);
  private final VBox collPane = new VBox(8);
  private final VBox simPane = new VBox(8);
  private final TextField csvPath = new TextField();
  private final TextField csvZone = new TextField("UTC");
  private final Label csvZoneError = new Label();
  private final GridPane csvMapping = new GridPane();
  private final List<MappingRow> csvRows = new ArrayList<>();
  private final TableView<List<String>> csvPreview = new TableView<>();
  private final Label csvStatus = new Label();
  private final ComboBox<String> csvWhereColumn = new ComboBox<>();
  private final ComboBox<String> csvWhereValue = new ComboBox<>();
  private final Label csvWhereHint = new Label();
  private final Label csvImportResult = new Label();
  private final Label title = new Label("Add device");
  private final HBox steps = new HBox(6);
  private final HBox sourceKinds = new HBox(18);
  private final Label sourceTitle = heading("Where do its readings come from?");
  private final ComboBox<String> collName = new ComboBox<>();
  private final ComboBox<String> collDeviceField = new ComboBox<>();
  private final ComboBox<String> collDeviceValue = new ComboBox<>();
  private final ComboBox<String> collTsField = new ComboBox<>();
  private final GridPane collMapping = new GridPane();
  private final List<MappingRow> collRows = new ArrayList<>();
  private final TableView<List<String>> collPreview = new TableView<>();
  private final Label collStatus = new Label();
  private final Spinner<Integer> simDays = new Spinner<>();
  private final ComboBox<String> simInterval = new ComboBox<>();
  // features and check
  private final Label loadedLabel = new Label();
  private final Label report = new Label();
  private final Button checkButton = new Button("Check");
  private final Button dryRunButton = new Button("Dry run");
  private final Button trainButton = new Button("Train a first model");
  private final Button doneButton = new Button("Done");
  private final Label dryResult = new Label();
  private final Label trainResult = new Label();

  private Step step = Step.DEVICE;
  private String createdId;
  private CsvPreview lastCsv;
  private List<String> csvHeader = List.of();
  private List<List<String>> csvRaw = List.of();
  /** The existing device an "Import CSV…" loads readings into, or null when adding a device. */
  private DeviceConfig importInto;
  private CollectionProbe.Preview lastColl;
  private long csvGeneration;
  private long collGeneration;
  private boolean fillingMapping;

  AddDeviceFlow(ConsoleModel model, Consumer<String> onClose) {
    this.model = model;
    this.onClose = onClose;
    build();
  }

  Node root() {
    return root;
  }

  /** Starts over at step 1; {@code csv} picks the CSV source. */
  void start(boolean csv) {
    createdId = null;
    importInto = null;
    title.setText("Add device");
    sourceTitle.setText("Where do its readings come from?");
    steps.setVisible(true);
    steps.setManaged(true);
    sourceKinds.setVisible(true);
    sourceKinds.setManaged(true);
    csvImportResult.setText("");
    csvImportResult.setVisible(false);
    csvImportResult.setManaged(false);
    close.setText("Close");
    idField.clear();
    idError.setText("");
    form.fill(DeviceConfig.of("new-device").withZone(ZoneId.of("UTC")));
    String site = model.siteForNewDevice();
    form.site.setText(site == null ? "" : site);
    form.lat.clear();
    form.lon.clear();
    form.zone.setText("UTC");
    sourceGroup.selectToggle(csvRadio);
    csvPath.clear();
    csvZone.setText("UTC");
    csvRows.clear();
    renderMapping(csvMapping, csvRows, "csv");
    csvHeader = List.of();
    csvRaw = List.of();
    fillingMapping = true;
    try {
      csvWhereColumn.getItems().setAll(ALL_ROWS);
      csvWhereColumn.setValue(ALL_ROWS);
      csvWhereValue.getItems().clear();
      csvWhereValue.setValue(null);
    } finally {
      fillingMapping = false;
    }
    csvWhereHint.setText("");
    csvPreview.getItems().clear();
    csvPreview.getColumns().clear();
    csvStatus.setText("Type the path of a CSV file (header row first) and press Enter, or Browse.");
    lastCsv = null;
    lastColl = null;
    collRows.clear();
    renderMapping(collMapping, collRows, "coll");
    collPreview.getItems().clear();
    collStatus.setText("");
    loadedLabel.setText("");
    report.setText("");
    dryResult.setText("");
    trainResult.setText("");
    show(Step.DEVICE);
    if (!csv) {
      idField.requestFocus();
    }
  }

  /**
   * "Import CSV…" for an existing device: the CSV step alone, its readings going into {@code device}
   * (merged with what it has; the file need not hold the target, e.g. a weather export).
   */
  void startImport(DeviceConfig device) {
    start(true);
    importInto = device;
    idField.setText(device.id());
    form.fill(device);
    title.setText("Import CSV into " + device.id());
    sourceTitle.setText("Which file, and what is each of its columns?");
    steps.setVisible(false);
    steps.setManaged(false);
    sourceKinds.setVisible(false);
    sourceKinds.setManaged(false);
    show(Step.SOURCE);
    csvPath.requestFocus();
  }

  // ---------------------------------------------------------------- layout

  private void build() {
    root.getStyleClass().add("rc-add-flow");
    title.setId("add-title");
    title.getStyleClass().add("rc-view-title");
    title.setMinWidth(Region.USE_PREF_SIZE);
    steps.setAlignment(Pos.CENTER_LEFT);
    for (Step s : Step.values()) {
      Label l = new Label(s.title);
      l.setId("add-step-" + s.name());
      l.getStyleClass().add("rc-step");
      l.setMinWidth(Region.USE_PREF_SIZE);
      stepLabels.put(s, l);
      steps.getChildren().add(l);
    }
    HBox head = new HBox(16, title, steps);
    head.setAlignment(Pos.CENTER_LEFT);
    head.getStyleClass().add("rc-add-head");
    root.setTop(head);

    panes.put(Step.DEVICE, devicePane());
    panes.put(Step.SOURCE, sourcePane());
    panes.put(Step.PLACE, placePane());
    panes.put(Step.FEATURES, featuresPane());
    panes.put(Step.CHECK, checkPane());
    content.getChildren().setAll(panes.values());
    content.setPadding(new Insets(8, 12, 8, 2));
    scroll.setContent(content);
    scroll.setFitToWidth(true);
    scroll.setId("add-scroll");
    scroll.getStyleClass().add("rc-form-scroll");
    root.setCenter(scroll);

    navError.setId("add-nav-error");
    navError.getStyleClass().add("rc-field-error");
    navError.setWrapText(true);
    navError.setMinWidth(0);
    navError.setMaxWidth(Double.MAX_VALUE);
    HBox.setHgrow(navError, Priority.ALWAYS);
    back.setId("add-back");
    next.setId("add-next");
    close.setId("add-close");
    next.getStyleClass().add("rc-primary-button");
    for (Button b : List.of(back, next, close)) {
      b.setMinWidth(Region.USE_PREF_SIZE);
    }
    back.setOnAction(e -> show(Step.values()[step.ordinal() - 1]));
    next.setOnAction(e -> next());
    close.setOnAction(e -> onClose.accept(importInto != null ? importInto.id() : createdId));
    next.disableProperty().bind(model.busyProperty());
    HBox nav = new HBox(8, close, navError, back, next);
    nav.setAlignment(Pos.CENTER_LEFT);
    nav.getStyleClass().add("rc-add-nav");
    root.setBottom(nav);
  }

  private VBox devicePane() {
    idField.setId("add-id");
    idField.setPromptText("e.g. inverter-07");
    idField.textProperty().addListener((o, was, now) -> idError.setText(idProblem(now) == null ? "" : idProblem(now)));
    idField.textProperty().addListener((o, was, now) -> {
      idError.setVisible(!idError.getText().isEmpty());
      idError.setManaged(idError.isVisible());
    });
    GridPane g = DeviceForm.grid();
    DeviceForm.row(g, "Device id", idField, idError);
    VBox box = new VBox(10, heading("Which device?"),
        hint("The id names the device everywhere (CLI, runs, model files) and cannot be changed later: "
            + DeviceIds.RULE + "."), g,
        form.descriptionSection());
    return box;
  }

  static String idProblem(String id) {
    if (id == null || id.isBlank()) {
      return "give the device an id";
    }
    return DeviceIds.isValid(id.trim()) ? null : "'" + id.trim() + "' is not a valid device id: use " + DeviceIds.RULE;
  }

  private VBox sourcePane() {
    csvRadio.setId("add-source-csv");
    collRadio.setId("add-source-collection");
    simRadio.setId("add-source-simulator");
    for (RadioButton r : List.of(csvRadio, collRadio, simRadio)) {
      r.setToggleGroup(sourceGroup);
      r.setMinWidth(Region.USE_PREF_SIZE);
    }
    sourceKinds.getChildren().setAll(csvRadio, collRadio, simRadio);
    sourceKinds.setAlignment(Pos.CENTER_LEFT);

    // CSV
    csvPath.setId("csv-path");
    csvPath.setPromptText("/path/to/readings.csv");
    csvPath.setOnAction(e -> loadCsv());
    HBox.setHgrow(csvPath, Priority.ALWAYS);
    Button browse = new Button("Browse…");
    browse.setId("csv-browse");
    browse.setMinWidth(Region.USE_PREF_SIZE);
    browse.setOnAction(e -> {
      FileChooser chooser = new FileChooser();
      chooser.setTitle("CSV file with readings");
      chooser.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("CSV files", "*.csv", "*.txt"),
          new FileChooser.ExtensionFilter("All files", "*"));
      File f = chooser.showOpenDialog(root.getScene() == null ? null : root.getScene().getWindow());
      if (f != null) {
        csvPath.setText(f.getAbsolutePath());
        loadCsv();
      }
    });
    Button load = new Button("Read file");
    load.setId("csv-load");
    load.setMinWidth(Region.USE_PREF_SIZE);
    load.setOnAction(e -> loadCsv());
    csvZone.setId("csv-zone");
    csvZone.setPrefColumnCount(14);
    csvZoneError.setId("csv-zone-error");
    csvZoneError.getStyleClass().add("rc-field-error");
    csvZone.textProperty().addListener((o, was, now) -> {
      String p = DevicesViewModel.zoneProblem(now);
      csvZoneError.setText(p == null ? "" : p);
      previewCsv();
    });
    Label zoneLabel = new Label("Times without an offset are in");
    zoneLabel.setMinWidth(Region.USE_PREF_SIZE);
    HBox zoneRow = new HBox(8, zoneLabel, csvZone, csvZoneError);
    zoneRow.setAlignment(Pos.CENTER_LEFT);
    styleMapping(csvMapping, "csv-mapping");
    preview(csvPreview, "csv-preview");
    status(csvStatus, "csv-status");
    form.unit.textProperty().addListener((o, was, now) -> csvRows.forEach(MappingRow::updateFactor));
    csvWhereColumn.setId("csv-where-column");
    csvWhereValue.setId("csv-where-value");
    csvWhereColumn.setPrefWidth(200);
    csvWhereValue.setPrefWidth(220);
    csvWhereValue.setEditable(true);
    csvWhereValue.setPromptText("value");
    csvWhereColumn.valueProperty().addListener((o, was, now) -> whereColumnChanged());
    csvWhereValue.valueProperty().addListener((o, was, now) -> {
      if (!fillingMapping) {
        previewCsv();
      }
    });
    Label whereLabel = new Label("Keep only rows where");
    whereLabel.setMinWidth(Region.USE_PREF_SIZE);
    Label equals = new Label("=");
    equals.setMinWidth(Region.USE_PREF_SIZE);
    HBox whereRow = new HBox(8, whereLabel, csvWhereColumn, equals, csvWhereValue);
    whereRow.setAlignment(Pos.CENTER_LEFT);
    csvWhereHint.setId("csv-where-hint");
    csvWhereHint.getStyleClass().add("rc-csv-hint");
    csvWhereHint.setWrapText(true);
    csvWhereHint.setMinHeight(Region.USE_PREF_SIZE);
    csvWhereHint.setMaxWidth(Double.MAX_VALUE);
    csvWhereHint.managedProperty().bind(csvWhereHint.textProperty().isNotEmpty());
    csvWhereHint.visibleProperty().bind(csvWhereHint.managedProperty());
    csvImportResult.setId("csv-import-result");
    csvImportResult.setWrapText(true);
    csvImportResult.setMinHeight(Region.USE_PREF_SIZE);
    csvPane.getChildren().setAll(csvImportResult, new HBox(8, csvPath, browse, load), zoneRow,
        subheading("Column mapping: what each column of the file is, and the factor its values are multiplied by"
            + " (e.g. ×1000 for kW → W)"), csvMapping,
        subheading("Rows: a file with several inverters or sensors per time needs one picked"), whereRow,
        subheading("Preview: the first rows as the import will read them (nothing is written yet)"), csvStatus,
        csvWhereHint, csvPreview);

    // collection
    collName.setId("coll-name");
    collDeviceField.setId("coll-device-field");
    collDeviceValue.setId("coll-device-value");
    collTsField.setId("coll-ts-field");
    for (ComboBox<String> c : List.of(collName, collDeviceField, collDeviceValue, collTsField)) {
      c.setPrefWidth(220);
    }
    collName.valueProperty().addListener((o, was, now) -> discoverCollection());
    collDeviceField.valueProperty().addListener((o, was, now) -> discoverValues());
    collDeviceValue.valueProperty().addListener((o, was, now) -> discoverFields());
    collTsField.valueProperty().addListener((o, was, now) -> checkCollection());
    GridPane cg = DeviceForm.grid();
    DeviceForm.row(cg, "Collection", collName, null);
    DeviceForm.row(cg, "Device field", collDeviceField, null);
    DeviceForm.row(cg, "Device value", collDeviceValue, null);
    DeviceForm.row(cg, "Time field", collTsField, null);
    styleMapping(collMapping, "coll-mapping");
    preview(collPreview, "coll-preview");
    status(collStatus, "coll-status");
    collPane.getChildren().setAll(hint("A collection with one document per reading; the device's documents are"
            + " picked by a field and value. Numeric fields are mapped to the names the models read."), cg,
        subheading("Field mapping"), collMapping,
        subheading("Preview: the newest rows as the model will read them"), collStatus, collPreview);

    // simulator
    simDays.setId("sim-days");
    simDays.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(1, 365, 14));
    simDays.setEditable(true);
    simDays.setPrefWidth(100);
    simInterval.setId("sim-interval");
    simInterval.getItems().setAll(SIM_INTERVALS);
    simInterval.setValue("15m");
    GridPane sg = DeviceForm.grid();
    DeviceForm.row(sg, "Days", simDays, null);
    DeviceForm.row(sg, "Every", simInterval, null);
    simPane.getChildren().setAll(hint("Physics-based readings for a tracker at the location of step 3 (sun"
        + " position, clouds, module temperature, soiling), ending today 00:00 UTC."), sg);

    sourceGroup.selectedToggleProperty().addListener((o, was, now) -> showSource());
    StackPane sources = new StackPane(csvPane, collPane, simPane);
    sources.setAlignment(Pos.TOP_LEFT);
    return new VBox(10, sourceTitle, sourceKinds, sourceError, sources);
  }

  private VBox placePane() {
    return new VBox(10, heading("Where is it, and what should the model predict?"), form.placeSection(),
        form.targetSection(), hint("Next creates the device and loads its readings; progress is in the status bar."));
  }

  private VBox featuresPane() {
    loadedLabel.setId("add-loaded");
    loadedLabel.getStyleClass().add("rc-result-ok");
    loadedLabel.setWrapText(true);
    loadedLabel.setMinHeight(Region.USE_PREF_SIZE);
    return new VBox(10, heading("Which features should the model see?"), loadedLabel,
        hint("Pre-filled with the default derived from the fields that have readings. Leave it to follow the"
            + " data, or change it: the change is stored as the device's spec."), editor.root());
  }

  private VBox checkPane() {
    report.setId("add-report");
    report.getStyleClass().add("rc-report");
    report.setWrapText(true);
    report.setMinHeight(Region.USE_PREF_SIZE);
    for (Label l : List.of(dryResult, trainResult)) {
      l.setWrapText(true);
      l.setMinHeight(Region.USE_PREF_SIZE);
      l.getStyleClass().add("rc-report");
    }
    dryResult.setId("add-dry-result");
    trainResult.setId("add-train-result");
    checkButton.setId("add-check");
    dryRunButton.setId("add-dry-run");
    trainButton.setId("add-train");
    doneButton.setId("add-done");
    trainButton.getStyleClass().add("rc-primary-button");
    checkButton.setOnAction(e -> check());
    dryRunButton.setOnAction(e -> retrain(true));
    trainButton.setOnAction(e -> retrain(false));
    doneButton.setOnAction(e -> onClose.accept(createdId));
    for (Button b : List.of(checkButton, dryRunButton, trainButton)) {
      b.disableProperty().bind(model.busyProperty());
      b.setMinWidth(Region.USE_PREF_SIZE);
    }
    HBox buttons = new HBox(8, checkButton, dryRunButton, trainButton, doneButton);
    buttons.setAlignment(Pos.CENTER_LEFT);
    return new VBox(10, heading("Is the data ready?"), hint("The check reads the window a default retrain would"
        + " read and applies the same quality gate. A dry run trains and scores without writing a model."),
        buttons, report, dryResult, trainResult);
  }

  private static Label heading(String text) {
    Label l = new Label(text);
    l.getStyleClass().add("rc-section-title");
    l.setWrapText(true);
    return l;
  }

  private static Label subheading(String text) {
    return Styles.wrapping(text, "rc-subheading");
  }

  private static Label hint(String text) {
    return Styles.wrapping(text, "rc-muted");
  }

  private static void status(Label l, String id) {
    l.setId(id);
    l.setWrapText(true);
    l.setMinHeight(Region.USE_PREF_SIZE);
    l.setMaxWidth(Double.MAX_VALUE);
  }

  private static void styleMapping(GridPane g, String id) {
    g.setId(id);
    g.setHgap(12);
    g.setVgap(4);
    g.getStyleClass().add("rc-mapping");
  }

  private static void preview(TableView<List<String>> t, String id) {
    t.setId(id);
    t.setPrefHeight(230);
    t.setMinHeight(150);
    t.getStyleClass().add("rc-compact");
    t.setPlaceholder(new Label("No preview yet."));
  }

  private void show(Step s) {
    step = s;
    panes.forEach((k, pane) -> {
      pane.setVisible(k == s);
      pane.setManaged(k == s);
    });
    stepLabels.forEach((k, l) -> {
      l.getStyleClass().removeAll("rc-step-current", "rc-step-done");
      l.getStyleClass().add(k == s ? "rc-step-current" : k.ordinal() < s.ordinal() ? "rc-step-done" : "rc-step");
    });
    back.setDisable(s == Step.DEVICE);
    back.setVisible((s != Step.FEATURES || createdId == null) && importInto == null);
    next.setVisible(s != Step.CHECK);
    next.setManaged(s != Step.CHECK);
    next.setText(importInto != null ? "Import readings" : switch (s) {
      case PLACE -> createdId == null ? "Create device and load data" : "Save and reload data";
      case FEATURES -> "Save spec and check";
      default -> "Next";
    });
    navError.setText("");
    if (s == Step.SOURCE) {
      showSource();
    }
    if (s == Step.CHECK && report.getText().isEmpty()) {
      check();
    }
  }

  private SourceKind sourceKind() {
    return sourceGroup.getSelectedToggle() == collRadio ? SourceKind.COLLECTION
        : sourceGroup.getSelectedToggle() == simRadio ? SourceKind.SIMULATOR : SourceKind.CSV;
  }

  private void showSource() {
    SourceKind k = sourceKind();
    csvPane.setVisible(k == SourceKind.CSV);
    collPane.setVisible(k == SourceKind.COLLECTION);
    simPane.setVisible(k == SourceKind.SIMULATOR);
    csvPane.setManaged(csvPane.isVisible());
    collPane.setManaged(collPane.isVisible());
    simPane.setManaged(simPane.isVisible());
    if (k == SourceKind.COLLECTION && collName.getItems().isEmpty()) {
      Tasks.<List<String>>create(p -> model.ctx().deviceService().probe().siteCollections())
          .onSuccess(names -> {
            collName.getItems().setAll(names);
            collStatus.setText(names.isEmpty() ? "The connected store has no collections besides the app's own."
                : "Pick the collection, the field and value that select this device's documents, and the time field.");
          })
          .onError(e -> collStatus.setText("Could not list collections: " + DevicesViewModel.message(e)))
          .runOn(model.executor());
    }
  }

  // ---------------------------------------------------------------- mapping tables

  /**
   * One site column or field, an example value, the ComboBox choosing what it maps to and, for a CSV column,
   * the factor its values are multiplied by (with a ×1000 suggestion when the values look like kilo-units).
   */
  private final class MappingRow {
    final String column;
    final String example;
    final ComboBox<String> mapsTo = new ComboBox<>();
    final Label error = new Label();
    final TextField factor = new TextField("1");
    final Label factorError = new Label();
    final Label suggestion = new Label();
    final Button useSuggested = new Button("Use ×1000");
    final HBox suggestBox = new HBox(10, suggestion, useSuggested);
    final VBox notes = new VBox(2, error, factorError, suggestBox);
    final boolean csv;

    MappingRow(String prefix, String column, String example, String kind, String guess, List<String> choices) {
      this.column = column;
      this.example = example;
      this.csv = prefix.equals("csv");
      mapsTo.getItems().setAll(choices);
      mapsTo.setEditable(true);
      mapsTo.setValue(guess);
      mapsTo.setId(prefix + "-map-" + column);
      mapsTo.setPrefWidth(200);
      error.getStyleClass().add("rc-field-error");
      error.setId(prefix + "-map-error-" + column);
      error.setWrapText(true);
      factor.setId(prefix + "-factor-" + column);
      factor.setPrefColumnCount(5);
      factor.setMinWidth(Region.USE_PREF_SIZE);
      factorError.setId(prefix + "-factor-error-" + column);
      factorError.getStyleClass().add("rc-field-error");
      factorError.setWrapText(true);
      suggestion.setId(prefix + "-factor-hint-" + column);
      suggestion.getStyleClass().add("rc-factor-hint");
      suggestion.setWrapText(true);
      suggestion.setMinWidth(0);
      useSuggested.setId(prefix + "-factor-use-" + column);
      useSuggested.setMinWidth(Region.USE_PREF_SIZE);
      useSuggested.setOnAction(e -> factor.setText("1000"));
      suggestBox.setAlignment(Pos.CENTER_LEFT);
      for (Node n : List.of(error, factorError, suggestBox, notes)) {
        n.managedProperty().bind(n.visibleProperty());
      }
      notes.visibleProperty().bind(error.visibleProperty().or(factorError.visibleProperty())
          .or(suggestBox.visibleProperty()));
      notes.setPadding(new Insets(0, 0, 4, 0));
      error.visibleProperty().bind(error.textProperty().isNotEmpty());
      factorError.visibleProperty().bind(factorError.textProperty().isNotEmpty());
      suggestBox.visibleProperty().bind(suggestion.textProperty().isNotEmpty());
      mapsTo.valueProperty().addListener((o, was, now) -> {
        if (!fillingMapping) {
          if (prefix.equals("csv")) {
            updateFactor();
            previewCsv();
          } else {
            checkCollection();
          }
        }
      });
      factor.textProperty().addListener((o, was, now) -> {
        updateFactor();
        if (!fillingMapping) {
          previewCsv();
        }
      });
      updateFactor();
    }

    /** A value column's factor (null while it is not a positive number); 1 for time, device or skip. */
    Double factorValue() {
      if (!isValueColumn()) {
        return 1.0;
      }
      String t = factor.getText() == null ? "" : factor.getText().trim();
      try {
        double f = Double.parseDouble(t);
        return Double.isFinite(f) && f > 0 ? f : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }

    boolean isValueColumn() {
      String v = value();
      return !v.equals(DevicesViewModel.SKIP) && !v.equals(DevicesViewModel.TIME) && !v.equals(DevicesViewModel.DEVICE);
    }

    /** Enables the factor for a value column, checks it, and offers ×1000 where the values look like kilo-units. */
    void updateFactor() {
      boolean value = isValueColumn();
      factor.setVisible(value); // time, device and skip take no factor

      factorError.setText(!value || factorValue() != null ? ""
          : "'" + factor.getText().trim() + "' is not a factor: give a positive number such as 1000");
      String hint = value ? kiloHint(this) : null;
      suggestion.setText(hint == null || !"1".equals(factor.getText().trim()) ? "" : hint);
    }

    String value() {
      String v = mapsTo.getValue();
      if (mapsTo.isEditable() && mapsTo.getEditor().getText() != null && mapsTo.getEditor().isFocused()) {
        v = mapsTo.getEditor().getText();
      }
      return v == null || v.isBlank() ? DevicesViewModel.SKIP : v.trim();
    }
  }

  private void renderMapping(GridPane g, List<MappingRow> rows, String prefix) {
    boolean csv = prefix.equals("csv");
    g.getChildren().clear();
    g.add(head(csv ? "Column" : "Field"), 0, 0);
    g.add(head("Example"), 1, 0);
    g.add(head("Maps to"), 2, 0);
    if (csv) {
      g.add(head("× factor"), 3, 0);
    }
    int r = 1;
    for (MappingRow row : rows) {
      Label name = new Label(row.column);
      name.setMinWidth(Region.USE_PREF_SIZE);
      Label example = new Label(row.example.length() > 28 ? row.example.substring(0, 27) + "…" : row.example);
      example.getStyleClass().add("rc-muted");
      example.setMinWidth(Region.USE_PREF_SIZE);
      g.add(name, 0, r);
      g.add(example, 1, r);
      g.add(row.mapsTo, 2, r);
      if (csv) {
        // decision: a column's notes (its error, a factor's error, the ×1000 suggestion) take a line of their
        // own under it, so a long note never squeezes the table at 1024 px; the grid has no vgap, so an
        // empty (unmanaged) notes line adds no height
        g.add(row.factor, 3, r);
        for (Node n : List.of(name, example, row.mapsTo, row.factor)) {
          GridPane.setMargin(n, new Insets(2, 0, 2, 0));
        }
        g.add(row.notes, 1, r + 1, 3, 1);
        // takes the width of the columns it spans and wraps in it, never widening them
        row.notes.setMinWidth(0);
        row.notes.setPrefWidth(0);
        row.notes.setMaxWidth(Double.MAX_VALUE);
        r += 2;
      } else {
        g.add(row.error, 3, r);
        r++;
      }
    }
    g.setVgap(csv ? 0 : 4);
  }

  private static Label head(String text) {
    Label l = new Label(text);
    l.getStyleClass().add("rc-mapping-head");
    return l;
  }

  private static List<String> choices(boolean csv) {
    List<String> out = new ArrayList<>();
    if (csv) {
      out.add(DevicesViewModel.TIME);
      out.add(DevicesViewModel.DEVICE);
    }
    out.add(DevicesViewModel.SKIP);
    out.addAll(CanonicalFields.KNOWN.keySet());
    return out;
  }

  private static List<DevicesViewModel.CsvColumn> columns(List<MappingRow> rows) {
    return rows.stream().map(r -> new DevicesViewModel.CsvColumn(r.column, r.example, r.value())).toList();
  }

  private static void fillPreviewTable(TableView<List<String>> t, List<String> headers, List<List<String>> rows) {
    if (!t.getColumns().stream().map(TableColumn::getText).toList().equals(headers)) {
      List<TableColumn<List<String>, String>> cols = new ArrayList<>();
      for (int i = 0; i < headers.size(); i++) {
        int index = i;
        TableColumn<List<String>, String> c = new TableColumn<>(headers.get(i));
        c.setCellValueFactory(v -> new ReadOnlyStringWrapper(index < v.getValue().size() ? v.getValue().get(index) : ""));
        c.setPrefWidth(i == 1 ? 190 : Math.max(90, headers.get(i).length() * 9 + 24));
        c.setSortable(false);
        cols.add(c);
      }
      t.getColumns().setAll(cols);
    }
    t.getItems().setAll(rows);
  }

  private static String num(Double v) {
    return v == null ? "—" : String.format(Locale.ROOT, "%.2f", v);
  }

  // ---------------------------------------------------------------- CSV

  private Path csvFile() {
    String text = csvPath.getText() == null ? "" : csvPath.getText().trim();
    return text.isEmpty() ? null : Path.of(text);
  }

  private String previewDevice() {
    String id = idField.getText() == null ? "" : idField.getText().trim();
    return DeviceIds.isValid(id) ? id : "new-device";
  }

  private ZoneId csvZoneId() {
    try {
      return ZoneHints.parse(csvZone.getText(), "zone");
    } catch (FieldException e) {
      return null;
    }
  }

  /** Reads the file's header and first rows, guesses the mapping, then previews. */
  void loadCsv() {
    Path file = csvFile();
    if (file == null) {
      csvStatus.setText("Type the path of a CSV file first.");
      return;
    }
    long generation = ++csvGeneration;
    csvStatus.setText("Reading " + file.getFileName() + "…");
    String device = previewDevice();
    Tasks.<CsvPreview>create(p -> CsvImporter.preview(CsvImportOptions.forDevice(file, device), PREVIEW_ROWS,
            RAW_ROWS))
        .onSuccess(pre -> {
          if (generation != csvGeneration) {
            return;
          }
          fillingMapping = true;
          try {
            csvHeader = pre.header();
            csvRaw = pre.rawRows();
            csvRows.clear();
            boolean timeTaken = false;
            for (int i = 0; i < pre.header().size(); i++) {
              String col = pre.header().get(i);
              if (col == null || col.isBlank()) {
                continue;
              }
              String example = "";
              for (List<String> raw : pre.rawRows()) {
                if (i < raw.size() && !raw.get(i).isBlank()) {
                  example = raw.get(i);
                  break;
                }
              }
              String guess = DevicesViewModel.guess(col, example, timeTaken);
              timeTaken |= guess.equals(DevicesViewModel.TIME);
              csvRows.add(new MappingRow("csv", col, example, "", guess, choices(true)));
            }
            renderMapping(csvMapping, csvRows, "csv");
            csvRows.forEach(MappingRow::updateFactor);
            List<String> filterColumns = new ArrayList<>(List.of(ALL_ROWS));
            csvRows.stream().filter(r -> !r.value().equals(DevicesViewModel.TIME) && isTextColumn(r.column))
                .forEach(r -> filterColumns.add(r.column));
            csvRows.stream().filter(r -> !r.value().equals(DevicesViewModel.TIME) && !isTextColumn(r.column))
                .forEach(r -> filterColumns.add(r.column));
            csvWhereColumn.getItems().setAll(filterColumns);
            csvWhereColumn.setValue(ALL_ROWS);
            csvWhereValue.getItems().clear();
            csvWhereValue.setValue(null);
            csvWhereValue.setDisable(true);
          } finally {
            fillingMapping = false;
          }
          previewCsv();
        })
        .onError(e -> {
          if (generation == csvGeneration) {
            csvHeader = List.of();
            csvRaw = List.of();
            csvRows.clear();
            renderMapping(csvMapping, csvRows, "csv");
            csvPreview.getItems().clear();
            csvStatus.setText(DevicesViewModel.message(e));
          }
        })
        .runOn(model.executor());
  }

  /** Parses the first rows with the mapping as it stands, in the background; a newer edit wins. */
  void previewCsv() {
    Path file = csvFile();
    if (file == null || csvRows.isEmpty() || fillingMapping) {
      return;
    }
    long generation = ++csvGeneration;
    lastCsv = null;
    csvRows.forEach(r -> r.error.setText(""));
    String target = form.targetText();
    List<DevicesViewModel.CsvColumn> cols = columns(csvRows);
    String problem = DevicesViewModel.mappingProblem(cols, target, importInto == null);
    ZoneId zone = csvZoneId();
    if (problem == null && zone == null) {
      problem = "Fix the time zone of the file's times.";
    }
    if (problem == null) {
      problem = csvRows.stream().filter(r -> r.factorValue() == null).findFirst()
          .map(r -> "Fix the factor of " + r.column + ": a positive number such as 1000.").orElse(null);
    }
    String whereColumn = csvWhereColumn.getValue();
    if (problem == null && whereColumn != null && !whereColumn.equals(ALL_ROWS) && csvWhere().isEmpty()) {
      problem = "Pick or type the value of " + whereColumn + " whose rows to keep, or keep " + ALL_ROWS + ".";
    }
    if (problem != null) {
      csvStatus.setText(problem);
      csvStatus.getStyleClass().setAll("label", "rc-field-error");
      csvWhereHint.setText("");
      return;
    }
    CsvImportOptions options = csvOptions(file, previewDevice());
    csvStatus.setText("Parsing the first rows…");
    Tasks.<CsvPreview>create(p -> CsvImporter.preview(options, PREVIEW_ROWS))
        .onSuccess(pre -> {
          if (generation != csvGeneration) {
            return;
          }
          List<String> headers = new ArrayList<>(List.of("Line", "Time (UTC)", "Device"));
          headers.addAll(pre.fields());
          List<List<String>> rows = new ArrayList<>();
          for (CsvPreview.Row r : pre.rows()) {
            List<String> cells = new ArrayList<>(List.of(String.valueOf(r.line()), DevicesViewModel.time(r.ts()),
                r.device()));
            pre.fields().forEach(f -> cells.add(num(r.values().get(f))));
            rows.add(cells);
          }
          fillPreviewTable(csvPreview, headers, rows);
          StringBuilder b = new StringBuilder();
          if (pre.ok()) {
            b.append(pre.rows().size()).append(" rows parsed");
            options.where().forEach((col, value) -> b.append(" (only ").append(col).append(" = ").append(value)
                .append(')'));
            b.append("; time format ").append(pre.timeFormat()).append('.');
            if (!options.scale().isEmpty()) {
              List<String> factors = new ArrayList<>();
              options.scale().forEach((col, f) -> factors.add(col + " ×" + factor(f)));
              b.append(" Multiplied: ").append(String.join(", ", factors)).append('.');
            }
            if (!pre.skipped().isEmpty()) {
              b.append(" Skipped: ").append(String.join(", ", pre.skipped())).append('.');
            }
          } else {
            b.append(pre.problem());
          }
          pre.rejected().stream().limit(3).forEach(r -> b.append("\nWould reject ").append(r));
          csvStatus.setText(b.toString());
          csvStatus.getStyleClass().setAll("label", pre.ok() && pre.rejected().isEmpty() ? "rc-result-ok"
              : "rc-field-error");
          csvWhereHint.setText(duplicateHint(pre, options));
          lastCsv = pre.ok() ? pre : null;
        })
        .onError(e -> {
          if (generation == csvGeneration) {
            csvStatus.setText(DevicesViewModel.message(e));
            csvStatus.getStyleClass().setAll("label", "rc-field-error");
          }
        })
        .runOn(model.executor());
  }

  /** The import options the CSV step stands for: mapping, zone, the row filter and the factors. */
  private CsvImportOptions csvOptions(Path file, String device) {
    return DevicesViewModel.csvOptions(file, device, columns(csvRows), csvZoneId(), form.targetText())
        .withWhere(csvWhere()).withScale(csvScale());
  }

  /** The "keep only rows where" filter as the importer takes it; empty for all rows or no value yet. */
  private Map<String, String> csvWhere() {
    String column = csvWhereColumn.getValue();
    if (column == null || column.equals(ALL_ROWS)) {
      return Map.of();
    }
    String value = csvWhereValue.getEditor().isFocused() ? csvWhereValue.getEditor().getText()
        : csvWhereValue.getValue();
    return value == null || value.isBlank() ? Map.of() : Map.of(column, value.trim());
  }

  /** Each value column's factor other than 1. */
  private Map<String, Double> csvScale() {
    Map<String, Double> out = new LinkedHashMap<>();
    for (MappingRow r : csvRows) {
      Double f = r.factorValue();
      if (r.isValueColumn() && f != null && f != 1.0) {
        out.put(r.column, f);
      }
    }
    return out;
  }

  private void whereColumnChanged() {
    if (fillingMapping) {
      return;
    }
    String column = csvWhereColumn.getValue();
    boolean all = column == null || column.equals(ALL_ROWS);
    fillingMapping = true;
    try {
      csvWhereValue.getItems().setAll(all ? List.of() : distinctValues(column));
      csvWhereValue.setValue(null);
      csvWhereValue.getEditor().clear();
    } finally {
      fillingMapping = false;
    }
    csvWhereValue.setDisable(all);
    previewCsv();
  }

  /** The raw cells of {@code column} in the rows read (blank ones left out), in file order. */
  private List<String> rawCells(String column) {
    int i = csvHeader.indexOf(column);
    List<String> out = new ArrayList<>();
    if (i < 0) {
      return out;
    }
    for (List<String> raw : csvRaw) {
      if (i < raw.size() && !raw.get(i).isBlank()) {
        out.add(raw.get(i).trim());
      }
    }
    return out;
  }

  /** The distinct values of {@code column} in the rows read, in the order they first appear. */
  private List<String> distinctValues(String column) {
    return List.copyOf(new java.util.LinkedHashSet<>(rawCells(column)));
  }

  private boolean isTextColumn(String column) {
    return rawCells(column).stream().anyMatch(v -> numberOrNull(v) == null);
  }

  /** The largest number in {@code column} over the rows read, or null when it has none. */
  private Double rawMax(String column) {
    Double max = null;
    for (String v : rawCells(column)) {
      Double d = numberOrNull(v);
      if (d != null && (max == null || d > max)) {
        max = d;
      }
    }
    return max;
  }

  /**
   * A ×1000 suggestion for a CSV value column that looks like kilo-units: irradiance whose largest value
   * is below 2 (kW/m²), or power whose name says kW or whose unit was given as kW. Null when none.
   */
  private String kiloHint(MappingRow row) {
    if (!row.csv) {
      return null;
    }
    String to = row.value();
    if (to.equals(CanonicalFields.IRRADIANCE)) {
      Double max = rawMax(row.column);
      return max != null && max > 0 && max < 2
          ? "looks like kW/m² (largest value " + factor(max) + ") — ×1000 makes it W/m²" : null;
    }
    if (to.endsWith("_w")) {
      boolean named = row.column.toUpperCase(Locale.ROOT).contains("KW");
      String unit = form.unit.getText() == null ? "" : form.unit.getText().trim();
      boolean typed = to.equals(form.targetText()) && unit.equalsIgnoreCase("kW");
      return named || typed ? "looks like kW (" + (named ? "its name" : "the unit given") + ") — ×1000 makes it W"
          : null;
    }
    return null;
  }

  /**
   * When the preview rejects rows as duplicate times and a text column has several values per time (one
   * row per inverter), the plain advice to keep one value's rows; empty otherwise.
   */
  private String duplicateHint(CsvPreview pre, CsvImportOptions options) {
    boolean duplicates = pre.rejected().stream().anyMatch(r -> r.reason().startsWith("duplicate timestamp"));
    int time = csvHeader.indexOf(options.timeColumn());
    if (!duplicates || time < 0) {
      return "";
    }
    for (MappingRow r : csvRows) {
      int i = csvHeader.indexOf(r.column);
      if (i == time || options.where().containsKey(r.column) || r.column.equals(options.deviceColumn())
          || !isTextColumn(r.column)) {
        continue;
      }
      Map<String, java.util.Set<String>> perTime = new java.util.HashMap<>();
      for (List<String> raw : csvRaw) {
        if (i < raw.size() && time < raw.size()) {
          perTime.computeIfAbsent(raw.get(time), k -> new java.util.HashSet<>()).add(raw.get(i));
        }
      }
      int most = perTime.values().stream().mapToInt(java.util.Set::size).max().orElse(0);
      if (most > 1) {
        return r.column + " has " + most + " values per time (one row per inverter?): keep the rows of one with"
            + " the filter above.";
      }
    }
    return "Rows repeat a time of the same device and only the first is kept: if the file holds several"
        + " devices' rows, keep one's with the filter above.";
  }

  private static Double numberOrNull(String text) {
    try {
      double d = Double.parseDouble(text.trim());
      return Double.isFinite(d) ? d : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String factor(double f) {
    return f == Math.rint(f) && Math.abs(f) < 1e15 ? String.valueOf((long) f)
        : String.format(Locale.ROOT, "%.3g", f);
  }

  // ---------------------------------------------------------------- collection

  private void discoverCollection() {
    String coll = collName.getValue();
    if (coll == null) {
      return;
    }
    long generation = ++collGeneration;
    Tasks.<CollectionProbe.Sample>create(p -> model.ctx().deviceService().probe().discover(coll, null, null))
        .onSuccess(sample -> {
          if (generation != collGeneration) {
            return;
          }
          List<String> names = sample.fields().stream().map(CollectionProbe.DiscoveredField::name).toList();
          collDeviceField.getItems().setAll(names);
          collTsField.getItems().setAll(sample.fields().stream()
              .filter(f -> f.kind().equals("date") || f.kind().equals("number"))
              .map(CollectionProbe.DiscoveredField::name).toList());
          sample.fields().stream().filter(f -> f.kind().equals("date")).findFirst()
              .ifPresent(f -> collTsField.setValue(f.name()));
          sample.fields().stream().filter(f -> f.kind().equals("text")).findFirst()
              .ifPresent(f -> collDeviceField.setValue(f.name()));
          collStatus.setText(sample.documents() + " documents sampled from " + coll + ".");
        })
        .onError(e -> collStatus.setText(DevicesViewModel.message(e)))
        .runOn(model.executor());
  }

  private void discoverValues() {
    String coll = collName.getValue();
    String field = collDeviceField.getValue();
    if (coll == null || field == null) {
      return;
    }
    Tasks.<CollectionProbe.Sample>create(p -> model.ctx().deviceService().probe().discover(coll, field, null))
        .onSuccess(sample -> {
          collDeviceValue.getItems().setAll(sample.deviceValues());
          String id = idField.getText() == null ? "" : idField.getText().trim();
          collDeviceValue.setValue(sample.deviceValues().contains(id) ? id
              : sample.deviceValues().isEmpty() ? null : sample.deviceValues().get(0));
        })
        .onError(e -> collStatus.setText(DevicesViewModel.message(e)))
        .runOn(model.executor());
  }

  private void discoverFields() {
    String coll = collName.getValue();
    String field = collDeviceField.getValue();
    String value = collDeviceValue.getValue();
    if (coll == null || field == null || value == null) {
      return;
    }
    Tasks.<CollectionProbe.Sample>create(p -> model.ctx().deviceService().probe().discover(coll, field, value))
        .onSuccess(sample -> {
          fillingMapping = true;
          try {
            collRows.clear();
            for (CollectionProbe.DiscoveredField f : sample.fields()) {
              if (!f.kind().equals("number") || f.name().equals(collTsField.getValue())) {
                continue;
              }
              String guess = DevicesViewModel.guess(f.name(), f.example(), true);
              collRows.add(new MappingRow("coll", f.name(), f.example(), f.kind(), guess, choices(false)));
            }
            renderMapping(collMapping, collRows, "coll");
          } finally {
            fillingMapping = false;
          }
          collStatus.setText(sample.documents() + " documents of " + value + " sampled; "
              + collRows.size() + " numeric fields to map.");
          checkCollection();
        })
        .onError(e -> collStatus.setText(DevicesViewModel.message(e)))
        .runOn(model.executor());
  }

  private DeviceConfig.Source collectionSource() {
    Map<String, String> mapping = new LinkedHashMap<>();
    for (MappingRow r : collRows) {
      String v = r.value();
      if (!v.equals(DevicesViewModel.SKIP)) {
        mapping.put(r.column, v);
      }
    }
    return DeviceConfig.Source.collection(collName.getValue(), collDeviceField.getValue(), collDeviceValue.getValue(),
        collTsField.getValue(), mapping);
  }

  /** Checks the mapping against the device's documents and shows the newest rows through it. */
  void checkCollection() {
    if (fillingMapping || collRows.isEmpty() || collName.getValue() == null || collTsField.getValue() == null
        || collDeviceValue.getValue() == null) {
      return;
    }
    long generation = ++collGeneration;
    lastColl = null;
    collRows.forEach(r -> r.error.setText(""));
    String target = form.targetText();
    DeviceConfig.Source source;
    try {
      source = collectionSource();
    } catch (FieldException e) {
      collStatus.setText(e.reason());
      collStatus.getStyleClass().setAll("label", "rc-field-error");
      return;
    }
    collStatus.setText("Checking the mapping…");
    Tasks.<CollectionProbe.Preview>create(p -> model.ctx().deviceService().probe().check(source, target))
        .onSuccess(pre -> {
          if (generation != collGeneration) {
            return;
          }
          List<String> headers = new ArrayList<>(List.of("#", "Time (UTC)"));
          headers.addAll(pre.columns());
          List<List<String>> rows = new ArrayList<>();
          int n = 1;
          for (CollectionProbe.PreviewRow r : pre.rows()) {
            List<String> cells = new ArrayList<>(List.of(String.valueOf(n++), DevicesViewModel.time(r.ts())));
            pre.columns().forEach(c -> cells.add(num(r.values().get(c))));
            rows.add(cells);
          }
          fillPreviewTable(collPreview, headers, rows);
          collStatus.setText("Mapping checked: " + pre.readingsInLastDay() + " readings in the newest day.");
          collStatus.getStyleClass().setAll("label", "rc-result-ok");
          lastColl = pre;
        })
        .onError(e -> {
          if (generation != collGeneration) {
            return;
          }
          String key = DevicesViewModel.fieldKey(e);
          String message = DevicesViewModel.message(e);
          collStatus.setText(message);
          collStatus.getStyleClass().setAll("label", "rc-field-error");
          if (key != null && key.startsWith("source.fields.")) {
            String field = key.substring("source.fields.".length());
            collRows.stream().filter(r -> r.column.equals(field)).forEach(r -> r.error.setText(message));
          }
        })
        .runOn(model.executor());
  }

  // ---------------------------------------------------------------- steps

  private void next() {
    navError.setText("");
    switch (step) {
      case DEVICE -> {
        String problem = idProblem(idField.getText());
        if (problem != null) {
          form.setError("device_id", problem);
          return;
        }
        if (createdId != null && !createdId.equals(idField.getText().trim())) {
          form.setError("device_id", "the device " + createdId + " was already created by this flow; close it and"
              + " start again for another id");
          return;
        }
        show(Step.SOURCE);
        if (sourceKind() == SourceKind.CSV && csvFile() != null && csvRows.isEmpty()) {
          loadCsv();
        }
      }
      case SOURCE -> {
        if (importInto != null) {
          runImport();
          return;
        }
        String problem = switch (sourceKind()) {
          case CSV -> lastCsv == null ? "The CSV preview must parse first: check the path and the mapping." : null;
          case COLLECTION -> lastColl == null ? "The mapping must pass its check first (see the message above"
              + " the preview)." : null;
          case SIMULATOR -> null;
        };
        if (problem != null) {
          navError.setText(problem);
          return;
        }
        prefillPlace();
        show(Step.PLACE);
      }
      case PLACE -> create();
      case FEATURES -> saveSpec();
      default -> { }
    }
  }

  /** Imports the CSV into the existing device through Operations, in the background with progress. */
  private void runImport() {
    if (lastCsv == null) {
      navError.setText("The CSV preview must parse first: check the path, the mapping, the filter and the factors.");
      return;
    }
    if (model.busy()) {
      navError.setText("Another job is running; wait for it or cancel it.");
      return;
    }
    String id = importInto.id();
    CsvImportOptions options = csvOptions(csvFile(), id);
    csvImportResult.setVisible(false);
    csvImportResult.setManaged(false);
    model.startJob("Import CSV into " + id, Tasks.<CsvImportResult>create(
            p -> model.ops().importCsv(model.actor(), options, p))
        .onSuccess(r -> {
          csvImportResult.setText(String.format(Locale.ROOT, "Imported %s into %s: %,d new readings, %,d readings"
                  + " gained fields, %,d already present, %,d filtered out, %,d rejected.",
              options.file().getFileName(), id, r.imported(), r.updated(), r.alreadyPresent(), r.filtered(),
              r.rejectedCount()));
          csvImportResult.getStyleClass().setAll("label", "rc-result-ok");
          csvImportResult.setVisible(true);
          csvImportResult.setManaged(true);
          next.setVisible(false);
          next.setManaged(false);
          close.setText("Done");
          scroll.setVvalue(0); // the result is at the top of the step
        })
        .onError(e -> navError.setText("Not imported: " + DevicesViewModel.message(e))));
  }

  private void prefillPlace() {
    if (sourceKind() == SourceKind.CSV && "UTC".equals(form.zone.getText()) && csvZoneId() != null) {
      form.zone.setText(csvZoneId().getId());
    }
    if (sourceKind() == SourceKind.SIMULATOR && form.lat.getText().isBlank()) {
      form.zone.setText(SimulatorConfig.DEFAULT_ZONE.getId());
      form.lat.setText(String.valueOf(SimulatorConfig.DEFAULT_LAT));
      form.lon.setText(String.valueOf(SimulatorConfig.DEFAULT_LON));
    }
  }

  private record Created(DeviceConfig device, DeviceService.EffectiveSpec spec, String loaded) {}

  /** Creates (or updates) the device and loads its readings, in the background with progress. */
  private void create() {
    form.revalidateAll();
    if (form.invalidProperty().get()) {
      navError.setText("Fix the marked fields first.");
      return;
    }
    if (model.busy()) {
      navError.setText("Another job is running; wait for it or cancel it.");
      return;
    }
    form.clearSaveErrors();
    String id = idField.getText().trim();
    DeviceChanges changes = form.changes().withEnabled(true);
    String target = form.targetText();
    SourceKind kind = sourceKind();
    CsvImportOptions csvOptions = kind == SourceKind.CSV ? csvOptions(csvFile(), id) : null;
    DeviceConfig.Source collSource = kind == SourceKind.COLLECTION ? collectionSource() : null;
    SimulatorConfig sim = kind == SourceKind.SIMULATOR ? simulatorConfig(id) : null;
    boolean existed = createdId != null;
    String[] created = {null};
    model.startJob("Add device " + id, Tasks.<Created>create(p -> {
      p.update("create device " + id, 0);
      DeviceConfig d = existed ? model.ops().editDevice(model.actor(), id, changes)
          : model.ops().addDevice(model.actor(), id, changes);
      created[0] = id;
      String loaded;
      switch (kind) {
        case CSV -> {
          CsvImportResult r = model.ops().importCsv(model.actor(), csvOptions, p);
          loaded = String.format(Locale.ROOT, "Imported %,d readings from %s (%,d already present, %,d rejected).",
              r.imported(), csvOptions.file().getFileName(), r.alreadyPresent(), r.rejectedCount());
        }
        case COLLECTION -> {
          CollectionProbe.Preview pre = model.ops().setDeviceSource(model.actor(), id, collSource);
          loaded = "Reading from collection " + collSource.collection() + " (" + collSource.deviceField() + " = "
              + collSource.deviceValue() + "): " + pre.readingsInLastDay() + " readings in the newest day.";
        }
        default -> {
          var r = model.ops().simulateDevices(model.actor(), sim, p);
          loaded = String.format(Locale.ROOT, "Simulated %,d readings (%d days every %s).", r.written(),
              sim.days(), DevicesViewModel.shortText(sim.interval()));
        }
      }
      p.update("read the device's fields", 1);
      DeviceConfig now = model.ctx().deviceService().require(id);
      return new Created(now, model.ctx().deviceService().effectiveSpec(now), loaded);
    })
        .onSuccess(c -> {
          createdId = id;
          loadedLabel.setText(c.loaded());
          editor.load(c.spec().spec(), c.spec().derived(), c.spec().fields(), c.device().forecast());
          report.setText("");
          show(Step.FEATURES);
        })
        .onError(e -> {
          if (created[0] != null) {
            createdId = created[0];
          }
          createFailed(e);
        }));
  }

  private SimulatorConfig simulatorConfig(String id) {
    var end = model.ctx().clock().instant().atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
    Duration every = com.retrainconsole.common.Durations.parse(simInterval.getValue());
    Double lat = DevicesViewModel.number(form.lat.getText());
    Double lon = DevicesViewModel.number(form.lon.getText());
    ZoneId zone = ZoneHints.parse(form.zone.getText(), "zone");
    return new SimulatorConfig(List.of(id), end, simDays.getValue(), every, SimulatorConfig.DEFAULT_SEED,
        lat == null ? SimulatorConfig.DEFAULT_LAT : lat, lon == null ? SimulatorConfig.DEFAULT_LON : lon, zone);
  }

  /** Puts a create/import failure beside its field, on the step that holds it. */
  private void createFailed(Throwable e) {
    String key = DevicesViewModel.fieldKey(e);
    String message = DevicesViewModel.message(e);
    if ("device_id".equals(key) || message.contains("already exists")) {
      show(Step.DEVICE);
      form.setError("device_id", message);
    } else if (key != null && key.startsWith("source")) {
      show(Step.SOURCE);
      form.setError("source", message);
      if (sourceKind() == SourceKind.COLLECTION) {
        collStatus.setText(message);
      }
    } else if (key != null && form.showError(key, message)) {
      navError.setText("Not created: see the marked field.");
    } else if (message.contains("target column")) {
      form.setError("target", message);
    } else {
      navError.setText((createdId == null ? "Not created: " : "The device exists but its readings did not load: ")
          + message);
    }
  }

  private void saveSpec() {
    editor.clearErrors();
    if (editor.untouchedDefault()) {
      report.setText("");
      show(Step.CHECK);
      return;
    }
    FeatureSpec spec;
    try {
      spec = editor.build(form.targetText());
    } catch (FieldException e) {
      editor.showError(e.field(), e.reason());
      return;
    }
    String id = createdId;
    Tasks.<DeviceConfig>create(p -> model.ops().editDevice(model.actor(), id,
            DeviceChanges.none().withFeatureSpec(spec)))
        .onSuccess(d -> {
          report.setText("");
          show(Step.CHECK);
        })
        .onError(e -> {
          if (!editor.showError(DevicesViewModel.fieldKey(e), DevicesViewModel.message(e))) {
            navError.setText("Spec not saved: " + DevicesViewModel.message(e));
          }
        })
        .runOn(model.executor());
  }

  void check() {
    String id = createdId;
    if (id == null) {
      return;
    }
    report.setText("Checking " + id + "…");
    report.getStyleClass().removeAll("rc-result-ok", "rc-result-error");
    Tasks.<ReadinessReport>create(p -> model.ctx().deviceService().check(id, DeviceService.DEFAULT_CHECK_DAYS))
        .onSuccess(r -> {
          report.setText(DevicesViewModel.reportText(r));
          report.getStyleClass().add(r.ready() ? "rc-result-ok" : "rc-result-error");
        })
        .onError(e -> report.setText("Check failed: " + DevicesViewModel.message(e)))
        .runOn(model.executor());
  }

  private void retrain(boolean dryRun) {
    String id = createdId;
    if (id == null || model.busy()) {
      return;
    }
    Label out = dryRun ? dryResult : trainResult;
    out.setText(dryRun ? "Dry run running…" : "Training…");
    out.getStyleClass().removeAll("rc-result-ok", "rc-result-error");
    ConsoleModel.RetrainSettings s = model.retrainSettings();
    RetrainRequest req = new RetrainRequest(id, s.days(), null, s.trainer(), dryRun, "manual",
        (dryRun ? "dry run" : "first model") + " in the console's add-device flow", model.actor().user());
    String unit = form.unit.getText() == null ? "" : form.unit.getText().trim();
    model.startJob((dryRun ? "Dry run " : "Train ") + id, Tasks.<RetrainOutcome>create(
            p -> model.ops().retrain(model.actor(), req, p))
        .onSuccess(o -> {
          out.setText(DevicesViewModel.runText(o.run(), unit));
          out.getStyleClass().add(o.completed() ? "rc-result-ok" : "rc-result-error");
        })
        .onCancelled(() -> out.setText("Cancelled."))
        .onError(e -> {
          out.setText("Failed: " + DevicesViewModel.message(e));
          out.getStyleClass().add("rc-result-error");
        }));
  }

  /** The device this flow created, or null (for tests). */
  public String createdId() {
    return createdId;
  }
}
