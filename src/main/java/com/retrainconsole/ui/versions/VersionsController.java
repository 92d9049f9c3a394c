package com.retrainconsole.ui.versions;

import com.retrainconsole.access.Permission;
import com.retrainconsole.audit.PointerMove;
import com.retrainconsole.registry.ModelMeta;
import com.retrainconsole.registry.ModelRegistry.FileCheck;
import com.retrainconsole.registry.Pointer;
import com.retrainconsole.registry.VersionNotes;
import com.retrainconsole.ui.ConsoleModel;
import com.retrainconsole.ui.Icons;
import com.retrainconsole.ui.Polls;
import com.retrainconsole.ui.Tasks;
import com.retrainconsole.ui.versions.VersionsViewModel.Snapshot;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;

/**
 * Versions of one device: stage, metrics, the champion comparison recorded at training and the sha256
 * status of each file (checked in the background); promote and roll back with a confirmed reason through
 * {@code model.ops()}; the ledger of pointer moves and an "in service at" lookup.
 */
public final class VersionsController {
  private static final PseudoClass IN_SERVICE = PseudoClass.getPseudoClass("in-service");
  private static final PseudoClass REJECTED = PseudoClass.getPseudoClass("rejected");

  private final ConsoleModel model;
  private final ZoneId zone = ZoneId.systemDefault();
  private final ObservableList<VersionItem> items = FXCollections.observableArrayList();
  private final ObservableList<PointerMove> moves = FXCollections.observableArrayList();
  private Snapshot snapshot;
  private Task<Snapshot> loading;
  private String pendingSelection;
  private boolean acting;

  @FXML private javafx.scene.layout.VBox header;
  @FXML private javafx.scene.layout.FlowPane actions;
  @FXML private ComboBox<String> deviceBox;
  @FXML private Label pointerLabel;
  @FXML private Button promoteButton;
  @FXML private Button rollbackButton;
  @FXML private Button rollbackToButton;
  @FXML private Button openRunButton;
  @FXML private Button labelButton;
  @FXML private Label messageLabel;
  @FXML private TableView<VersionItem> table;
  @FXML private TableColumn<VersionItem, String> versionColumn;
  @FXML private TableColumn<VersionItem, String> stageColumn;
  @FXML private TableColumn<VersionItem, String> createdColumn;
  @FXML private TableColumn<VersionItem, String> maeColumn;
  @FXML private TableColumn<VersionItem, String> rmseColumn;
  @FXML private TableColumn<VersionItem, String> r2Column;
  @FXML private TableColumn<VersionItem, String> championKindColumn;
  @FXML private TableColumn<VersionItem, String> championMaeColumn;
  @FXML private TableColumn<VersionItem, String> championDeltaColumn;
  @FXML private TableColumn<VersionItem, FileCheck> fileColumn;
  @FXML private TableColumn<VersionItem, String> labelColumn;
  @FXML private TableView<PointerMove> ledgerTable;
  @FXML private TableColumn<PointerMove, String> ledgerAtColumn;
  @FXML private TableColumn<PointerMove, String> ledgerKindColumn;
  @FXML private TableColumn<PointerMove, String> ledgerFromColumn;
  @FXML private TableColumn<PointerMove, String> ledgerToColumn;
  @FXML private TableColumn<PointerMove, String> ledgerActorColumn;
  @FXML private TableColumn<PointerMove, String> ledgerReasonColumn;
  @FXML private TextField atField;
  @FXML private Button atButton;
  @FXML private Label atError;
  @FXML private Label atResult;

  public VersionsController(ConsoleModel model) {
    this.model = model;
  }

