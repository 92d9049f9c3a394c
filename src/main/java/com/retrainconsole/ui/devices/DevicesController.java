package com.retrainconsole.ui.devices;

import com.retrainconsole.access.Permission;
import com.retrainconsole.devices.DeviceChanges;
import com.retrainconsole.devices.DeviceService;
import com.retrainconsole.telemetry.DeviceConfig;
import com.retrainconsole.ui.ConsoleModel;
import com.retrainconsole.ui.DeviceScope;
import com.retrainconsole.ui.Polls;
import com.retrainconsole.ui.Tasks;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.concurrent.Task;
import javafx.fxml.FXML;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

/**
 * Devices: every device (id, name, site, target, zone, source, enabled, spec stored or derived, readings),
 * polled every {@link #POLL} with the selection kept, and an edit form for the selected one: description,
 * place, target and the feature spec. Saves go through {@code model.ops().editDevice}; a FieldException is
 * shown beside its field. "Add device…" (also File → Add device… / Import CSV…) opens {@link AddDeviceFlow};
 * "Import CSV…" opens its CSV step to load a file into the selected device.
 * A role without EDIT_DEVICES sees everything read-only and no add or save.
 */
public final class DevicesController {
  public static final Duration POLL = Duration.seconds(5);
  private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

  private final ConsoleModel model;
  // whether the selected device (or, with none, a new one) may be changed: the role on its site
  private boolean canEdit;
  private boolean headerActionsShown = true;
  private final Timeline poll;
  private final DeviceForm form = new DeviceForm("edit");
  private final FeatureSpecEditor editor = new FeatureSpecEditor("edit");
  private final BooleanProperty saving = new SimpleBooleanProperty(this, "saving");
  private final Label formTitle = new Label("Select a device to edit it.");
  private final Label saveError = new Label();
  private final Label savedLabel = new Label();
  private final Button saveButton = new Button("Save");
  private final Button revertButton = new Button("Revert");
  private Task<List<DevicesViewModel.Item>> loading;
  private boolean reloadAfter;
  private AddDeviceFlow flow;
  private String editingId;
  private long specGeneration;
  private volatile String specShown;

  @FXML private BorderPane devicesView;
  @FXML private Button addButton;
  @FXML private Button importButton;
  @FXML private Button retrainButton;
  @FXML private Label roleLabel;
  @FXML private Label updatedLabel;
  @FXML private StackPane pages;
  @FXML private SplitPane listPage;
  @FXML private BorderPane flowPage;
  @FXML private TableView<DevicesViewModel.Item> table;
  @FXML private TableColumn<DevicesViewModel.Item, String> idColumn;
  @FXML private TableColumn<DevicesViewModel.Item, String> nameColumn;
  @FXML private TableColumn<DevicesViewModel.Item, String> siteColumn;
  @FXML private TableColumn<DevicesViewModel.Item, String> targetColumn;
  @FXML private TableColumn<DevicesViewModel.Item, String> zoneColumn;
  @FXML private TableColumn<DevicesViewModel.Item, String> sourceColumn;
  @FXML private TableColumn<DevicesViewModel.Item, String> enabledColumn;
  @FXML private TableColumn<DevicesViewModel.Item, String> specColumn;
  @FXML private TableColumn<DevicesViewModel.Item, Number> readingsColumn;
  @FXML private ScrollPane editScroll;
  @FXML private VBox editBox;
  @FXML private VBox editActions;

  public DevicesController(ConsoleModel model) {
    this.model = model;
    this.canEdit = model.can(Permission.EDIT_DEVICES); // until a device is selected: see applyRole
    this.poll = Polls.every(POLL, this::refresh);
  }

  @FXML
  private void initialize() {
    devicesView.getProperties().put(DevicesController.class, this);
    initTable();
    initEditPane();
    applyRole();
    model.refreshRequestsProperty().addListener((o, was, now) -> refresh());
    model.siteProperty().addListener((o, was, now) -> {
      applyRole();
      reloadAfter = true; // a load running now reads the old site's devices
      refresh();
    });
    model.addDeviceRequestProperty().addListener((o, was, now) -> {
      if (now != null) {
        openAdd(now.equals("csv"));
      }
    });
    Polls.whileShowing(table, poll, this::refresh);
    refresh();
  }

