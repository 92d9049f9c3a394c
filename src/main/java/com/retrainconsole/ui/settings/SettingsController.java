package com.retrainconsole.ui.settings;

import com.retrainconsole.access.Permission;
import com.retrainconsole.api.ApiServer;
import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.settings.FieldError;
import com.retrainconsole.settings.InvalidSettingsException;
import com.retrainconsole.settings.LocalSettings;
import com.retrainconsole.settings.Policies;
import com.retrainconsole.settings.PolicySettings;
import com.retrainconsole.ui.ConsoleModel;
import com.retrainconsole.ui.ConsoleScheduler;
import com.retrainconsole.ui.Icons;
import com.retrainconsole.ui.Tasks;
import com.retrainconsole.ui.Theme;
import java.io.File;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.stage.DirectoryChooser;

/**
 * Settings: the store connection and models folder of this computer (local settings file, next start),
 * the console's own scheduler, the theme, and the policy thresholds shared through the store. Everything
 * that touches the store or the disk runs on the model's executor; only admins can change anything.
 */
public final class SettingsController {
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  private final ConsoleModel model;
  private final boolean admin;
  private final SettingsViewModel vm;
  private final Map<PolicyField, TextField> policyFields = new LinkedHashMap<>();
  private final Map<PolicyField, Label> policyErrors = new LinkedHashMap<>();
  // the API port in the local settings file (null = not served); set on the FX thread once read or saved
  private final ObjectProperty<Integer> savedApiPort = new SimpleObjectProperty<>(this, "savedApiPort");
  private String apiSaveError = ""; // why the last save failed, shown until the next one

  @FXML private BorderPane settings;
  @FXML private javafx.scene.control.ScrollPane settingsScroll;
  @FXML private javafx.scene.layout.HBox columns;
  @FXML private javafx.scene.layout.VBox leftColumn;
  @FXML private javafx.scene.layout.VBox rightColumn;
  private final javafx.scene.layout.VBox stacked = new javafx.scene.layout.VBox(16);
  @FXML private Label roleLabel;
  @FXML private Label storeInUse;
  @FXML private Label embeddedPath;
  @FXML private ToggleGroup storeKind;
  @FXML private RadioButton embeddedChoice;
  @FXML private RadioButton uriChoice;
  @FXML private TextField uriField;
  @FXML private Button testButton;
  @FXML private Label uriError;
  @FXML private Label testResult;
  @FXML private Label envNote;
  @FXML private TextField modelsField;
  @FXML private Button browseButton;
  @FXML private Label modelsError;
  @FXML private Button saveLocalButton;
  @FXML private Label localStatus;
  @FXML private Label schedulerState;
  @FXML private Button schedulerButton;
  @FXML private Label schedulerStatus;
  @FXML private CheckBox apiCheck;
  @FXML private TextField apiPortField;
  @FXML private Button apiApplyButton;
  @FXML private Label apiPortError;
  @FXML private Label apiStatus;
  @FXML private ToggleGroup themeGroup;
  @FXML private ToggleButton lightTheme;
  @FXML private ToggleButton darkTheme;
  @FXML private ToggleButton highContrastTheme;
  @FXML private Label policyStatus;
  @FXML private GridPane policyGrid;
  @FXML private Button savePolicies;
  @FXML private Button resetPolicies;
  @FXML private Label policyMessage;

  public SettingsController(ConsoleModel model) {
    this.model = model;
    this.admin = model.canFleetWide(Permission.EDIT_SETTINGS); // settings are the whole fleet's
    this.vm = new SettingsViewModel(model.ctx());
  }

  /**
   * Side by side where both cards fit at their minimum width, one under the other on a narrower window (a
   * 1024 px laptop), so no card is cut at its right edge. The 24 px band keeps a scroll bar that comes and
   * goes from flipping the layout back and forth.
   */
  private void arrangeColumns(double width) {
    double sideBySide = leftColumn.getMinWidth() + rightColumn.getMinWidth() + columns.getSpacing() + 16;
    if (width < sideBySide && settingsScroll.getContent() == columns) {
      columns.getChildren().clear();
      stacked.getChildren().setAll(leftColumn, rightColumn);
      settingsScroll.setContent(stacked);
    } else if (width > sideBySide + 24 && settingsScroll.getContent() == stacked) {
      stacked.getChildren().clear();
      columns.getChildren().setAll(leftColumn, rightColumn);
      settingsScroll.setContent(columns);
    }
  }

