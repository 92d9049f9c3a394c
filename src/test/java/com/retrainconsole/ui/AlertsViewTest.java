package com.retrainconsole.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.alerts.AlertTypes;
import com.retrainconsole.ui.alerts.AlertRow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import org.bson.Document;
import org.junit.jupiter.api.Test;

class AlertsViewTest extends ConsoleFxTest {

  @Test
  void a_raised_alert_shows_as_open_and_acknowledging_with_a_reason_records_actor_and_reason() throws Exception {
    String runId = ctx.runs().list("tracker01", null, 1).get(0).getString("run_id");
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("run_id", runId);
    details.put("r2", 0.41);
    details.put("min_r2", 0.6);
    String alertId = ctx.alerts().raiseAlert(AlertTypes.LOW_ACCURACY, "tracker01", "test-low-" + UUID.randomUUID(),
        "Run " + runId + " of tracker01: R² 0.41 is below 0.60", details).getString("alert_id");

    clickOn("#nav-ALERTS");
    waitUntil(10, () -> alert(alertId) != null);
    assertEquals("open", alert(alertId).getStatus());
    assertEquals(AlertTypes.LOW_ACCURACY, alert(alertId).typeProperty().get());
    AlertRow selected = alert(alertId);
    clickOn(cellOf(alertId));
    waitUntil(5, () -> table().getSelectionModel().getSelectedItem() == selected);
    waitUntil(5, () -> lookup("#alert-run-" + runId).tryQuery().isPresent());
    assertEquals("0.4100", this.<Label>node("#alert-detail-r2").getText());
    Button ack = node("#alerts-ack");
    assertTrue(ack.isDisabled(), "Acknowledge is enabled without a reason");
    screenshot("alerts-light");

    clickOn("#alerts-ack-reason").write("known: cloudy week");
    assertFalse(ack.isDisabled());
    clickOn("#alerts-ack");

    waitUntil(15, () -> "acknowledged".equals(alert(alertId).getStatus()));
    Document stored = ctx.alerts().find(alertId).orElseThrow();
    assertEquals("acknowledged", stored.getString("status"));
    assertEquals(model.actor().user(), stored.getString("acked_by"));
    assertEquals("known: cloudy week", stored.getString("ack_reason"));
    assertNotNull(stored.getDate("acked_at"));
    assertSame(selected, table().getSelectionModel().getSelectedItem(), "the poll lost the selection");
    waitUntil(5, () -> this.<Label>node("#alerts-detail-state").getText().contains("known: cloudy week"));

    interact(() -> window.applyTheme(Theme.DARK));
    screenshot("alerts-dark");
    clickOn("#alert-run-" + runId);
    assertEquals(runId, model.focusedRunProperty().get());
    assertEquals(View.RUNS, window.currentView());
  }

  @Test
  void the_status_filter_hides_acknowledged_alerts_and_the_device_filter_other_devices() throws Exception {
    String open = ctx.alerts().raiseAlert(AlertTypes.TRAINING_FAILURE, "tracker02", "test-fail-" + UUID.randomUUID(),
        "2 of 3 runs failed", Map.of("failed", 2, "runs", 3)).getString("alert_id");
    String other = ctx.alerts().raiseAlert(AlertTypes.STUCK_JOB, "tracker03", "test-stuck-" + UUID.randomUUID(),
        "run waited 40 min", Map.of()).getString("alert_id");
    ctx.alerts().ack(other, "someone", "looked at it");

    clickOn("#nav-ALERTS");
    waitUntil(10, () -> alert(open) != null && alert(other) != null);
    interact(() -> this.<javafx.scene.control.ComboBox<Object>>node("#alerts-status").getSelectionModel().select(1));
    waitUntil(10, () -> alert(other) == null && alert(open) != null);
    interact(() -> this.<javafx.scene.control.ComboBox<String>>node("#alerts-device").setValue("tracker03"));
    waitUntil(10, () -> table().getItems().isEmpty());
    interact(() -> this.<javafx.scene.control.ComboBox<Object>>node("#alerts-status").getSelectionModel().select(0));
    waitUntil(10, () -> alert(other) != null && alert(open) == null);
  }

  private javafx.scene.Node cellOf(String alertId) {
    AlertRow r = alert(alertId);
    return lookup(".table-cell").match(n -> n instanceof javafx.scene.control.TableCell<?, ?> c
        && c.getTableRow() != null && c.getTableRow().getItem() == r).query();
  }

  @SuppressWarnings("unchecked")
  private <T extends javafx.scene.Node> T node(String query) {
    return (T) lookup(query).query();
  }

  private TableView<AlertRow> table() {
    return node("#alerts-table");
  }

  private AlertRow alert(String alertId) {
    List<AlertRow> rows = List.copyOf(table().getItems());
    return rows.stream().filter(r -> r.getAlertId().equals(alertId)).findFirst().orElse(null);
  }
}
