package com.retrainconsole.ui.alerts;

import com.retrainconsole.access.Permission;
import com.retrainconsole.alerts.AlertService;
import com.retrainconsole.alerts.AlertService.StatusFilter;
import com.retrainconsole.ui.ConsoleModel;
import com.retrainconsole.ui.DeviceScope;
import com.retrainconsole.ui.Icons;
import com.retrainconsole.ui.Polls;
import com.retrainconsole.ui.Styles;
import com.retrainconsole.ui.Tasks;
import com.retrainconsole.ui.alerts.AlertsViewModel.Query;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.concurrent.Task;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import javafx.util.StringConverter;
import org.bson.Document;

/**
 * Alerts: open and acknowledged (or any status) per device, polled every {@link #POLL} while the view is in
 * the scene, rows updated in place keeping the selection. The detail shows the details map, links to the
 * runs behind the alert and an Acknowledge with a required reason (operator and up).
 */
public final class AlertsController {
  public static final Duration POLL = Duration.seconds(5);
  private static final String ALL_DEVICES = "All devices";

  private final ConsoleModel model;
  private final AlertsViewModel viewModel = new AlertsViewModel(ZoneId.systemDefault());
  private final Timeline poll;
  private Task<List<Document>> loading;
  private boolean reloadAfter;
  private boolean acking;

  @FXML private ComboBox<StatusFilter> statusBox;
  @FXML private ComboBox<String> deviceBox;
  @FXML private Label updatedLabel;
  @FXML private TableView<AlertRow> table;
  @FXML private TableColumn<AlertRow, String> typeColumn;
  @FXML private TableColumn<AlertRow, String> deviceColumn;
  @FXML private TableColumn<AlertRow, String> raisedColumn;
  @FXML private TableColumn<AlertRow, String> lastSeenColumn;
  @FXML private TableColumn<AlertRow, Number> countColumn;
  @FXML private TableColumn<AlertRow, String> statusColumn;
  @FXML private TableColumn<AlertRow, String> messageColumn;
  @FXML private VBox detail;
  @FXML private Label detailTitle;
  @FXML private Label detailMessage;
  @FXML private Label detailState;
  @FXML private Label detailsHeading;
  @FXML private GridPane detailsGrid;
  @FXML private Label runsHeading;
  @FXML private FlowPane runLinks;
  @FXML private VBox ackBox;
  @FXML private TextField ackReason;
  @FXML private Button ackButton;
  @FXML private Label actionMessage;

  public AlertsController(ConsoleModel model) {
    this.model = model;
    this.poll = Polls.every(POLL, this::refresh);
  }

  public AlertsViewModel viewModel() {
    return viewModel;
  }

  @FXML
  private void initialize() {
    table.setItems(viewModel.rows());
    table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    typeColumn.setCellValueFactory(c -> c.getValue().typeProperty());
    deviceColumn.setCellValueFactory(c -> c.getValue().deviceProperty());
    raisedColumn.setCellValueFactory(c -> c.getValue().raisedProperty());
    lastSeenColumn.setCellValueFactory(c -> c.getValue().lastSeenProperty());
    countColumn.setCellValueFactory(c -> c.getValue().countProperty());
    statusColumn.setCellValueFactory(c -> c.getValue().statusProperty());
    statusColumn.setCellFactory(c -> new StatusCell());
    messageColumn.setCellValueFactory(c -> c.getValue().messageProperty());
    messageColumn.setCellFactory(c -> new MessageCell());

    statusBox.getItems().setAll(StatusFilter.ACTIVE, StatusFilter.OPEN, StatusFilter.ACKNOWLEDGED,
        StatusFilter.RESOLVED, StatusFilter.ALL);
    statusBox.setConverter(new StringConverter<>() {
      @Override
      public String toString(StatusFilter f) {
        return f == null ? "" : switch (f) {
          case ACTIVE -> "Open and acknowledged";
          case OPEN -> "Open";
          case ACKNOWLEDGED -> "Acknowledged";
          case RESOLVED -> "Resolved";
          case ALL -> "All";
        };
      }

      @Override
      public StatusFilter fromString(String s) {
        return null;
      }
    });
    statusBox.setValue(StatusFilter.ACTIVE);
    deviceBox.getItems().setAll(ALL_DEVICES);
    deviceBox.setValue(ALL_DEVICES);
    statusBox.valueProperty().addListener((o, was, now) -> reload());
    deviceBox.valueProperty().addListener((o, was, now) -> {
      if (now != null) {
        reload();
      }
    });

    // an analyst reads alerts without the action; a role per site decides per alert
    ackBox.visibleProperty().bind(Bindings.createBooleanBinding(() -> {
      AlertRow row = table.getSelectionModel().getSelectedItem();
      Document doc = row == null ? null : row.getDoc();
      if (doc == null) {
        return model.can(Permission.ACK_ALERT);
      }
      String device = doc.getString("device_id");
      // an alert about no device (the scheduler, the store) concerns the whole fleet
      return device == null ? model.canFleetWide(Permission.ACK_ALERT) : model.canOn(Permission.ACK_ALERT, device);
    }, table.getSelectionModel().selectedItemProperty(), model.siteProperty(), model.deviceSitesProperty()));
    ackBox.managedProperty().bind(ackBox.visibleProperty());
    ackButton.setGraphic(Icons.of(Icons.PROMOTE));
    ackButton.setOnAction(e -> acknowledge());
    ackReason.setOnAction(e -> acknowledge());
    ackReason.textProperty().addListener((o, was, now) -> updateAck());
    actionMessage.managedProperty().bind(actionMessage.textProperty().isNotEmpty());

    javafx.beans.value.ChangeListener<Document> docChanged =
        (o, was, now) -> showDetail(table.getSelectionModel().getSelectedItem());
    table.getSelectionModel().selectedItemProperty().addListener((o, was, row) -> {
      // the detail follows the selected alert when a poll or an ack updates it in place
      if (was != null) {
        was.docProperty().removeListener(docChanged);
      }
      if (row != null) {
        row.docProperty().addListener(docChanged);
      }
      if (was != row) {
        ackReason.clear();
        actionMessage.setText("");
      }
      showDetail(row);
    });
    model.refreshRequestsProperty().addListener((o, was, now) -> refresh());
    model.siteProperty().addListener((o, was, now) -> {
      loadDevices();
      reload();
    });
    Polls.whileShowing(table, poll, () -> {
      loadDevices();
      refresh();
    });
    showDetail(null);
    loadDevices();
    refresh();
  }

