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
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableRow;
import javafx.scene.layout.HBox;
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
  private Task<OverviewViewModel.Loaded> loading;
  private boolean reloadAfter;

  @FXML private TableView<DeviceRow> table;
  @FXML private TableColumn<DeviceRow, DeviceRow> deviceColumn;
  @FXML private TableColumn<DeviceRow, DeviceRow> modelColumn;
  @FXML private TableColumn<DeviceRow, List<Double>> trendColumn;
  @FXML private TableColumn<DeviceRow, DeviceRow> lastRunColumn;
  @FXML private TableColumn<DeviceRow, String> nextColumn;
  @FXML private TableColumn<DeviceRow, Number> alertsColumn;
  @FXML private TableColumn<DeviceRow, String> actionColumn;
  @FXML private Label updatedLabel;
  @FXML private HBox schedulerBanner;
  @FXML private Label schedulerBannerText;
  @FXML private Button schedulerBannerButton;
  @FXML private HBox fleetTrendBox;
  private final FleetTrend fleetTrend = new FleetTrend();

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
    deviceColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
    deviceColumn.setCellFactory(c -> new DeviceCell());
    deviceColumn.setComparator(java.util.Comparator.comparing(DeviceRow::getDeviceId));
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

    table.setRowFactory(t -> retrainMenuRow());
    // only a role that may switch the console's scheduler is offered the way there
    schedulerBannerButton.setVisible(model.can(Permission.EDIT_SETTINGS));
    schedulerBannerButton.setManaged(model.can(Permission.EDIT_SETTINGS));
    fleetTrendBox.getChildren().setAll(fleetTrend.nodes());
    // the console's own scheduler starting or stopping changes the banner at once, not at the next poll
    model.schedulerOnProperty().addListener((o, was, now) -> {
      reloadAfter = loading != null && !loading.isDone();
      refresh();
    });

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
    loading = Tasks.<OverviewViewModel.Loaded>create(p -> OverviewViewModel.load(model.ctx(), scope.devices()))
        .onSuccess(loaded -> {
          if (reloadAfter) {
            return; // the site (or the scheduler) changed while reading: the next load shows the right state
          }
          viewModel.apply(loaded.devices(), loaded.schedulerAlive());
          showSchedulerBanner(loaded);
          fleetTrend.show(loaded.fleetMae());
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

  private void showSchedulerBanner(OverviewViewModel.Loaded loaded) {
    boolean show = loaded.enabledTriggers() > 0 && !loaded.schedulerAlive();
    schedulerBanner.setVisible(show);
    schedulerBanner.setManaged(show);
    if (show) {
      int n = loaded.enabledTriggers();
      schedulerBannerText.setText("The scheduler is off: " + n + " enabled trigger" + (n == 1 ? "" : "s")
          + " will not fire. Start it in Settings or run the scheduler service.");
    }
  }

  @FXML
  private void openSettings() {
    model.open(com.retrainconsole.ui.View.SETTINGS);
  }

  /** Right-click on a row: Retrain, or Retrain with options… (trainer, days, until, dry run). */
  private TableRow<DeviceRow> retrainMenuRow() {
    ContextMenu menu = new ContextMenu();
    TableRow<DeviceRow> row = new TableRow<>() {
      @Override
      protected void updateItem(DeviceRow item, boolean empty) {
        super.updateItem(item, empty);
        // decided per row at each update: the role per site is known once the devices' sites have loaded
        setContextMenu(!empty && item != null && model.canOn(Permission.RETRAIN, item.getDeviceId()) ? menu : null);
      }
    };
    MenuItem now = new MenuItem("Retrain");
    now.setOnAction(e -> {
      model.selectedDeviceProperty().set(row.getItem().getDeviceId());
      model.retrain(row.getItem().getDeviceId());
    });
    MenuItem options = new MenuItem("Retrain with options…");
    options.setId("overview-retrain-options");
    options.setOnAction(e -> {
      model.selectedDeviceProperty().set(row.getItem().getDeviceId());
      RetrainOptionsDialog.open(model, row.getItem().getDeviceId(), table.getScene().getWindow());
    });
    now.disableProperty().bind(model.busyProperty());
    options.disableProperty().bind(model.busyProperty());
    menu.getItems().setAll(now, options);
    return row;
  }

  /** The device id, and below it the age of its newest reading — "stale" in words and colour past the limit. */
  private static final class DeviceCell extends TableCell<DeviceRow, DeviceRow> {
    private final Label id = new Label();
    private final Label freshness = new Label();
    private final javafx.scene.layout.VBox box = new javafx.scene.layout.VBox(2, id, freshness);
    private final javafx.beans.value.ChangeListener<Boolean> onStale = (o, was, now) -> styleStale(now);
    private DeviceRow shown;

    DeviceCell() {
      freshness.getStyleClass().add(Styles.MUTED);
      freshness.setTooltip(new javafx.scene.control.Tooltip("Age of the newest reading; older than "
          + OverviewViewModel.STALE_AFTER.toHours() + " h is stale"));
    }

    private void styleStale(boolean stale) {
      freshness.getStyleClass().remove("rc-stale");
      if (stale) {
        freshness.getStyleClass().add("rc-stale");
      }
    }

    @Override
    protected void updateItem(DeviceRow row, boolean empty) {
      super.updateItem(row, empty);
      freshness.textProperty().unbind();
      if (shown != null) {
        shown.staleProperty().removeListener(onStale);
        shown = null;
      }
      if (empty || row == null) {
        setGraphic(null);
        return;
      }
      shown = row;
      id.setText(row.getDeviceId());
      freshness.textProperty().bind(row.freshnessProperty());
      row.staleProperty().addListener(onStale);
      styleStale(row.staleProperty().get());
      setGraphic(box);
    }
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