  @FXML
  private void initialize() {
    table.setItems(items);
    text(versionColumn, VersionItem::version);
    versionColumn.setCellFactory(c -> new VersionCell());
    text(stageColumn, VersionsViewModel::stageName);
    stageColumn.setCellFactory(c -> new StageCell());
    text(labelColumn, v -> v.meta().label() == null ? "" : v.meta().label());
    labelColumn.setCellFactory(c -> new NotesCell());
    text(createdColumn, v -> VersionsViewModel.minute(v.meta().createdAt(), zone));
    text(maeColumn, v -> VersionsViewModel.mae(v.meta().metrics()));
    text(rmseColumn, v -> VersionsViewModel.rmse(v.meta().metrics()));
    text(r2Column, v -> VersionsViewModel.r2(v.meta().metrics()));
    text(championKindColumn, v -> VersionsViewModel.championKind(v.meta()));
    text(championMaeColumn, v -> VersionsViewModel.mae(v.meta().championMetrics()));
    text(championDeltaColumn, v -> VersionsViewModel.deltaMae(v.meta()));
    championKindColumn.setCellFactory(c -> new ChampionCell());
    championMaeColumn.setCellFactory(c -> new ChampionCell());
    championDeltaColumn.setCellFactory(c -> new ChampionCell());
    fileColumn.setCellValueFactory(c -> new javafx.beans.property.ReadOnlyObjectWrapper<>(c.getValue().file()));
    fileColumn.setCellFactory(c -> new FileCell());
    table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    table.setRowFactory(t -> new TableRow<>() {
      @Override
      protected void updateItem(VersionItem item, boolean empty) {
        super.updateItem(item, empty);
        pseudoClassStateChanged(IN_SERVICE, !empty && item != null && item.inService());
      }
    });

    ledgerTable.setItems(moves);
    ledgerTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    ledgerText(ledgerAtColumn, m -> VersionsViewModel.when(m.at(), zone));
    ledgerText(ledgerKindColumn, PointerMove::action);
    ledgerText(ledgerFromColumn, m -> m.fromVersion() == null ? "none" : m.fromVersion());
    ledgerText(ledgerToColumn, PointerMove::toVersion);
    ledgerText(ledgerActorColumn, PointerMove::actor);
    ledgerText(ledgerReasonColumn, PointerMove::reason);
    // a reason is free text: it wraps inside the column (the row grows) rather than ending in "…"
    ledgerReasonColumn.setCellFactory(c -> new TableCell<>() {
      private final javafx.scene.text.Text text = new javafx.scene.text.Text();

      {
        text.getStyleClass().add("rc-wrapped-cell-text");
        text.wrappingWidthProperty().bind(ledgerReasonColumn.widthProperty().subtract(14));
      }

      @Override
      protected void updateItem(String reason, boolean empty) {
        super.updateItem(reason, empty);
        setText(null);
        text.setText(empty || reason == null ? "" : reason);
        setGraphic(empty ? null : text);
        setTooltip(empty || reason == null || reason.isEmpty() ? null : new Tooltip(reason));
      }
    });

    // the actions wrap at the header's width, and the header asks for the height of the rows they make
    actions.prefWrapLengthProperty().bind(header.widthProperty());
    promoteButton.setGraphic(Icons.of(Icons.PROMOTE));
    rollbackButton.setGraphic(Icons.of(Icons.ROLLBACK));
    rollbackToButton.setGraphic(Icons.of(Icons.ROLLBACK));
    openRunButton.setGraphic(Icons.of(Icons.RUNS));
    show(labelButton, model.canOnBinding(Permission.LABEL_VERSION, deviceBox.valueProperty()));
    labelButton.setOnAction(e -> editLabel());
    // an analyst sees the versions and the ledger without the actions; the role on the device's site counts
    show(promoteButton, model.canOnBinding(Permission.PROMOTE, deviceBox.valueProperty()));
    show(rollbackButton, model.canOnBinding(Permission.ROLLBACK, deviceBox.valueProperty()));
    show(rollbackToButton, model.canOnBinding(Permission.ROLLBACK, deviceBox.valueProperty()));
    promoteButton.setOnAction(e -> promoteSelected());
    rollbackButton.setOnAction(e -> rollbackToPrevious());
    rollbackToButton.setOnAction(e -> rollbackToSelected());
    openRunButton.setOnAction(e -> openRun());
    table.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> updateButtons());

    atField.setPromptText("yyyy-MM-dd HH:mm");
    // the rows under the lookup take space only while they say something
    atError.managedProperty().bind(atError.textProperty().isNotEmpty());
    atResult.managedProperty().bind(atResult.textProperty().isNotEmpty());
    atError.getParent().managedProperty().bind(atError.textProperty().isNotEmpty()
        .or(atResult.textProperty().isNotEmpty()));
    messageLabel.managedProperty().bind(messageLabel.textProperty().isNotEmpty());
    atField.setOnAction(e -> lookup());
    atButton.setOnAction(e -> lookup());
    atField.textProperty().addListener((o, was, now) -> atError.setText(""));