  private void loadDevices() {
    model.loadDeviceIds(ids -> {
      String keep = deviceBox.getValue();
      List<String> items = new java.util.ArrayList<>();
      items.add(ALL_DEVICES);
      items.addAll(ids);
      if (!items.equals(deviceBox.getItems())) {
        deviceBox.getItems().setAll(items);
        deviceBox.setValue(keep != null && items.contains(keep) ? keep : ALL_DEVICES);
      }
    }, e -> updatedLabel.setText("Could not list devices: " + message(e)));
  }

  private void reload() {
    reloadAfter = loading != null && !loading.isDone();
    refresh();
  }

  /** Reads the alerts matching the filters in the background; a poll never overlaps the previous one. */
  public void refresh() {
    if (model.executor().isShutdown()) {
      poll.stop(); // the console is closing
      return;
    }
    if (loading != null && !loading.isDone()) {
      return;
    }
    Query q = query();
    DeviceScope scope = model.scope();
    loading = Tasks.<List<Document>>create(p -> AlertsViewModel.load(model.ctx(), q,
            scope.deviceIds().orElse(null)))
        .onSuccess(docs -> {
          if (!scope.equals(model.scope())) {
            viewModel.rows().clear(); // the site changed while reading: these rows may belong to another
            return;
          }
          if (!q.equals(query())) {
            viewModel.rows().clear(); // filters changed while reading: drop rows of the old query
          }
          apply(docs);
          updatedLabel.setText("Updated " + LocalTime.now().withNano(0) + " · refreshes every "
              + (int) POLL.toSeconds() + " s");
        })
        .onError(e -> updatedLabel.setText("Could not read alerts: " + message(e)))
        .andFinally(() -> {
          if (reloadAfter || !q.equals(query()) || !scope.equals(model.scope())) {
            reloadAfter = false;
            refresh();
          }
        })
        .runOn(model.executor());
  }

  private void apply(List<Document> docs) {
    AlertRow selected = table.getSelectionModel().getSelectedItem();
    viewModel.apply(docs);
    if (selected != null && table.getSelectionModel().getSelectedItem() != selected
        && viewModel.rows().contains(selected)) {
      table.getSelectionModel().select(selected);
    }
  }

  private Query query() {
    String device = deviceBox.getValue();
    return new Query(statusBox.getValue() == null ? StatusFilter.ACTIVE : statusBox.getValue(),
        device == null || ALL_DEVICES.equals(device) ? null : device);
  }

