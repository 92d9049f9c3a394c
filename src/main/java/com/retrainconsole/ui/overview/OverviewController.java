package com.retrainconsole.ui.overview;

import com.retrainconsole.access.Permission;
import com.retrainconsole.ui.ConsoleModel;
import com.retrainconsole.ui.DeviceScope;
import com.retrainconsole.ui.Icons;
import com.retrainconsole.ui.Polls;
import com.retrainconsole.ui.Styles;
import com.retrainconsole.ui.Tasks;
import java.time.ZoneId;
import java.util.List;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.concurrent.Task;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.util.Duration;

/**
 * Overview: one row per device. Polls the store every {@link #POLL} in the background (no change streams on
 * the embedded server); a poll never overlaps the previous one and never replaces rows.
 */
public final class OverviewController {
  public static final Duration POLL = Duration.seconds(5);
  /** Width of the table's vertical scroll bar and borders, beside the columns. */
  private static final double SCROLL_BAR_ROOM = 20;

  private final ConsoleModel model;
  private final OverviewViewModel viewModel;
  private final Timeline poll;
  private Task<List<DeviceSnapshot>> loading;
  private boolean reloadAfter;

  @FXML private TableView<DeviceRow> table;
  @FXML private TableColumn<DeviceRow, String> deviceColumn;
  @FXML private TableColumn<DeviceRow, DeviceRow> modelColumn;
  @FXML private TableColumn<DeviceRow, List<Double>> trendColumn;
  @FXML private TableColumn<DeviceRow, DeviceRow> lastRunColumn;
  @FXML private TableColumn<DeviceRow, String> nextColumn;
  @FXML private TableColumn<DeviceRow, Number> alertsColumn;
  @FXML private TableColumn<DeviceRow, String> actionColumn;
  @FXML private Label updatedLabel;

  public OverviewController(ConsoleModel model) {
    this.model = model;
    this.viewModel = new OverviewViewModel(model.ctx().clock(), ZoneId.systemDefault());
    this.poll = Polls.every(POLL, this::refresh);
  }

  public OverviewViewModel viewModel() {
    return viewModel;
  }

  @FXML
  private void initialize() {
    table.setItems(viewModel.rows());
    // the constrained policy never scrolls sideways: the table asks for its columns' minimum width (and the
    // vertical scroll bar's) so the enclosing ScrollPane scrolls once the window is narrower
    table.setMinWidth(table.getColumns().stream().mapToDouble(TableColumn::getMinWidth).sum() + SCROLL_BAR_ROOM);
    deviceColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().getDeviceId()));
    modelColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
    modelColumn.setCellFactory(c -> new TwoLineCell(DeviceRow::modelProperty, r -> Bindings.createStringBinding(
        () -> r.maeProperty().get().isEmpty() ? "" : "MAE " + r.maeProperty().get() + " · " + r.modelAgeProperty().get()
            + (r.modelAgeProperty().get().equals("just now") ? "" : " old"), r.maeProperty(), r.modelAgeProperty()),
        false));
    modelColumn.setComparator(java.util.Comparator.comparing(DeviceRow::getModel));
    trendColumn.setCellValueFactory(c -> c.getValue().recentMaeProperty());
    trendColumn.setCellFactory(c -> new SparklineCell());
    trendColumn.setSortable(false);
    nextColumn.setCellValueFactory(c -> c.getValue().nextFireProperty());
    lastRunColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
    lastRunColumn.setCellFactory(c -> new TwoLineCell(DeviceRow::lastRunStatusProperty, r ->
        Bindings.createStringBinding(() -> r.lastRunTriggerProperty().get().isEmpty() ? ""
            : r.lastRunTriggerProperty().get() + " · " + r.lastRunWhenProperty().get(),
            r.lastRunTriggerProperty(), r.lastRunWhenProperty()), true));
    lastRunColumn.setComparator(java.util.Comparator.comparing(DeviceRow::getLastRunStatus));
    alertsColumn.setCellValueFactory(c -> c.getValue().openAlertsProperty());
    actionColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().getDeviceId()));
    actionColumn.setCellFactory(c -> new RetrainCell());
    actionColumn.setSortable(false);

    table.getSelectionModel().selectedItemProperty().addListener((o, was, row) ->
        model.selectedDeviceProperty().set(row == null ? null : row.getDeviceId()));
    // the shared selection may be set elsewhere (or restored); follow it when the row exists
    model.selectedDeviceProperty().addListener((o, was, id) -> select(id));
    viewModel.rows().addListener((ListChangeListener<DeviceRow>) c -> select(model.selectedDeviceProperty().get()));
    model.refreshRequestsProperty().addListener((o, was, now) -> refresh());
    model.siteProperty().addListener((o, was, now) -> {
      reloadAfter = true; // a load running now reads the old site's devices
      refresh();
    });
    // who may retrain which row is known once the devices' sites have loaded
    model.deviceSitesProperty().addListener((o, was, now) -> table.refresh());
    Polls.whileShowing(table, poll, this::refresh);
    refresh();
  }

  private void select(String deviceId) {
    DeviceRow selected = table.getSelectionModel().getSelectedItem();
    if (deviceId == null || selected != null && deviceId.equals(selected.getDeviceId())) {
      return;
    }
    viewModel.rows().stream().filter(r -> r.getDeviceId().equals(deviceId)).findFirst()
        .ifPresent(r -> table.getSelectionModel().select(r));
  }

  /** Starts a background reload unless one is in flight. */
  public void refresh() {
    if (model.executor().isShutdown()) {
      poll.stop(); // the console is closing
      return;
    }
    if (loading != null && !loading.isDone()) {
      return;
    }
    reloadAfter = false;
    DeviceScope scope = model.scope();
    loading = Tasks.<List<DeviceSnapshot>>create(p -> OverviewViewModel.load(model.ctx(), scope.devices()))
        .onSuccess(list -> {
          if (reloadAfter) {
            return; // the site changed while reading: the next load shows the right rows
          }
          viewModel.apply(list);
          updatedLabel.setText("Updated " + java.time.LocalTime.now().withNano(0) + " · refreshes every "
              + (int) POLL.toSeconds() + " s");
        })
        .onError(e -> updatedLabel.setText("Could not read the store: " + e.getMessage()))
        .andFinally(() -> {
          if (reloadAfter) {
            refresh();
          }
        })
        .runOn(model.executor());
  }

  private final class RetrainCell extends TableCell<DeviceRow, String> {
    private final Button button = new Button("Retrain", Icons.of(Icons.RETRAIN));

    RetrainCell() {
      button.getStyleClass().add(Styles.RETRAIN_BUTTON);
      button.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE); // never "Retr…" on a narrow screen
      button.disableProperty().bind(model.busyProperty());
      button.setOnAction(e -> {
        String id = getItem();
        if (id != null) {
          model.selectedDeviceProperty().set(id);
          model.retrain(id);
        }
      });
    }

    @Override
    protected void updateItem(String deviceId, boolean empty) {
      super.updateItem(deviceId, empty);
      if (empty || deviceId == null) {
        setGraphic(null);
      } else {
        button.setId("retrain-" + deviceId);
        // an analyst sees the table without the action; a role per site decides per row
        button.setVisible(model.canOn(Permission.RETRAIN, deviceId));
        setGraphic(button);
      }
    }
  }
}
