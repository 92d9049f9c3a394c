package com.retrainconsole.ui.triggers;

import com.retrainconsole.access.Permission;
import com.retrainconsole.common.UserException;
import com.retrainconsole.common.ZoneHints;
import com.retrainconsole.triggers.Circuit;
import com.retrainconsole.triggers.Guards;
import com.retrainconsole.triggers.Trigger;
import com.retrainconsole.triggers.TriggerEvents;
import com.retrainconsole.triggers.TriggerReplay;
import com.retrainconsole.triggers.TriggerSpecs;
import com.retrainconsole.triggers.TriggerType;
import com.retrainconsole.ui.ConsoleModel;
import com.retrainconsole.ui.DeviceScope;
import com.retrainconsole.ui.Polls;
import com.retrainconsole.ui.Tasks;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.concurrent.Task;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.util.Duration;
import javafx.util.StringConverter;
import org.bson.Document;
import org.controlsfx.validation.ValidationMessage;
import org.controlsfx.validation.ValidationResult;
import org.controlsfx.validation.ValidationSupport;
import org.controlsfx.validation.Validator;

/**
 * Triggers: the selected device's triggers (polled every {@link #POLL}, rows updated in place), a create/edit
 * form validated field by field as the user types (ControlsFX), the next fire times of the form's schedule,
 * the selected trigger's evaluation history, and a replay of the form's trigger over stored history.
 * Changes go through {@code model.ops()}; a role without EDIT_TRIGGERS on the device's site sees everything
 * read-only.
 */
public final class TriggersController {
  public static final Duration POLL = Duration.seconds(5);
  static final int PREVIEW_COUNT = 10;
  static final int HISTORY_LIMIT = 200;
  private static final Set<TriggerType> ALL = EnumSet.allOf(TriggerType.class);
  private static final Set<TriggerType> DATA = EnumSet.of(TriggerType.NEW_DATA, TriggerType.DRIFT,
      TriggerType.PERFORMANCE);

  /** A form field: the types it belongs to, and how its text becomes spec entries (or a guard). */
  private record Field(Control control, String label, Set<TriggerType> types, boolean guard,
      Function<String, Document> parse) {
    boolean appliesTo(TriggerType t) {
      return types.contains(t);
    }

    String text() {
      return control instanceof TextField tf ? tf.getText() : String.valueOf(((ComboBox<?>) control).getValue());
    }
  }

  private final ConsoleModel model;
  private boolean canEdit;
  private final TriggersViewModel viewModel = new TriggersViewModel();
  private final Timeline poll;
  private final ValidationSupport validation = new ValidationSupport();
  private final BooleanProperty saving = new SimpleBooleanProperty(this, "saving");
  private final Map<Control, Field> fields = new LinkedHashMap<>();
  private Task<TriggersViewModel.Loaded> loading;
  private ZoneId deviceZone = ZoneId.of("UTC");
  private String editingId;
  private String selectAfterLoad;
  private long previewGeneration;
  private boolean fillingForm;

  @FXML private ComboBox<String> deviceBox;
  @FXML private Button newButton;
  @FXML private Button deleteButton;
  @FXML private Label roleLabel;
  @FXML private Label updatedLabel;
  @FXML private TableView<TriggerRow> table;
  @FXML private TableColumn<TriggerRow, Boolean> enabledColumn;
  @FXML private TableColumn<TriggerRow, String> typeColumn;
  @FXML private TableColumn<TriggerRow, String> summaryColumn;
  @FXML private TableColumn<TriggerRow, String> nextColumn;
  @FXML private TableColumn<TriggerRow, String> lastColumn;
  @FXML private TableColumn<TriggerRow, String> circuitColumn;
  @FXML private Label formTitle;
  @FXML private ComboBox<TriggerType> typeBox;
  @FXML private TextField cronField;
  @FXML private javafx.scene.layout.HBox cronHintRow;
  @FXML private TextField zoneField;
  @FXML private TextField everyField;
  @FXML private TextField anchorField;
  @FXML private TextField minRowsField;
  @FXML private TextField featuresField;
  @FXML private TextField alphaField;
  @FXML private ComboBox<String> correctionBox;
  @FXML private TextField minEffectField;
  @FXML private TextField thresholdField;
  @FXML private TextField minSampleField;
  @FXML private TextField persistenceField;
  @FXML private TextField windowField;
  @FXML private TextField checkEveryField;
  @FXML private TextField cooldownField;
  @FXML private TextField maxPerDayField;
  @FXML private TextField minNewRowsField;
  @FXML private Label problemsLabel;
  @FXML private Label saveErrorLabel;
  @FXML private Button saveButton;
  @FXML private Button revertButton;
  @FXML private TabPane tabs;
  @FXML private Tab previewTab;
  @FXML private Tab historyTab;
  @FXML private Label previewLabel;
  @FXML private TableView<TriggersViewModel.PreviewRow> previewTable;
  @FXML private TableColumn<TriggersViewModel.PreviewRow, Number> previewNColumn;
  @FXML private TableColumn<TriggersViewModel.PreviewRow, String> previewLocalColumn;
  @FXML private TableColumn<TriggersViewModel.PreviewRow, String> previewUtcColumn;
  @FXML private TableColumn<TriggersViewModel.PreviewRow, String> previewDstColumn;
  @FXML private Label historyLabel;
  @FXML private TableView<TriggersViewModel.EventRow> historyTable;
  @FXML private TableColumn<TriggersViewModel.EventRow, String> historyAtColumn;
  @FXML private TableColumn<TriggersViewModel.EventRow, String> historyFiredColumn;
  @FXML private TableColumn<TriggersViewModel.EventRow, String> historyValueColumn;
  @FXML private TableColumn<TriggersViewModel.EventRow, String> historyThresholdColumn;
  @FXML private TableColumn<TriggersViewModel.EventRow, String> historyReasonColumn;
  @FXML private Spinner<Integer> replayDays;
  @FXML private Button replayButton;
  @FXML private Label replayLabel;
  @FXML private TableView<TriggerReplay.ReplayFire> replayTable;
  @FXML private TableColumn<TriggerReplay.ReplayFire, String> replayAtColumn;
  @FXML private TableColumn<TriggerReplay.ReplayFire, String> replayValueColumn;
  @FXML private TableColumn<TriggerReplay.ReplayFire, String> replayThresholdColumn;
  @FXML private TableColumn<TriggerReplay.ReplayFire, String> replayReasonColumn;