  private void showDetail(AlertRow row) {
    Document d = row == null ? null : row.getDoc();
    detailsGrid.getChildren().clear();
    runLinks.getChildren().clear();
    boolean has = d != null;
    for (var n : List.of(detailMessage, detailState, detailsHeading, detailsGrid, runsHeading, runLinks)) {
      n.setVisible(has);
    }
    if (!has) {
      detailTitle.setText("Select an alert to see its details.");
      detailMessage.setText("");
      detailState.setText("");
      updateAck();
      return;
    }
    detailTitle.setText(d.getString("type") + " on " + d.getString("device_id") + " · " + d.getString("alert_id"));
    detailMessage.setText(d.getString("message"));
    StringBuilder state = new StringBuilder("Raised " + viewModel.when(d.getDate("first_seen")) + ", last seen "
        + viewModel.when(d.getDate("last_seen")) + ", seen " + row.countProperty().get() + " time(s). Status: "
        + d.getString("status") + ".");
    if (d.getString("acked_by") != null) {
      state.append("\nAcknowledged by ").append(d.getString("acked_by")).append(" at ")
          .append(viewModel.when(d.getDate("acked_at"))).append(": ").append(d.getString("ack_reason"));
    }
    if (d.getString("resolved_by") != null) {
      state.append("\nResolved by ").append(d.getString("resolved_by")).append(" at ")
          .append(viewModel.when(d.getDate("resolved_at"))).append(": ").append(d.getString("resolve_reason"));
    }
    detailState.setText(state.toString());
    Document details = d.get("details", Document.class);
    int r = 0;
    if (details != null) {
      for (Map.Entry<String, Object> e : details.entrySet()) {
        if ("run_id".equals(e.getKey()) || "run_ids".equals(e.getKey())) {
          continue; // shown as links
        }
        Label key = new Label(e.getKey().replace('_', ' '));
        key.getStyleClass().add("rc-field-label");
        Label value = new Label(viewModel.value(e.getValue()));
        value.setWrapText(true);
        value.setId("alert-detail-" + e.getKey());
        detailsGrid.addRow(r++, key, value);
      }
    }
    if (r == 0) {
      detailsGrid.addRow(0, new Label("No details recorded."));
    }
    List<String> runs = AlertsViewModel.runIds(d);
    for (String runId : runs) {
      Hyperlink link = new Hyperlink(runId);
      link.setId("alert-run-" + runId);
      link.setTooltip(new Tooltip("Show run " + runId + " in the run history"));
      link.setOnAction(e -> model.openRun(runId));
      runLinks.getChildren().add(link);
    }
    if (runs.isEmpty()) {
      runLinks.getChildren().add(new Label("No runs are linked to this alert."));
    }
    updateAck();
  }

  private void updateAck() {
    AlertRow row = table.getSelectionModel().getSelectedItem();
    boolean open = row != null && AlertService.OPEN.equals(row.getStatus());
    ackReason.setDisable(!open || acking);
    ackButton.setDisable(!open || acking || ackReason.getText() == null || ackReason.getText().isBlank());
  }

  private void acknowledge() {
    AlertRow row = table.getSelectionModel().getSelectedItem();
    if (row == null || ackButton.isDisabled()) {
      return;
    }
    String alertId = row.getAlertId();
    String reason = ackReason.getText().trim();
    acking = true;
    updateAck();
    Tasks.<Document>create(p -> model.ops().ackAlert(model.actor(), alertId, reason))
        .onSuccess(doc -> {
          ackReason.clear();
          setMessage("Acknowledged " + alertId + ".", false);
        })
        .onError(e -> setMessage(message(e), true))
        .andFinally(() -> {
          acking = false;
          updateAck();
          reload();
        })
        .runOn(model.executor());
  }

  private void setMessage(String text, boolean error) {
    actionMessage.getStyleClass().remove("rc-error");
    if (error) {
      actionMessage.getStyleClass().add("rc-error");
    }
    actionMessage.setText(text);
  }

  static String message(Throwable e) {
    Throwable t = e;
    while (t.getMessage() == null && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  private static final class StatusCell extends TableCell<AlertRow, String> {
    @Override
    protected void updateItem(String status, boolean empty) {
      super.updateItem(status, empty);
      getStyleClass().removeIf(s -> s.startsWith("rc-alert-"));
      if (empty || status == null) {
        setText(null);
        setGraphic(null);
      } else {
        setText(status);
        getStyleClass().add("rc-alert-" + status);
        setGraphic(AlertService.OPEN.equals(status) ? Icons.of(Icons.WARNING) : null);
      }
    }
  }

  private static final class MessageCell extends TableCell<AlertRow, String> {
    @Override
    protected void updateItem(String message, boolean empty) {
      super.updateItem(message, empty);
      setText(empty ? null : message);
      setTooltip(empty || message == null || message.isEmpty() ? null : new Tooltip(message));
    }
  }
}