  @FXML
  private void initialize() {
    settingsScroll.viewportBoundsProperty().addListener((o, was, now) -> arrangeColumns(now.getWidth()));
    roleLabel.setText("You are " + model.actor().describe()
        + (admin ? "" : " — only a fleet-wide admin can change settings; they are shown read-only"));
    storeInUse.setText("In use now: " + model.ctx().store().describe() + "; models in "
        + model.ctx().config().modelsDir());
    embeddedPath.setText("Data folder " + model.ctx().config().dataDir());
    String env = System.getenv(AppConfig.ENV_MONGO_URI);
    envNote.setText(env != null && !env.isBlank()
        ? AppConfig.ENV_MONGO_URI + " is set in this environment and wins over the choice above."
        : "A password is never saved: put a URI with a password in the " + AppConfig.ENV_MONGO_URI
            + " environment variable instead.");
    for (Label l : List.of(uriError, testResult, modelsError, localStatus, policyMessage, apiPortError)) {
      l.managedProperty().bind(l.textProperty().isNotEmpty());
      l.visibleProperty().bind(l.managedProperty());
    }
    initLocal();
    initScheduler();
    initApi();
    initTheme();
    initPolicies();
  }

  // ---- store connection and models folder (local settings file)

  private void initLocal() {
    uriField.disableProperty().bind(uriChoice.selectedProperty().not());
    testButton.disableProperty().bind(uriChoice.selectedProperty().not().or(uriField.textProperty().isEmpty())
        .or(vm.testingProperty()));
    uriField.textProperty().addListener((o, a, b) -> validateLocal());
    storeKind.selectedToggleProperty().addListener((o, a, b) -> validateLocal());
    modelsField.textProperty().addListener((o, a, b) -> validateLocal());
    for (var c : List.of(embeddedChoice, uriChoice)) {
      c.setDisable(!admin);
    }
    modelsField.setEditable(admin);
    browseButton.setDisable(!admin);
    saveLocalButton.setVisible(admin);
    saveLocalButton.setManaged(admin);
    embeddedChoice.setSelected(true);
    modelsField.setText(model.ctx().config().modelsDir().toString());
    Tasks.create(p -> vm.readLocal())
        .onSuccess(local -> {
          if (local.mongoUri() != null) {
            uriChoice.setSelected(true);
            uriField.setText(local.mongoUri());
          }
          if (local.modelsDir() != null) {
            modelsField.setText(local.modelsDir().toString());
          }
          validateLocal();
        })
        .onError(e -> showLocal(e.getMessage(), true))
        .runOn(model.executor());
    validateLocal();
  }

  private boolean validateLocal() {
    Optional<String> uriProblem = uriChoice.isSelected()
        ? LocalSettings.checkUri(uriField.getText(), AppConfig.ENV_MONGO_URI) : Optional.empty();
    uriError.setText(uriProblem.map(m -> "URI " + m).orElse(""));
    setInvalid(uriField, uriProblem.isPresent());
    Optional<String> modelsProblem = modelsDir().map(LocalSettings::checkModelsDir)
        .orElse(Optional.of("is not a valid path"));
    modelsError.setText(modelsProblem.map(m -> "Models folder " + m).orElse(""));
    setInvalid(modelsField, modelsProblem.isPresent());
    boolean ok = uriProblem.isEmpty() && modelsProblem.isEmpty();
    saveLocalButton.setDisable(!admin || !ok);
    return ok;
  }