  public TriggersController(ConsoleModel model) {
    this.model = model;
    this.canEdit = model.can(Permission.EDIT_TRIGGERS); // until a device is chosen: see applyRole
    this.poll = Polls.every(POLL, this::refresh);
  }

  public TriggersViewModel viewModel() {
    return viewModel;
  }

  @FXML
  private void initialize() {
    initTable();
    initForm();
    initPreviewAndHistory();
    initReplay();
    applyRole();

    deviceBox.valueProperty().addListener((o, was, id) -> {
      if (id != null && !id.equals(model.selectedDeviceProperty().get())) {
        model.selectedDeviceProperty().set(id);
      }
      if (id != null && !id.equals(was)) {
        viewModel.rows().clear();
        historyTable.getItems().clear();
        newTrigger();
        refresh();
      }
    });
    model.selectedDeviceProperty().addListener((o, was, id) -> {
      if (id != null && deviceBox.getItems().contains(id)) {
        deviceBox.setValue(id);
      }
    });
    deviceBox.valueProperty().addListener((o, was, id) -> applyRole());
    model.siteProperty().addListener((o, was, now) -> {
      applyRole();
      refresh(); // lists the devices of the site now shown
    });
    model.deviceSitesProperty().addListener((o, was, now) -> applyRole());
    model.refreshRequestsProperty().addListener((o, was, now) -> refresh());
    Polls.whileShowing(table, poll, this::refresh);
    newTrigger();
    refresh();
  }

  private void initTable() {
    table.setItems(viewModel.rows());
    enabledColumn.setCellValueFactory(c -> c.getValue().enabledProperty());
    enabledColumn.setCellFactory(c -> new EnabledCell());
    enabledColumn.setSortable(false);
    typeColumn.setCellValueFactory(c -> c.getValue().typeProperty());
    summaryColumn.setCellValueFactory(c -> c.getValue().summaryProperty());
    nextColumn.setCellValueFactory(c -> c.getValue().nextFireProperty());
    nextColumn.setCellFactory(c -> new NextFireCell());
    lastColumn.setCellValueFactory(c -> c.getValue().lastFiredProperty());
    circuitColumn.setCellValueFactory(c -> c.getValue().circuitProperty());
    circuitColumn.setCellFactory(c -> new FlagCell<>("rc-circuit-open", s -> s.startsWith("open")));
    table.getSelectionModel().selectedItemProperty().addListener((o, was, row) -> {
      if (row != null) {
        edit(row.getTrigger());
        loadHistory();
      } else {
        historyTable.getItems().clear();
        historyLabel.setText("Select a trigger to see its evaluations.");
      }
    });
    deleteButton.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
  }