  private void initTable() {
    idColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().id()));
    nameColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(nz(c.getValue().config().displayName())));
    siteColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(nz(c.getValue().config().site())));
    targetColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().targetText()));
    zoneColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().config().zone().getId()));
    sourceColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().sourceText()));
    enabledColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().config().enabled() ? "yes" : "no"));
    specColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().specStored() ? "stored" : "derived"));
    readingsColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().readings()));
    readingsColumn.setCellFactory(c -> new TableCell<>() {
      @Override
      protected void updateItem(Number n, boolean empty) {
        super.updateItem(n, empty);
        setText(empty || n == null ? null : String.format(Locale.ROOT, "%,d", n.longValue()));
      }
    });
    table.setRowFactory(tv -> {
      var row = new javafx.scene.control.TableRow<DevicesViewModel.Item>() {
        @Override
        protected void updateItem(DevicesViewModel.Item item, boolean empty) {
          super.updateItem(item, empty);
          setId(item == null || empty ? null : "device-row-" + item.id());
        }
      };
      return row;
    });
    table.getSelectionModel().selectedItemProperty().addListener((o, was, item) -> {
      applyRole();
      if (item == null) {
        return;
      }
      if (!item.id().equals(model.selectedDeviceProperty().get())) {
        model.selectedDeviceProperty().set(item.id());
      }
      // a poll re-selecting the row being edited must not throw away what the user typed
      if (!item.id().equals(editingId)) {
        edit(item);
      }
    });
    retrainButton.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull()
        .or(model.busyProperty()));
    importButton.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull()
        .or(model.busyProperty()));
  }

  private void initEditPane() {
    formTitle.getStyleClass().add("rc-section-title");
    formTitle.setId("edit-title");
    saveError.setId("edit-save-error");
    saveError.getStyleClass().add("rc-field-error");
    saveError.setWrapText(true);
    saveError.setMinHeight(Region.USE_PREF_SIZE);
    savedLabel.setId("edit-saved");
    savedLabel.getStyleClass().add("rc-muted");
    savedLabel.setWrapText(true);
    saveButton.setId("edit-save");
    saveButton.getStyleClass().add("rc-primary-button");
    saveButton.setDefaultButton(false);
    saveButton.setOnAction(e -> save());
    revertButton.setId("edit-revert");
    revertButton.setOnAction(e -> revert());
    saveButton.disableProperty().bind(Bindings.createBooleanBinding(() -> editingId == null || saving.get()
        || form.invalidProperty().get(), saving, form.invalidProperty(), table.getSelectionModel()
        .selectedItemProperty()));
    VBox left = new VBox(8, label("Description"), form.descriptionSection(), label("Place"), form.placeSection(),
        label("Target"), form.targetSection(), form.enabledSection());
    left.setMinWidth(380);
    left.setPrefWidth(470);
    VBox right = editor.root();
    right.setMinWidth(380);
    right.setPrefWidth(560);
    FlowPane columns = new FlowPane(24, 12, left, right);
    columns.setPrefWrapLength(900);
    HBox actions = new HBox(8, saveButton, revertButton, savedLabel);
    actions.setAlignment(Pos.CENTER_LEFT);
    editBox.getChildren().setAll(formTitle, columns);
    // decision: Save stays in view below the scrolling form, however long the spec editor grows
    editActions.getChildren().setAll(saveError, actions);
    editBox.setDisable(true);
    editActions.disableProperty().bind(editBox.disableProperty());
    // the columns sit side by side when the pane is wide enough, one below the other when it is not
    editScroll.widthProperty().addListener((o, was, w) -> columns.setPrefWrapLength(Math.max(400, w.doubleValue() - 40)));
  }

  private static Label label(String text) {
    Label l = new Label(text);
    l.getStyleClass().add("rc-section-title");
    return l;
  }

  /**
   * Offers what the role allows: adding where the actor may edit devices (the chosen site, or any), and
   * editing, importing into and retraining the selected device by the role on its site. What may not be
   * done stays visible, read-only.
   */
  private void applyRole() {
    DevicesViewModel.Item item = table.getSelectionModel().getSelectedItem();
    String site = item == null ? null : item.config().siteOrDefault();
    boolean canAdd = model.can(Permission.EDIT_DEVICES);
    canEdit = site == null ? canAdd : model.canOnSite(Permission.EDIT_DEVICES, site);
    boolean canRetrain = site == null ? model.can(Permission.RETRAIN) : model.canOnSite(Permission.RETRAIN, site);
    show(addButton, headerActionsShown && canAdd);
    show(importButton, headerActionsShown && canEdit);
    show(retrainButton, headerActionsShown && canRetrain);
    show(saveButton, canEdit);
    show(revertButton, canEdit);
    form.setEditable(canEdit);
    editor.setEditable(canEdit);
    roleLabel.setText(canEdit ? "" : "Read-only: role " + model.roleOnSite(site) + " cannot change devices");
    roleLabel.setManaged(!canEdit);
  }

  private static void show(Node n, boolean visible) {
    n.setVisible(visible);
    n.setManaged(visible);
  }

  // ---------------------------------------------------------------- list

  /** Reloads the device list in the background, unless a load is running. */
  public void refresh() {
    if (model.executor().isShutdown()) {
      poll.stop();
      return;
    }
    if (loading != null && !loading.isDone()) {
      return;
    }
    reloadAfter = false;
    DeviceScope scope = model.scope();
    loading = Tasks.<List<DevicesViewModel.Item>>create(p -> DevicesViewModel.load(model.ctx(), scope.devices()))
        .onSuccess(items -> {
          if (!reloadAfter) {
            apply(items);
          }
        })
        .onError(e -> updatedLabel.setText("Could not read the store: " + DevicesViewModel.message(e)))
        .andFinally(() -> {
          if (reloadAfter) {
            refresh(); // the site changed while reading
          }
        })
        .runOn(model.executor());
  }

  private void apply(List<DevicesViewModel.Item> items) {
    DevicesViewModel.Item selected = table.getSelectionModel().getSelectedItem();
    String keep = selected != null ? selected.id() : editingId != null ? editingId
        : model.selectedDeviceProperty().get();
    if (!items.equals(table.getItems())) {
      table.getItems().setAll(items);
    }
    if (editingId != null && items.stream().noneMatch(i -> i.id().equals(editingId))) {
      // the device being edited is no longer listed (another site is shown, or it was removed)
      editingId = null;
      formTitle.setText("Select a device to edit it.");
      editBox.setDisable(true);
    }
    updatedLabel.setText(items.size() + " device" + (items.size() == 1 ? "" : "s") + " · updated "
        + LocalTime.now().format(HMS));
    if (keep != null) {
      for (int i = 0; i < items.size(); i++) {
        if (items.get(i).id().equals(keep)) {
          if (table.getSelectionModel().getSelectedIndex() != i) {
            table.getSelectionModel().select(i);
          }
          break;
        }
      }
    }
  }

  /** The device whose feature spec the editor shows, once loaded; null while it loads (for tests). */
  public String specShown() {
    return specShown;
  }

  /** The rows on screen (for tests). */
  public List<DevicesViewModel.Item> items() {
    return List.copyOf(table.getItems());
  }

  public void select(String id) {
    for (int i = 0; i < table.getItems().size(); i++) {
      if (table.getItems().get(i).id().equals(id)) {
        table.getSelectionModel().select(i);
        table.scrollTo(i);
        return;
      }
    }
    model.selectedDeviceProperty().set(id);
    refresh();
  }

  // ---------------------------------------------------------------- edit

  private void edit(DevicesViewModel.Item item) {
    DeviceConfig d = item.config();
    editingId = d.id();
    formTitle.setText("Edit " + d.id() + (d.displayName() == null ? "" : " · " + d.displayName()));
    form.fill(d);
    saveError.setText("");
    savedLabel.setText("");
    editBox.setDisable(false);
    loadSpec(d.id());
  }

  private void loadSpec(String id) {
    long generation = ++specGeneration;
    specShown = null;
    Tasks.<Object[]>create(p -> {
          DeviceConfig d = model.ctx().deviceService().require(id);
          DeviceService.EffectiveSpec eff = model.ctx().deviceService().effectiveSpec(d);
          return new Object[] {d, eff};
        })
        .onSuccess(r -> {
          if (generation != specGeneration) {
            return;
          }
          DeviceConfig d = (DeviceConfig) r[0];
          DeviceService.EffectiveSpec eff = (DeviceService.EffectiveSpec) r[1];
          editor.load(eff.spec(), eff.derived(), eff.fields(), d.forecast());
          specShown = id;
        })
        .onError(e -> saveError.setText("Could not read the device: " + DevicesViewModel.message(e)))
        .runOn(model.executor());
  }

  private void revert() {
    DevicesViewModel.Item item = table.getSelectionModel().getSelectedItem();
    if (item != null) {
      edit(item);
    }
  }

  void save() {
    if (!canEdit || editingId == null || saving.get()) {
      return;
    }
    form.clearSaveErrors();
    editor.clearErrors();
    saveError.setText("");
    DeviceChanges changes = form.changes();
    try {
      if (editor.resetRequested()) {
        changes = changes.withResetFeatureSpec(true);
      } else if (!editor.untouchedDefault() && editor.changedProperty().get()) {
        changes = changes.withFeatureSpec(editor.build(form.targetText()));
      }
    } catch (RuntimeException e) {
      showSaveError(e);
      return;
    }
    String id = editingId;
    DeviceChanges c = changes;
    saving.set(true);
    savedLabel.setText("Saving…");
    Tasks.<DeviceConfig>create(p -> model.ops().editDevice(model.actor(), id, c))
        .onSuccess(d -> {
          savedLabel.setText("Saved " + LocalTime.now().format(HMS) + (d.featureSpec() == null
              ? " · feature spec: derived default" : " · feature spec: stored"));
          form.fill(d);
          loadSpec(id);
          refresh();
        })
        .onError(e -> {
          savedLabel.setText("");
          showSaveError(e);
        })
        .andFinally(() -> saving.set(false))
        .runOn(model.executor());
  }

  private void showSaveError(Throwable e) {
    String field = DevicesViewModel.fieldKey(e);
    String message = DevicesViewModel.message(e);
    if (!form.showError(field, message) && !editor.showError(field, message)) {
      saveError.setText("Not saved: " + message);
    } else {
      saveError.setText("Not saved: see the marked field.");
    }
  }

  @FXML
  void retrainSelected() {
    DevicesViewModel.Item item = table.getSelectionModel().getSelectedItem();
    if (item != null) {
      model.retrain(item.id());
    }
  }

  // ---------------------------------------------------------------- add flow

  @FXML
  void openAdd() {
    openAdd(false);
  }

  /** Shows the add flow in place of the list; {@code csv} starts it on the CSV source. */
  public void openAdd(boolean csv) {
    if (!model.can(Permission.EDIT_DEVICES)) {
      return;
    }
    showFlow().start(csv);
  }

  /** "Import CSV…" for the selected device: the add flow's CSV step, importing into that device. */
  @FXML
  void importSelected() {
    DevicesViewModel.Item item = table.getSelectionModel().getSelectedItem();
    if (!canEdit || item == null) {
      return;
    }
    showFlow().startImport(item.config());
  }

  private AddDeviceFlow showFlow() {
    if (flow == null) {
      flow = new AddDeviceFlow(model, this::closeAdd);
      flowPage.setCenter(flow.root());
    }
    listPage.setVisible(false);
    flowPage.setVisible(true);
    showHeaderActions(false);
    return flow;
  }

  private void closeAdd(String createdId) {
    flowPage.setVisible(false);
    listPage.setVisible(true);
    showHeaderActions(true);
    if (createdId != null) {
      editingId = null;
      model.selectedDeviceProperty().set(createdId);
      refresh();
    }
  }

  /** The list's actions make no sense over the add flow, which has its own. */
  private void showHeaderActions(boolean show) {
    headerActionsShown = show;
    applyRole();
  }

  /** The add flow, once opened (for tests). */
  public AddDeviceFlow flow() {
    return flow;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