  private Optional<Path> modelsDir() {
    try {
      String t = modelsField.getText() == null ? "" : modelsField.getText().strip();
      return t.isEmpty() ? Optional.of(Path.of("")) : Optional.of(Path.of(t));
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }

  @FXML
  private void testConnection() {
    String uri = uriField.getText();
    testResult.setGraphic(null);
    setResultStyle(testResult, null);
    testResult.setText("Connecting… (gives up after 5 s)");
    vm.testingProperty().set(true);
    Tasks.create(p -> vm.testConnection(uri))
        .onSuccess(msg -> {
          setResultStyle(testResult, true);
          testResult.setGraphic(Icons.of("mdi2c-check-circle-outline"));
          testResult.setText(msg);
        })
        .onError(e -> {
          setResultStyle(testResult, false);
          testResult.setGraphic(Icons.of(Icons.WARNING));
          testResult.setText(SettingsViewModel.message(e));
        })
        .andFinally(() -> vm.testingProperty().set(false))
        .runOn(model.executor());
  }

  @FXML
  private void browseModels() {
    DirectoryChooser chooser = new DirectoryChooser();
    chooser.setTitle("Models folder");
    modelsDir().map(Path::toFile).filter(File::isDirectory).ifPresent(chooser::setInitialDirectory);
    File chosen = chooser.showDialog(settings.getScene().getWindow());
    if (chosen != null) {
      modelsField.setText(chosen.getAbsolutePath());
    }
  }

  @FXML
  private void saveLocal() {
    if (!validateLocal()) {
      return;
    }
    String uri = uriChoice.isSelected() ? uriField.getText() : null;
    Path models = modelsDir().orElseThrow();
    saveLocalButton.setDisable(true);
    Tasks.create(p -> vm.saveLocal(model.actor(), uri, models))
        .onSuccess(file -> showLocal("Saved to " + file + ". Restart the console to use it.", false))
        .onError(e -> showLocal(SettingsViewModel.message(e), true))
        .andFinally(this::validateLocal)
        .runOn(model.executor());
  }

  private void showLocal(String text, boolean error) {
    localStatus.setText(text);
    setResultStyle(localStatus, !error);
  }

  // ---- the console's scheduler

  private void initScheduler() {
    ConsoleScheduler scheduler = ConsoleScheduler.of(model);
    var state = scheduler.stateProperty();
    schedulerState.textProperty().bind(Bindings.createStringBinding(
        () -> "Scheduler: " + state.get().title().toLowerCase(java.util.Locale.ROOT), state));
    state.addListener((o, was, now) -> styleSchedulerState(now));
    styleSchedulerState(state.get());
    // the button names what it does; while starting or stopping it names the step that is under way, disabled
    schedulerButton.textProperty().bind(Bindings.createStringBinding(() -> switch (state.get()) {
      case OFF, STARTING -> "Start scheduler";
      case ON, STOPPING -> "Stop scheduler";
    }, state));
    schedulerButton.disableProperty().bind(Bindings.createBooleanBinding(() -> !admin
        || state.get() == ConsoleScheduler.State.STARTING || state.get() == ConsoleScheduler.State.STOPPING, state));
    schedulerButton.setOnAction(e -> scheduler.setOn(state.get() == ConsoleScheduler.State.OFF));
    schedulerStatus.textProperty().bind(Bindings.createStringBinding(() -> {
      ConsoleScheduler.State s = state.get();
      int jobs = model.schedulerRunningJobsProperty().get();
      return switch (s) {
        case ON -> "Claiming queued runs and firing triggers: " + (jobs == 0 ? "no runs executing" : jobs
            + (jobs == 1 ? " run" : " runs") + " executing.");
        case OFF -> "Queued runs wait and triggers do not fire unless a scheduler service runs on this store.";
        case STARTING -> "Starting…";
        case STOPPING -> "Stopping: running work may finish for " + ConsoleScheduler.CONSOLE_GRACE.toSeconds()
            + " s, then goes back to the queue.";
      };
    }, state, model.schedulerRunningJobsProperty()));
  }

  private void styleSchedulerState(ConsoleScheduler.State s) {
    schedulerState.getStyleClass().remove("rc-scheduler-on");
    if (s == ConsoleScheduler.State.ON) {
      schedulerState.getStyleClass().add("rc-scheduler-on");
    }
  }

  // ---- the management API served while the console's scheduler is on

  private void initApi() {
    ConsoleScheduler scheduler = ConsoleScheduler.of(model);
    apiCheck.setDisable(!admin);
    apiPortField.setEditable(admin);
    apiApplyButton.setVisible(admin);
    apiApplyButton.setManaged(admin);
    apiPortField.setText(String.valueOf(ApiServer.Config.DEFAULT_PORT));
    apiPortField.textProperty().addListener((o, a, b) -> validateApi());
    apiCheck.selectedProperty().addListener((o, a, b) -> validateApi());
    savedApiPort.addListener((o, a, b) -> validateApi());
    // decision: the box saves at once, like the scheduler switch; a port change waits for Apply (or Enter),
    // so typing "80" on the way to "8080" never restarts the server
    apiCheck.setOnAction(e -> {
      if (apiCheck.isSelected() && apiPort().isEmpty()) {
        apiCheck.setSelected(false); // nothing valid to serve on: the field's error says why
        apiPortField.requestFocus();
        return;
      }
      saveApi(apiCheck.isSelected() ? apiPort().orElseThrow() : null);
    });
    apiPortField.setOnAction(e -> {
      if (!apiApplyButton.isDisabled()) {
        applyApiPort();
      }
    });
    var state = scheduler.stateProperty();
    apiStatus.textProperty().bind(Bindings.createStringBinding(() -> {
      Integer saved = savedApiPort.get();
      if (state.get() == ConsoleScheduler.State.OFF) {
        return saved == null ? "Off" : "Off: serves http://" + ApiServer.Config.DEFAULT_HOST + ":" + saved
            + " once the scheduler is on";
      }
      return scheduler.apiStatusProperty().get();
    }, state, scheduler.apiStatusProperty(), savedApiPort));
    apiStatus.textProperty().addListener((o, a, b) -> styleApiStatus(b));
    styleApiStatus(apiStatus.getText());
    Tasks.create(p -> vm.readLocal())
        .onSuccess(local -> {
          savedApiPort.set(local.apiPort());
          apiCheck.setSelected(local.apiPort() != null);
          if (local.apiPort() != null) {
            apiPortField.setText(String.valueOf(local.apiPort()));
          }
        })
        .onError(e -> {
          apiSaveError = SettingsViewModel.message(e);
          validateApi();
        })
        .runOn(model.executor());
    validateApi();
  }

  private Optional<Integer> apiPort() {
    return LocalSettings.checkApiPort(apiPortField.getText()).isEmpty()
        ? Optional.of(Integer.parseInt(apiPortField.getText().strip())) : Optional.empty();
  }

  private void validateApi() {
    Optional<String> problem = LocalSettings.checkApiPort(apiPortField.getText());
    apiPortError.setText(problem.map(m -> "Port " + m).orElse(apiSaveError));
    setInvalid(apiPortField, problem.isPresent());
    // Apply is for a changed port of a served API; the box itself saves switching on and off
    apiApplyButton.setDisable(!admin || problem.isPresent() || !apiCheck.isSelected()
        || apiPort().equals(Optional.ofNullable(savedApiPort.get())));
  }

  @FXML
  private void applyApiPort() {
    apiPort().ifPresent(this::saveApi);
  }

  /** Saves the choice, then the scheduler (if on) serves it at once: stops, or restarts on the new port. */
  private void saveApi(Integer port) {
    apiApplyButton.setDisable(true);
    apiCheck.setDisable(true);
    apiSaveError = "";
    Tasks.create(p -> vm.saveApiPort(model.actor(), port))
        .onSuccess(saved -> {
          savedApiPort.set(saved);
          ConsoleScheduler.of(model).applyApiSetting();
        })
        .onError(e -> {
          apiCheck.setSelected(savedApiPort.get() != null);
          apiSaveError = SettingsViewModel.message(e);
        })
        .andFinally(() -> {
          apiCheck.setDisable(!admin);
          validateApi();
        })
        .runOn(model.executor());
  }

  private void styleApiStatus(String text) {
    setResultStyle(apiStatus, text == null || !text.startsWith("Serving") && !text.startsWith(
        ConsoleScheduler.API_NOT_SERVING) ? null : text.startsWith("Serving"));
  }

  // ---- theme

  private void initTheme() {
    java.util.Map<Theme, ToggleButton> buttons = new java.util.EnumMap<>(Theme.class);
    buttons.put(Theme.LIGHT, lightTheme);
    buttons.put(Theme.DARK, darkTheme);
    buttons.put(Theme.HIGH_CONTRAST, highContrastTheme);
    // a toggle group allows none selected; a theme is always selected
    themeGroup.selectedToggleProperty().addListener((o, was, now) -> {
      if (now == null && was != null) {
        was.setSelected(true);
      }
    });
    // the theme lives on the model: the shell applies what is set here, and the menu's choice shows here
    var theme = model.themeProperty();
    buttons.getOrDefault(theme.get(), lightTheme).setSelected(true);
    theme.addListener((o, was, now) -> buttons.getOrDefault(now, lightTheme).setSelected(true));
    buttons.forEach((t, b) -> {
      b.setUserData(t);
      b.setOnAction(e -> theme.set(t));
    });
  }

  // ---- policy thresholds (settings collection)

  private void initPolicies() {
    String group = null;
    int row = 0;
    for (PolicyField f : PolicyField.ALL) {
      if (!f.group().equals(group)) {
        group = f.group();
        Label header = new Label(group);
        header.getStyleClass().add("rc-settings-group");
        policyGrid.add(header, 0, row++, 3, 1);
      }
      Label label = new Label(f.label());
      label.setMinWidth(Label.USE_PREF_SIZE);
      if (!f.help().isEmpty()) {
        label.setTooltip(new Tooltip(f.help()));
      }
      TextField field = new TextField();
      field.setId(f.nodeId());
      field.setPrefColumnCount(7);
      field.setEditable(admin);
      if (f.kind() == PolicyField.Kind.OPTIONAL_DECIMAL) {
        field.setPromptText("no bound");
      }
      field.textProperty().addListener((o, a, b) -> validatePolicies());
      Label unit = new Label(f.unit());
      unit.getStyleClass().add("rc-muted");
      unit.setMinWidth(Label.USE_PREF_SIZE);
      Label error = new Label();
      error.setId(f.nodeId() + "-error");
      error.getStyleClass().add("rc-field-error");
      error.setWrapText(true);
      error.managedProperty().bind(error.textProperty().isNotEmpty());
      error.visibleProperty().bind(error.textProperty().isNotEmpty());
      policyGrid.add(label, 0, row);
      policyGrid.add(field, 1, row);
      policyGrid.add(unit, 2, row++);
      policyGrid.add(error, 0, row++, 3, 1);
      policyFields.put(f, field);
      policyErrors.put(f, error);
    }
    savePolicies.setVisible(admin);
    savePolicies.setManaged(admin);
    resetPolicies.setVisible(admin);
    resetPolicies.setManaged(admin);
    savePolicies.setDisable(true);
    model.refreshRequestsProperty().addListener((o, a, b) -> {
      if (!vm.dirty(currentValues())) {
        loadPolicies();
      }
    });
    loadPolicies();
  }

  private void loadPolicies() {
    Tasks.create(p -> vm.loadPolicies())
        .onSuccess(stored -> {
          vm.setSaved(stored.policies());
          fill(stored.policies());
          policyStatus.setText(stored.isDefault() ? "Never saved on this store: the defaults are in use."
              : "Saved by " + stored.updatedBy() + " at "
                  + WHEN.format(stored.updatedAt().atZone(ZoneId.systemDefault())) + " (local time).");
        })
        .onError(e -> showPolicyMessage("Cannot read the thresholds: " + SettingsViewModel.message(e), true))
        .runOn(model.executor());
  }

  private void fill(Policies p) {
    policyFields.forEach((f, field) -> field.setText(f.format(p)));
    validatePolicies();
  }

  private Map<PolicyField, String> currentValues() {
    Map<PolicyField, String> m = new LinkedHashMap<>();
    policyFields.forEach((f, field) -> m.put(f, field.getText()));
    return m;
  }

  private void validatePolicies() {
    SettingsViewModel.FormCheck check = vm.check(currentValues());
    policyFields.forEach((f, field) -> {
      String err = check.errors().get(f);
      policyErrors.get(f).setText(err == null ? "" : err);
      setInvalid(field, err != null);
    });
    savePolicies.setDisable(!admin || !check.errors().isEmpty() || !check.dirty());
    if (check.dirty() && !check.errors().isEmpty()) {
      showPolicyMessage(check.errors().size() + (check.errors().size() == 1 ? " field needs" : " fields need")
          + " a fix before saving.", false);
    } else if (check.dirty()) {
      showPolicyMessage("Unsaved changes.", null);
    } else {
      showPolicyMessage("", null);
    }
  }

  @FXML
  private void savePolicies() {
    SettingsViewModel.FormCheck check = vm.check(currentValues());
    if (check.policies() == null) {
      return;
    }
    savePolicies.setDisable(true);
    Tasks.create(p -> vm.savePolicies(model.actor(), check.policies()))
        .onSuccess(stored -> {
          vm.setSaved(stored.policies());
          fill(stored.policies());
          policyStatus.setText("Saved by " + stored.updatedBy() + " at "
              + WHEN.format(stored.updatedAt().atZone(ZoneId.systemDefault())) + " (local time).");
          showPolicyMessage("Saved.", Boolean.TRUE);
        })
        .onError(e -> {
          if (e instanceof InvalidSettingsException invalid) {
            for (FieldError fe : invalid.errors()) {
              PolicyField.byKey(fe.field()).ifPresent(f -> policyErrors.get(f).setText(fe.message()));
            }
          }
          showPolicyMessage(SettingsViewModel.message(e), false);
          validatePolicies();
        })
        .runOn(model.executor());
  }

  @FXML
  private void resetPolicies() {
    fill(Policies.defaults());
    if (vm.check(currentValues()).dirty()) {
      showPolicyMessage("Defaults filled in; Save to apply them.", null);
    }
  }

  private void showPolicyMessage(String text, Boolean success) {
    policyMessage.setText(text);
    setResultStyle(policyMessage, success);
  }

  // ---- helpers

  private static void setInvalid(TextField field, boolean invalid) {
    field.getStyleClass().remove("rc-field-invalid");
    if (invalid) {
      field.getStyleClass().add("rc-field-invalid");
    }
  }

  /** Success (true), failure (false) or neutral (null) colouring of a result label. */
  private static void setResultStyle(Label label, Boolean success) {
    label.getStyleClass().removeAll("rc-result-ok", "rc-result-error", "rc-muted");
    label.getStyleClass().add(success == null ? "rc-muted" : success ? "rc-result-ok" : "rc-result-error");
  }
}