  private void initForm() {
    typeBox.getItems().setAll(TriggerType.values());
    typeBox.setConverter(new StringConverter<>() {
      @Override
      public String toString(TriggerType t) {
        return t == null ? "" : t.wire();
      }

      @Override
      public TriggerType fromString(String s) {
        return TriggerType.parse(s);
      }
    });
    correctionBox.getItems().setAll("bonferroni", "fdr");
    Set<TriggerType> cron = EnumSet.of(TriggerType.CRON);
    Set<TriggerType> drift = EnumSet.of(TriggerType.DRIFT);
    Set<TriggerType> driftPerf = EnumSet.of(TriggerType.DRIFT, TriggerType.PERFORMANCE);
    field(cronField, "Cron expression", cron, false, t -> new Document("cron", t));
    field(zoneField, "Time zone", cron, false, t -> new Document("zone", t.trim()));
    field(everyField, "Every", EnumSet.of(TriggerType.INTERVAL), false,
        t -> new Document("every", TriggersViewModel.parseDuration(required(t, "Give an interval, e.g. 6h"))));
    field(anchorField, "Anchor", EnumSet.of(TriggerType.INTERVAL), false, t -> t.isBlank() ? new Document()
        : new Document("anchor", instant(t)));
    field(minRowsField, "Min new readings", EnumSet.of(TriggerType.NEW_DATA), false,
        t -> new Document("min_rows", whole(required(t, "Give the number of new readings, e.g. 500"))));
    field(featuresField, "Features", drift, false, t -> new Document("features", t));
    field(alphaField, "Significance α", drift, false, t -> optional(t, "alpha", TriggersController::decimal));
    field(correctionBox, "Correction", drift, false, t -> new Document("correction", t));
    field(minEffectField, "Min effect D", drift, false, t -> optional(t, "min_effect", TriggersController::decimal));
    field(thresholdField, "Threshold", EnumSet.of(TriggerType.PERFORMANCE), false,
        t -> optional(t, "threshold_pct", TriggersController::decimal));
    field(minSampleField, "Min sample", driftPerf, false, t -> optional(t, "min_sample", TriggersController::whole));
    field(persistenceField, "Persistence", drift, false, TriggersController::persistence);
    field(windowField, "Window", driftPerf, false, t -> optional(t, "window", TriggersViewModel::parseDuration));
    field(checkEveryField, "Check every", DATA, false,
        t -> optional(t, "check_every", TriggersViewModel::parseDuration));
    field(cooldownField, "Cooldown", ALL, true, t -> optional(t, "cooldown", TriggersViewModel::parseDuration));
    field(maxPerDayField, "Max runs per day", ALL, true, t -> optional(t, "max_per_day", s -> (int) whole(s)));
    field(minNewRowsField, "Min new rows", ALL, true, t -> optional(t, "min_new_rows", TriggersController::whole));

    typeBox.valueProperty().addListener((o, was, type) -> {
      showFieldsFor(type);
      if (!fillingForm && editingId == null && type != null) {
        minSampleField.setText(type == TriggerType.DRIFT ? "200" : "100");
      }
      validation.revalidate();
      schedulePreview();
    });
    validation.validationResultProperty().addListener((o, was, result) -> showProblems(result));
    saveButton.disableProperty().bind(Bindings.createBooleanBinding(
        () -> !Boolean.FALSE.equals(validation.isInvalid()) || saving.get() || deviceBox.getValue() == null,
        validation.invalidProperty(), saving, deviceBox.valueProperty()));
  }

  private void field(Control control, String label, Set<TriggerType> types, boolean guard,
      Function<String, Document> parse) {
    Field f = new Field(control, label, types, guard, parse);
    fields.put(control, f);
    Validator<Object> v = (c, value) -> {
      String problem = problemOf(f, value == null ? "" : String.valueOf(value), typeBox.getValue());
      return ValidationResult.fromErrorIf(c, problem == null ? "" : problem, problem != null);
    };
    validation.registerValidator(control, false, v);
    if (control instanceof TextField tf) {
      tf.textProperty().addListener((o, was, now) -> schedulePreview());
    } else {
      ((ComboBox<?>) control).valueProperty().addListener((o, was, now) -> schedulePreview());
    }
  }

  /** What is wrong with this field's text for {@code type}, in words; null when fine or not used by the type. */
  private String problemOf(Field f, String text, TriggerType type) {
    if (type == null || !f.appliesTo(type)) {
      return null;
    }
    Document parsed;
    try {
      parsed = f.parse().apply(text);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      return e.getMessage();
    }
    String problem;
    if (f.guard()) {
      try {
        guards(parsed);
        problem = null;
      } catch (UserException e) {
        problem = e.getMessage();
      }
    } else {
      problem = TriggerSpecs.problem(type, parsed, model.ctx().clock().instant());
    }
    if (problem == null) {
      return null;
    }
    // decision: core messages name CLI flags (--min-rows); the form names its own fields
    problem = problem.replaceAll("--[a-z][a-z-]*", "\u201C" + f.label() + "\u201D");
    if (f.control() == zoneField) {
      String suggestion = ZoneHints.closest(text);
      if (suggestion != null) {
        problem += ". Did you mean " + suggestion + "?";
      }
    }
    return problem;
  }