    deviceBox.valueProperty().addListener((o, was, id) -> {
      if (id != null && !id.equals(model.selectedDeviceProperty().get())) {
        model.selectedDeviceProperty().set(id);
      }
      if (id == null || !id.equals(was)) {
        items.clear();
        moves.clear();
        snapshot = null;
        atResult.setText("");
        refresh();
      }
    });
    model.selectedDeviceProperty().addListener((o, was, id) -> {
      if (id != null && deviceBox.getItems().contains(id)) {
        deviceBox.setValue(id);
      }
    });
    model.refreshRequestsProperty().addListener((o, was, now) -> refresh());
    model.siteProperty().addListener((o, was, now) -> loadDevices()); // the devices of the site now shown
    // coming back to the view: another view may have moved the pointer
    Polls.onReshown(table, this::loadDevices);
    updateButtons();
    loadDevices();
  }

  /** The snapshot shown now (tests read it). */
  public Snapshot snapshot() {
    return snapshot;
  }

  private void loadDevices() {
    model.loadDeviceIds(ids -> {
      String keep = deviceBox.getValue() != null ? deviceBox.getValue() : model.selectedDeviceProperty().get();
      if (!ids.equals(deviceBox.getItems())) {
        deviceBox.getItems().setAll(ids);
      }
      String pick = keep != null && ids.contains(keep) ? keep : ids.isEmpty() ? null : ids.get(0);
      if (pick != null && pick.equals(deviceBox.getValue())) {
        refresh();
      } else {
        deviceBox.setValue(pick);
      }
    }, e -> error("Could not list devices: " + message(e)));
  }

  /** Reloads the device's versions, pointer and ledger in the background; keeps the selected version. */
  public void refresh() {
    String device = deviceBox.getValue();
    if (device == null || model.executor().isShutdown()) {
      return;
    }
    if (loading != null && !loading.isDone()) {
      loading.cancel(false); // the device changed or an action finished: the newer read wins
    }
    loading = Tasks.<Snapshot>create(p -> VersionsViewModel.load(model.ctx(), device))
        .onSuccess(s -> {
          if (device.equals(deviceBox.getValue())) {
            apply(s);
          }
        })
        .onError(e -> error("Could not read the versions of " + device + ": " + message(e)))
        .runOn(model.executor());
  }

  private void apply(Snapshot s) {
    VersionItem selected = table.getSelectionModel().getSelectedItem();
    String keep = pendingSelection != null ? pendingSelection : selected == null ? null : selected.version();
    pendingSelection = null;
    snapshot = s;
    items.setAll(s.versions());
    moves.setAll(s.ledger());
    if (keep != null) {
      s.find(keep).ifPresent(v -> table.getSelectionModel().select(v));
    }
    Pointer p = s.pointer();
    pointerLabel.setText(p == null ? "No model in service"
        : "In service: " + p.version() + " since " + VersionsViewModel.when(p.promotedAt(), zone) + " by "
            + p.promotedBy());
    updateButtons();
  }

  private void updateButtons() {
    VersionItem v = table.getSelectionModel().getSelectedItem();
    Pointer p = snapshot == null ? null : snapshot.pointer();
    boolean usable = v != null && !acting && !v.inService() && v.file() == FileCheck.VERIFIED;
    promoteButton.setDisable(!usable);
    rollbackToButton.setDisable(!usable || !v.wasProduction() || p == null);
    rollbackButton.setDisable(acting || p == null || p.previousVersion() == null);
    rollbackButton.setTooltip(new Tooltip(p == null || p.previousVersion() == null ? "No previous production version"
        : "Back to " + p.previousVersion()));
    openRunButton.setDisable(v == null || v.runId() == null);
    labelButton.setDisable(v == null || acting);
    openRunButton.setTooltip(v == null || v.runId() == null ? null
        : new Tooltip("Show run " + v.runId() + ", which trained " + v.version()));
  }

  private void promoteSelected() {
    VersionItem v = table.getSelectionModel().getSelectedItem();
    if (v != null && snapshot != null) {
      confirm("promote", v.meta());
    }
  }

  private void rollbackToPrevious() {
    Pointer p = snapshot == null ? null : snapshot.pointer();
    if (p == null || p.previousVersion() == null) {
      return;
    }
    Optional<VersionItem> target = snapshot.find(p.previousVersion());
    if (target.isEmpty()) {
      error("The previous version " + p.previousVersion() + " has no meta file any more; pick another version");
      return;
    }
    confirm("rollback-previous", target.get().meta());
  }

  private void rollbackToSelected() {
    VersionItem v = table.getSelectionModel().getSelectedItem();
    if (v != null && snapshot != null) {
      confirm("rollback-to", v.meta());
    }
  }

  private void confirm(String action, ModelMeta to) {
    String device = snapshot.deviceId();
    ModelMeta from = snapshot.pointer() == null ? null
        : snapshot.find(snapshot.pointer().version()).map(VersionItem::meta).orElse(null);
    String rejection = snapshot.find(to.version()).map(VersionItem::rejection).orElse(null);
    ChangeDialog dialog = new ChangeDialog(table.getScene() == null ? null : table.getScene().getWindow(),
        action.startsWith("rollback") ? "rollback" : "promote", device, from, to, rejection, zone);
    // decision: show(), not showAndWait(): no nested event loop inside the click handler
    dialog.setOnHidden(e -> {
      String reason = dialog.getResult();
      if (reason != null) {
        act(action, device, to.version(), reason);
      } else {
        info("Nothing changed.");
      }
    });
    dialog.show();
  }

  private void act(String action, String device, String version, String reason) {
    acting = true;
    updateButtons();
    info("Working…");
    Tasks.<Pointer>create(p -> switch (action) {
          case "promote" -> model.ops().promote(model.actor(), device, version, reason);
          case "rollback-previous" -> model.ops().rollback(model.actor(), device, Optional.empty(), reason);
          default -> model.ops().rollback(model.actor(), device, Optional.of(version), reason);
        })
        .onSuccess(pointer -> {
          info((action.equals("promote") ? "Promoted " : "Rolled back to ") + pointer.version() + " (was "
              + (pointer.previousVersion() == null ? "none" : pointer.previousVersion()) + ").");
          pendingSelection = pointer.version();
        })
        .onError(e -> error(message(e)))
        .andFinally(() -> {
          acting = false;
          updateButtons();
          model.requestRefresh(); // every view (and this one) re-reads the pointer
        })
        .runOn(model.executor());
  }

  private void editLabel() {
    VersionItem v = table.getSelectionModel().getSelectedItem();
    if (v == null || snapshot == null) {
      return;
    }
    String device = snapshot.deviceId();
    LabelDialog dialog = new LabelDialog(table.getScene() == null ? null : table.getScene().getWindow(), device, v);
    dialog.setOnHidden(e -> {
      VersionNotes notes = dialog.getResult();
      if (notes == null) {
        info("Nothing changed.");
        return;
      }
      acting = true;
      updateButtons();
      info("Saving…");
      Tasks.<ModelMeta>create(p -> model.ops().labelVersion(model.actor(), device, v.version(), notes))
          .onSuccess(saved -> {
            info("Saved the label and tags of " + saved.version() + ".");
            pendingSelection = saved.version();
          })
          .onError(ex -> error(message(ex)))
          .andFinally(() -> {
            acting = false;
            updateButtons();
            refresh();
          })
          .runOn(model.executor());
    });
    dialog.show();
  }

  private void lookup() {
    String device = deviceBox.getValue();
    atResult.setText("");
    Instant at;
    try {
      at = VersionsViewModel.parseLocal(atField.getText(), zone);
    } catch (IllegalArgumentException e) {
      atError.setText(e.getMessage());
      return;
    }
    if (device == null) {
      return;
    }
    Tasks.<Optional<String>>create(p -> model.ctx().registry().versionAt(device, at))
        .onSuccess(v -> {
          if (v.isEmpty()) {
            atResult.setText("No model was in service for " + device + " at " + VersionsViewModel.when(at, zone) + ".");
            return;
          }
          atResult.setText(v.get() + " was in service at " + VersionsViewModel.when(at, zone) + ".");
          Optional<VersionItem> row = snapshot == null ? Optional.empty() : snapshot.find(v.get());
          row.ifPresentOrElse(r -> {
            table.getSelectionModel().select(r);
            table.scrollTo(r);
          }, () -> atResult.setText(atResult.getText() + " (its files were removed by retention)"));
        })
        .onError(e -> atError.setText(message(e)))
        .runOn(model.executor());
  }

  private void openRun() {
    VersionItem v = table.getSelectionModel().getSelectedItem();
    if (v != null && v.runId() != null) {
      model.openRun(v.runId());
    }
  }

  private void info(String text) {
    messageLabel.getStyleClass().remove("rc-error");
    messageLabel.setText(text);
  }

  private void error(String text) {
    if (!messageLabel.getStyleClass().contains("rc-error")) {
      messageLabel.getStyleClass().add("rc-error");
    }
    messageLabel.setText(text);
  }

  static String message(Throwable e) {
    Throwable t = e;
    while (t.getMessage() == null && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  private static void show(Button b, javafx.beans.value.ObservableBooleanValue visible) {
    b.visibleProperty().bind(visible);
    b.managedProperty().bind(visible);
  }

  private static void text(TableColumn<VersionItem, String> c, Function<VersionItem, String> f) {
    c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(f.apply(cell.getValue())));
  }

  private static void ledgerText(TableColumn<PointerMove, String> c, Function<PointerMove, String> f) {
    c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(f.apply(cell.getValue())));
  }

  private static final class ChampionCell extends TableCell<VersionItem, String> {
    @Override
    protected void updateItem(String text, boolean empty) {
      super.updateItem(text, empty);
      VersionItem v = empty || getTableRow() == null ? null : getTableRow().getItem();
      setText(empty ? null : text);
      setTooltip(v == null ? null : new Tooltip(VersionsViewModel.championDetail(v.meta())));
    }
  }

  /** The version id, marked when it is in service (icon) or was just before it (muted "previous"). */
  private static final class VersionCell extends TableCell<VersionItem, String> {
    @Override
    protected void updateItem(String version, boolean empty) {
      super.updateItem(version, empty);
      VersionItem v = empty || getTableRow() == null ? null : getTableRow().getItem();
      setText(empty ? null : version);
      setGraphic(v != null && v.inService() ? Icons.of(Icons.PROMOTE) : null);
      setTooltip(v == null ? null : wrapping(new Tooltip((v.inService() ? "In service now"
          : v.previous() ? "The previous production version (Roll back to previous returns to it)"
          : VersionsViewModel.stage(v)) + "\nTrainer: " + v.meta().trainer()
          + (v.runId() == null ? "" : "\nTrained by run " + v.runId())
          + (v.rejected() ? "\nNot promoted: " + v.rejection() : ""))));
    }
  }

  /** The stage; a rejected candidate says why its run did not promote it. */
  private static final class StageCell extends TableCell<VersionItem, String> {
    @Override
    protected void updateItem(String stage, boolean empty) {
      super.updateItem(stage, empty);
      VersionItem v = empty || getTableRow() == null ? null : getTableRow().getItem();
      setText(empty ? null : stage);
      pseudoClassStateChanged(REJECTED, v != null && v.rejected());
      setTooltip(v == null ? null : wrapping(new Tooltip(v.rejected() ? "Rejected by the promotion rule: "
          + v.rejection() : VersionsViewModel.stage(v))));
    }
  }

  /**
   * The label, then the tags as chips; cut to the column, so the tooltip has label, tags and note in full.
   */
  private static final class NotesCell extends TableCell<VersionItem, String> {
    NotesCell() {
      setContentDisplay(javafx.scene.control.ContentDisplay.RIGHT);
      setGraphicTextGap(6);
    }

    @Override
    protected void updateItem(String text, boolean empty) {
      super.updateItem(text, empty);
      VersionItem v = empty || getTableRow() == null ? null : getTableRow().getItem();
      setText(empty || text == null || text.isEmpty() ? null : text);
      if (v == null || v.meta().tags().isEmpty()) {
        setGraphic(null);
      } else {
        javafx.scene.layout.HBox chips = new javafx.scene.layout.HBox(4);
        for (String tag : v.meta().tags()) {
          Label chip = new Label(tag);
          chip.getStyleClass().add("rc-tag");
          chip.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE); // a tag is shown whole or not at all
          chips.getChildren().add(chip);
        }
        setGraphic(chips);
      }
      setTooltip(v == null || v.meta().notes().isEmpty() ? null
          : wrapping(new Tooltip(VersionsViewModel.notesDetail(v.meta()))));
    }
  }

  private static Tooltip wrapping(Tooltip t) {
    t.setWrapText(true);
    t.setMaxWidth(480);
    return t;
  }

  private static final class FileCell extends TableCell<VersionItem, FileCheck> {
    @Override
    protected void updateItem(FileCheck check, boolean empty) {
      super.updateItem(check, empty);
      getStyleClass().removeAll("rc-file-ok", "rc-file-bad");
      if (empty || check == null) {
        setText(null);
        setGraphic(null);
        return;
      }
      setText(VersionsViewModel.fileStatus(check));
      setGraphic(Icons.of(check == FileCheck.VERIFIED ? Icons.PROMOTE : Icons.WARNING));
      getStyleClass().add(check == FileCheck.VERIFIED ? "rc-file-ok" : "rc-file-bad");
    }
  }
}