  private void showFieldsFor(TriggerType type) {
    for (Field f : fields.values()) {
      Node row = f.control().getParent();
      boolean show = type != null && f.appliesTo(type);
      row.setVisible(show);
      row.setManaged(show);
    }
    cronHintRow.setVisible(type == TriggerType.CRON);
    cronHintRow.setManaged(type == TriggerType.CRON);
  }

  private void showProblems(ValidationResult result) {
    List<String> lines = new ArrayList<>();
    for (ValidationMessage m : result.getErrors()) {
      Field f = fields.get(m.getTarget());
      // "Cron expression: Cron expression ... is invalid" reads twice; name the field only when the message doesn't
      boolean named = f == null || m.getText().toLowerCase(Locale.ROOT).contains(f.label().toLowerCase(Locale.ROOT));
      lines.add((named ? "" : f.label() + ": ") + m.getText());
    }
    problemsLabel.setText(String.join("\n", lines));
    problemsLabel.setVisible(!lines.isEmpty());
    problemsLabel.setManaged(!lines.isEmpty());
  }

  /** Offers the changes the role on the chosen device's site allows; the rest stays visible, read-only. */
  private void applyRole() {
    canEdit = model.canOn(Permission.EDIT_TRIGGERS, deviceBox.getValue());
    // decision: an analyst or operator still sees every trigger, its fire times, history and replay
    for (Node n : List.of(newButton, deleteButton, saveButton, revertButton)) {
      n.setVisible(canEdit);
      n.setManaged(canEdit);
    }
    typeBox.setDisable(!canEdit || editingId != null); // an existing trigger's type never changes
    fields.keySet().forEach(c -> {
      if (c instanceof TextField tf) {
        tf.setEditable(canEdit);
      } else {
        c.setDisable(!canEdit);
      }
    });
    roleLabel.setText(canEdit ? "" : "Read-only: role " + model.roleOn(deviceBox.getValue())
        + " cannot change triggers");
    roleLabel.setVisible(!canEdit);
    roleLabel.setManaged(!canEdit);
    table.refresh(); // the enable boxes follow the role
  }

  // ---------------------------------------------------------------- list

  /** Starts a background reload of devices, triggers and the selected trigger's history, unless one runs. */
  public void refresh() {
    if (model.executor().isShutdown()) {
      poll.stop();
      return;
    }
    if (loading != null && !loading.isDone()) {
      return;
    }
    String device = deviceBox.getValue() != null ? deviceBox.getValue() : model.selectedDeviceProperty().get();
    DeviceScope scope = model.scope();
    loading = Tasks.<TriggersViewModel.Loaded>create(p -> TriggersViewModel.load(model.ctx(), scope.devices(),
            device))
        .onSuccess(loaded -> {
          if (!scope.equals(model.scope())) {
            refresh(); // the site changed while reading: list its devices instead
            return;
          }
          applyLoaded(device, loaded);
        })
        .onError(e -> updatedLabel.setText("Could not read the store: " + message(e)))
        .runOn(model.executor());
  }

  private void applyLoaded(String requested, TriggersViewModel.Loaded loaded) {
    if (!deviceBox.getItems().equals(loaded.devices())) {
      deviceBox.getItems().setAll(loaded.devices());
    }
    String current = deviceBox.getValue();
    if (current != null && !current.equals(requested)) {
      refresh(); // the user picked another device while this load ran
      return;
    }
    if (loaded.deviceId() == null) {
      deviceBox.setValue(null); // none of the sites shown has a device
      viewModel.rows().clear();
      updatedLabel.setText("No devices yet");
      return;
    }
    if (!loaded.deviceId().equals(current)) {
      deviceZone = loaded.deviceZone();
      deviceBox.setValue(loaded.deviceId()); // the listener reloads for this device
      return;
    }
    if (editingId == null && !loaded.deviceZone().equals(deviceZone)
        && zoneField.getText().equals(deviceZone.getId())) {
      zoneField.setText(loaded.deviceZone().getId()); // a new cron defaults to the device's zone
    }
    deviceZone = loaded.deviceZone();
    viewModel.apply(loaded);
    if (selectAfterLoad != null) {
      String id = selectAfterLoad;
      selectAfterLoad = null;
      viewModel.rows().stream().filter(r -> r.getTriggerId().equals(id)).findFirst()
          .ifPresent(r -> table.getSelectionModel().select(r));
    }
    updatedLabel.setText("Updated " + java.time.LocalTime.now().withNano(0));
    loadHistory();
  }

  private void loadHistory() {
    TriggerRow row = table.getSelectionModel().getSelectedItem();
    if (row == null) {
      return;
    }
    Trigger t = row.getTrigger();
    ZoneId zone = TriggersViewModel.zoneOf(t, deviceZone);
    Tasks.<List<TriggersViewModel.EventRow>>create(p -> TriggersViewModel.events(
            new TriggerEvents(model.ctx().store()).recent(t.triggerId(), HISTORY_LIMIT), zone))
        .onSuccess(events -> {
          TriggerRow now = table.getSelectionModel().getSelectedItem();
          if (now == null || !now.getTriggerId().equals(t.triggerId())) {
            return;
          }
          if (!events.equals(historyTable.getItems())) {
            historyTable.getItems().setAll(events);
          }
          long fired = events.stream().filter(TriggersViewModel.EventRow::fired).count();
          historyLabel.setText(t.triggerId() + ": " + events.size() + " evaluation" + (events.size() == 1 ? "" : "s")
              + " shown, " + fired + " fired; newest first, times in " + zone.getId());
        })
        .onError(e -> historyLabel.setText("Could not read the evaluations: " + message(e)))
        .runOn(model.executor());
  }

  @FXML
  void deleteSelected() {
    TriggerRow row = table.getSelectionModel().getSelectedItem();
    if (row == null || !canEdit) {
      return;
    }
    Alert confirm = com.retrainconsole.ui.Dialogs.fit(new Alert(Alert.AlertType.CONFIRMATION, "Delete "
        + row.getTriggerId() + " (" + row.typeProperty().get() + ": " + row.summaryProperty().get()
        + ")?\nIts evaluation history is kept.", ButtonType.OK, ButtonType.CANCEL), table.getScene().getWindow());
    confirm.setHeaderText("Delete trigger");
    confirm.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> {
      String id = row.getTriggerId();
      Tasks.<Trigger>create(p -> model.ops().removeTrigger(model.actor(), id))
          .onSuccess(t -> {
            if (id.equals(editingId)) {
              newTrigger();
            }
            refresh();
          })
          .onError(model::showError)
          .runOn(model.executor());
    });
  }

  private void setEnabled(TriggerRow row, boolean enabled) {
    Tasks.<Trigger>create(p -> model.ops().setTriggerEnabled(model.actor(), row.getTriggerId(), enabled))
        .onSuccess(t -> refresh())
        .onError(e -> {
          row.enabledProperty().set(!enabled);
          model.showError(e);
        })
        .runOn(model.executor());
  }

  // ---------------------------------------------------------------- form

  @FXML
  void newTrigger() {
    table.getSelectionModel().clearSelection();
    editingId = null;
    fillingForm = true;
    try {
      formTitle.setText(deviceBox.getValue() == null ? "New trigger" : "New trigger for " + deviceBox.getValue());
      typeBox.setDisable(!canEdit);
      typeBox.setValue(TriggerType.CRON);
      cronField.setText("0 3 * * *");
      zoneField.setText(deviceZone.getId());
      everyField.setText("6h");
      anchorField.setText("");
      minRowsField.setText("500");
      featuresField.setText(String.join(",", TriggerSpecs.DEFAULT_DRIFT_FEATURES));
      alphaField.setText("0.01");
      correctionBox.setValue("bonferroni");
      minEffectField.setText("0.1");
      thresholdField.setText("20");
      minSampleField.setText("100");
      persistenceField.setText("2/3");
      windowField.setText("24h");
      checkEveryField.setText("1h");
      cooldownField.setText(TriggersViewModel.duration(Guards.DEFAULT_COOLDOWN));
      maxPerDayField.setText("");
      minNewRowsField.setText("");
    } finally {
      fillingForm = false;
    }
    saveErrorLabel.setText("");
    validation.revalidate();
    schedulePreview();
  }

  private void edit(Trigger t) {
    editingId = t.triggerId();
    Document s = t.spec();
    fillingForm = true;
    try {
      formTitle.setText("Edit " + t.triggerId() + (t.enabled() ? "" : " (disabled)"));
      typeBox.setValue(t.type());
      typeBox.setDisable(true); // the core cannot change a trigger's type; delete and create instead
      setIf(cronField, s.getString("cron"));
      setIf(zoneField, s.getString("zone"));
      setIf(everyField, s.getString("every") == null ? null : TriggersViewModel.duration(s.getString("every")));
      anchorField.setText(s.getDate("anchor") == null ? "" : s.getDate("anchor").toInstant().toString());
      setIf(minRowsField, TriggersViewModel.num(s.get("min_rows")));
      if (s.get("features") != null) {
        featuresField.setText(String.join(",", t.features()));
      }
      setIf(alphaField, TriggersViewModel.num(s.get("alpha")));
      if (s.getString("correction") != null) {
        correctionBox.setValue(s.getString("correction"));
      }
      setIf(minEffectField, TriggersViewModel.num(s.get("min_effect")));
      setIf(thresholdField, TriggersViewModel.num(s.get("threshold_pct")));
      setIf(minSampleField, TriggersViewModel.num(s.get("min_sample")));
      if (s.get("persistence_m") != null) {
        persistenceField.setText(s.get("persistence_m") + "/" + s.get("persistence_n"));
      }
      setIf(windowField, s.getString("window") == null ? null : TriggersViewModel.duration(s.getString("window")));
      setIf(checkEveryField, s.getString("check_every") == null ? null
          : TriggersViewModel.duration(s.getString("check_every")));
      cooldownField.setText(TriggersViewModel.duration(t.guards().cooldown()));
      maxPerDayField.setText(t.guards().maxPerDay() == null ? "" : String.valueOf(t.guards().maxPerDay()));
      minNewRowsField.setText(t.guards().minNewRows() == null ? "" : String.valueOf(t.guards().minNewRows()));
    } finally {
      fillingForm = false;
    }
    saveErrorLabel.setText("");
    validation.revalidate();
    schedulePreview();
  }

  private static void setIf(TextField f, String value) {
    if (value != null && !value.isEmpty()) {
      f.setText(value);
    }
  }

  @FXML
  void revert() {
    TriggerRow row = table.getSelectionModel().getSelectedItem();
    if (row != null && row.getTriggerId().equals(editingId)) {
      edit(row.getTrigger());
    } else {
      newTrigger();
    }
  }

  @FXML
  void save() {
    if (!canEdit || saveButton.isDisabled()) {
      return;
    }
    TriggerType type = typeBox.getValue();
    Document spec;
    Guards guards;
    try {
      spec = spec(type, snapshot());
      guards = guards(guardDoc(snapshot()));
    } catch (RuntimeException e) {
      saveErrorLabel.setText(message(e));
      return;
    }
    String device = deviceBox.getValue();
    String id = editingId;
    saving.set(true);
    saveErrorLabel.setText("");
    Tasks.<Trigger>create(p -> id == null ? model.ops().addTrigger(model.actor(), device, type, spec, guards)
            : model.ops().editTrigger(model.actor(), id, spec, guards))
        .onSuccess(t -> {
          editingId = t.triggerId();
          formTitle.setText("Edit " + t.triggerId() + (t.enabled() ? "" : " (disabled)"));
          typeBox.setDisable(true);
          selectAfterLoad = t.triggerId();
          saveErrorLabel.setText("");
          refresh();
        })
        .onError(e -> saveErrorLabel.setText("Not saved: " + message(e)))
        .andFinally(() -> saving.set(false))
        .runOn(model.executor());
  }

  /** The form's texts, read on the FX thread so background work never touches controls. */
  private Map<Field, String> snapshot() {
    Map<Field, String> out = new LinkedHashMap<>();
    fields.values().forEach(f -> out.put(f, f.text() == null ? "" : f.text()));
    return out;
  }

  private static Document spec(TriggerType type, Map<Field, String> texts) {
    Document spec = new Document();
    texts.forEach((f, text) -> {
      if (!f.guard() && f.appliesTo(type)) {
        spec.putAll(f.parse().apply(text));
      }
    });
    return spec;
  }

  private static Document guardDoc(Map<Field, String> texts) {
    Document d = new Document();
    texts.forEach((f, text) -> {
      if (f.guard()) {
        d.putAll(f.parse().apply(text));
      }
    });
    return d;
  }

  private static Guards guards(Document d) {
    return new Guards((java.time.Duration) d.get("cooldown"), (Integer) d.get("max_per_day"),
        (Long) d.get("min_new_rows"));
  }

  /** The trigger the form describes, normalised as saving would; UserException when it is invalid. */
  private static Trigger draft(String id, String device, TriggerType type, Map<Field, String> texts, Instant now) {
    Document full = TriggerSpecs.normalize(type, spec(type, texts), now);
    return new Trigger(id == null ? "draft" : id, device, type, true, full, guards(guardDoc(texts)), now, now,
        null, null, null, Circuit.CLOSED, List.of());
  }

  // ---------------------------------------------------------------- preview, history

  private void initPreviewAndHistory() {
    previewNColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().n()));
    previewLocalColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().local()));
    previewUtcColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().utc()));
    // the column is headed "DST": its cells say "starts 02:00→03:00" and the label above counts them
    previewDstColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().dst()
        .replaceFirst("^DST ", "")));
    previewDstColumn.setCellFactory(c -> new FlagCell<>("rc-dst-flag", s -> !s.isEmpty()));
    previewTable.setRowFactory(tv -> new javafx.scene.control.TableRow<>() {
      @Override
      protected void updateItem(TriggersViewModel.PreviewRow item, boolean empty) {
        super.updateItem(item, empty);
        setTooltip(item == null || item.note().isEmpty() ? null : new Tooltip(item.note()));
      }
    });
    historyAtColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().at()));
    historyFiredColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().fired() ? "fired" : "no"));
    historyFiredColumn.setCellFactory(c -> new FlagCell<>("rc-fired", "fired"::equals));
    historyValueColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().value()));
    historyThresholdColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().threshold()));
    historyReasonColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().reason()));
    historyTable.setRowFactory(tv -> {
      javafx.scene.control.TableRow<TriggersViewModel.EventRow> row = new javafx.scene.control.TableRow<>() {
        @Override
        protected void updateItem(TriggersViewModel.EventRow item, boolean empty) {
          super.updateItem(item, empty);
          setTooltip(item == null ? null : new Tooltip("Slot " + item.slot() + "\n" + item.reason()
              + (item.runId().isEmpty() ? "" : "\nRun " + item.runId() + " (double-click to open it)")));
        }
      };
      // a fired evaluation links to the run it queued
      row.setOnMouseClicked(e -> {
        if (e.getClickCount() == 2 && row.getItem() != null && !row.getItem().runId().isEmpty()) {
          model.openRun(row.getItem().runId());
        }
      });
      return row;
    });
    historyLabel.setText("Select a trigger to see its evaluations.");
  }

  /** Recomputes the next fires off the FX thread; a newer edit makes older results stale. */
  private void schedulePreview() {
    if (fillingForm || typeBox == null || typeBox.getValue() == null) {
      return;
    }
    long generation = ++previewGeneration;
    Map<Field, String> texts = snapshot();
    TriggerType type = typeBox.getValue();
    String device = deviceBox.getValue();
    String id = editingId;
    ZoneId zone = deviceZone;
    Instant now = model.ctx().clock().instant();
    Tasks.<List<TriggersViewModel.PreviewRow>>create(p -> TriggersViewModel.preview(
            draft(id, device, type, texts, now), zone, now, PREVIEW_COUNT))
        .onSuccess(rows -> {
          if (generation != previewGeneration) {
            return;
          }
          previewTable.getItems().setAll(rows);
          String z = type == TriggerType.CRON ? texts.get(fields.get(zoneField)).trim() : zone.getId();
          long dst = rows.stream().filter(r -> !r.dst().isEmpty()).count();
          previewLabel.setText("Next " + rows.size() + " " + (type.timeBased() ? "fires" : "checks") + ", local time in "
              + z + " and UTC" + (dst == 0 ? "; no DST change among them" : "; " + dst + " on a DST change day"));
        })
        .onError(e -> {
          if (generation != previewGeneration) {
            return;
          }
          previewTable.getItems().clear();
          previewLabel.setText("No fire times: " + message(e));
        })
        .runOn(model.executor());
  }

  // ---------------------------------------------------------------- replay

  private void initReplay() {
    replayDays.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(1, 365, 7));
    replayAtColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(
        TriggersViewModel.SHORT_LOCAL.format(c.getValue().at().atZone(replayZone))));
    replayValueColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(TriggersViewModel.num(c.getValue().value())));
    replayThresholdColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(
        TriggersViewModel.num(c.getValue().threshold())));
    replayReasonColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().reason()));
    replayTable.setRowFactory(tv -> new javafx.scene.control.TableRow<>() {
      @Override
      protected void updateItem(TriggerReplay.ReplayFire item, boolean empty) {
        super.updateItem(item, empty);
        setTooltip(item == null ? null : new Tooltip(item.reason()));
      }
    });
    replayButton.disableProperty().bind(Bindings.createBooleanBinding(
        () -> !Boolean.FALSE.equals(validation.isInvalid()) || model.busy() || deviceBox.getValue() == null,
        validation.invalidProperty(), model.busyProperty(), deviceBox.valueProperty()));
  }

  private ZoneId replayZone = ZoneId.of("UTC");

  @FXML
  void replay() {
    if (model.busy()) {
      replayLabel.setText("Another job is running; replay when it has finished.");
      return;
    }
    Instant to = model.ctx().clock().instant();
    int days = replayDays.getValue();
    Instant from = to.minus(java.time.Duration.ofDays(days));
    Trigger draft;
    try {
      draft = draft(editingId, deviceBox.getValue(), typeBox.getValue(), snapshot(), to);
    } catch (RuntimeException e) {
      replayLabel.setText("Cannot replay: " + message(e));
      return;
    }
    ZoneId zone = TriggersViewModel.zoneOf(draft, deviceZone);
    replayLabel.setText("Replaying " + days + " days…");
    TriggerReplay replay = new TriggerReplay(model.ctx().store(), model.ctx().devices(), model.ctx().registry());
    model.startJob("Replay " + draft.type().wire() + " trigger on " + draft.deviceId(),
        Tasks.<TriggerReplay.Result>create(p -> {
          // decision: the replay is one pass with state carried slot to slot (guards, drift persistence),
          // so it reports no fraction; Cancel takes effect when it returns
          p.update("replaying " + days + " days of " + draft.deviceId(), 0);
          TriggerReplay.Result r = replay.replay(draft, from, to);
          p.update("replayed", 1);
          return r;
        })
            .onSuccess(r -> {
              replayZone = zone;
              replayTable.getItems().setAll(r.fires());
              replayLabel.setText(r.evaluations() + " evaluations from " + TriggersViewModel.local(r.from(), zone)
                  + " to " + TriggersViewModel.local(r.to(), zone) + ": would have fired " + r.fires().size()
                  + " time" + (r.fires().size() == 1 ? "" : "s") + ", " + r.refusedByGuards()
                  + " held back by guards. Nothing was written.");
            })
            .onCancelled(() -> replayLabel.setText("Replay cancelled."))
            .onError(e -> replayLabel.setText("Replay failed: " + message(e))));
  }

  // ---------------------------------------------------------------- parsing helpers

  private static String required(String text, String message) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(message);
    }
    return text;
  }

  private static Document optional(String text, String key, Function<String, Object> parse) {
    return text == null || text.isBlank() ? new Document() : new Document(key, parse.apply(text.trim()));
  }

  static long whole(String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text.trim() + "' is not a whole number");
    }
  }

  static double decimal(String text) {
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text.trim() + "' is not a number; use a dot for decimals, e.g. 0.01");
    }
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + text.trim() + "' is not a UTC time; write it like 2026-11-01T00:00:00Z");
    }
  }

  private static Document persistence(String text) {
    if (text == null || text.isBlank()) {
      return new Document();
    }
    String[] mn = text.trim().split("/");
    if (mn.length != 2) {
      throw new IllegalArgumentException("Write persistence as M/N, e.g. 2/3 (held in 2 of the last 3 checks)");
    }
    return new Document("persistence_m", whole(mn[0])).append("persistence_n", whole(mn[1]));
  }

  static String message(Throwable e) {
    Throwable c = e;
    while (c.getCause() != null && !(c instanceof UserException)) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }

  // ---------------------------------------------------------------- cells

  private final class EnabledCell extends TableCell<TriggerRow, Boolean> {
    private final CheckBox box = new CheckBox();

    EnabledCell() {
      box.setOnAction(e -> {
        TriggerRow row = getTableRow() == null ? null : getTableRow().getItem();
        if (row != null) {
          setEnabled(row, box.isSelected());
        }
      });
    }

    @Override
    protected void updateItem(Boolean enabled, boolean empty) {
      super.updateItem(enabled, empty);
      TriggerRow row = getTableRow() == null ? null : getTableRow().getItem();
      if (empty || enabled == null || row == null) {
        setGraphic(null);
      } else {
        box.setId("enabled-" + row.getTriggerId());
        box.setSelected(enabled);
        box.setDisable(!canEdit);
        setGraphic(box);
      }
    }
  }

  /** A text cell that adds {@code styleClass} when the value calls for attention. */
  private static final class FlagCell<S> extends TableCell<S, String> {
    private final String styleClass;
    private final java.util.function.Predicate<String> flagged;

    FlagCell(String styleClass, java.util.function.Predicate<String> flagged) {
      this.styleClass = styleClass;
      this.flagged = flagged;
    }

    @Override
    protected void updateItem(String value, boolean empty) {
      super.updateItem(value, empty);
      getStyleClass().remove(styleClass);
      setText(empty ? null : value);
      if (!empty && value != null && flagged.test(value)) {
        getStyleClass().add(styleClass);
      }
    }
  }

  /** The next fire; while no scheduler runs a second line says it will not fire (in words, not colour only). */
  private static final class NextFireCell extends TableCell<TriggerRow, String> {
    private final Label time = new Label();
    private final Label note = new Label();
    private final javafx.scene.layout.VBox box = new javafx.scene.layout.VBox(2, time, note);

    NextFireCell() {
      note.getStyleClass().add("rc-scheduler-off");
      box.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
    }

    @Override
    protected void updateItem(String text, boolean empty) {
      super.updateItem(text, empty);
      boolean off = !empty && text != null && text.endsWith(TriggersViewModel.SCHEDULER_OFF);
      setTooltip(off ? new Tooltip("No scheduler runs on this store, so this trigger will not fire. Start the "
          + "console's scheduler in Settings or run the scheduler service.") : null);
      if (!off) {
        setGraphic(null);
        setText(empty ? null : text);
        return;
      }
      int cut = text.lastIndexOf('\n');
      time.setText(text.substring(0, cut));
      // on a line of its own the note needs no parentheses
      note.setText(text.substring(cut + 1).replaceAll("^\\(|\\)$", ""));
      setText(null);
      setGraphic(box);
    }
  }
}
