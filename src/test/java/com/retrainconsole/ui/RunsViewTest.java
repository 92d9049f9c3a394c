package com.retrainconsole.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.runs.EnqueueRequest;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.ui.runs.RunRow;
import com.retrainconsole.ui.runs.RunsController;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.concurrent.Task;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.bson.Document;
import org.junit.jupiter.api.Test;

class RunsViewTest extends ConsoleFxTest {

  void openRuns() throws Exception {
    interact(() -> model.open(View.RUNS));
    waitUntil(10, () -> lookup("#runs-table").tryQuery().isPresent() && runsTable().getItems().size() > 0);
  }

  @SuppressWarnings("unchecked")
  TableView<RunRow> runsTable() {
    return (TableView<RunRow>) lookup("#runs-table").query();
  }

  RunsController controller() {
    Parent p = runsTable().getParent();
    while (p != null && !p.getProperties().containsKey(RunsController.class)) {
      p = p.getParent();
    }
    return (RunsController) p.getProperties().get(RunsController.class);
  }

  RunRow rowOf(String runId) {
    return runsTable().getItems().stream().filter(r -> r.getRunId().equals(runId)).findFirst().orElse(null);
  }

  String text(String id) {
    return lookup(id).tryQuery().map(n -> ((Label) n).getText()).orElse(null);
  }

  boolean detailShows(String runId) {
    return runId.equals(text("#run-detail-id"));
  }

  void select(String runId) throws Exception {
    waitUntil(10, () -> rowOf(runId) != null);
    interact(() -> runsTable().getSelectionModel().select(rowOf(runId)));
    waitUntil(10, () -> detailShows(runId));
  }

  @SuppressWarnings("unchecked")
  void choose(String comboId, String value) {
    interact(() -> ((ComboBox<String>) lookup(comboId).query()).setValue(value));
  }

  @Test
  void history_shows_the_fixture_run_of_tracker01_as_completed_with_its_metrics_beside_the_champion()
      throws Exception {
    Document fixture = ctx.runs().list("tracker01", RunStatus.COMPLETED, 10).get(0);
    String runId = fixture.getString("run_id");
    openRuns();
    select(runId);
    assertEquals("completed", rowOf(runId).getStatus());
    assertEquals("completed", text("#run-detail-status"));
    double mae = fixture.get("metrics", Document.class).getDouble("mae");
    assertEquals(String.format("%.1f W", mae), text("#run-detail-mae-candidate"));
    assertEquals(String.format("%.1f W", mae), rowOf(runId).maeProperty().get());
    assertTrue(lookup("#run-detail-decision").tryQuery().isPresent(), "no decision section");
    assertTrue(lookup("#run-detail-data").tryQuery().isPresent(), "no data window section");
    screenshot("runs-light");
    interact(() -> window.applyTheme(Theme.DARK));
    screenshot("runs-dark");
  }

  @Test
  void filters_by_device_and_status_narrow_the_rows_and_the_count() throws Exception {
    openRuns();
    long all = ctx.store().collection(com.retrainconsole.store.Collections.MODEL_RUNS).countDocuments();
    waitUntil(10, () -> text("#runs-total").startsWith(all + " run"));
    ctx.runs().finish(ctx.runs().startInline("tracker03", new Document("type", "manual"), new Document())
        .getString("run_id"), RunStatus.FAILED, new Document("error", "quality gate: too few rows"));
    interact(model::requestRefresh);
    choose("#runs-filter-device", "tracker03");
    waitUntil(10, () -> !runsTable().getItems().isEmpty()
        && runsTable().getItems().stream().allMatch(r -> r.getDevice().equals("tracker03")));
    long t3 = ctx.runs().list("tracker03", null, 1000).size();
    waitUntil(10, () -> text("#runs-total").startsWith(t3 + " run"));
    choose("#runs-filter-status", "completed");
    waitUntil(10, () -> runsTable().getItems().isEmpty() && text("#runs-total").startsWith("0 runs"));
    choose("#runs-filter-status", "failed");
    long failed = ctx.runs().list("tracker03", RunStatus.FAILED, 1000).size();
    waitUntil(10, () -> runsTable().getItems().size() == failed && text("#runs-total").startsWith(failed + " run"));
    assertTrue(runsTable().getItems().stream().allMatch(r -> r.getStatus().equals("failed")));
  }

  @Test
  void a_failed_run_shows_its_error_and_retry_queues_a_run_linked_to_it() throws Exception {
    String runId = ctx.runs().startInline("tracker03", new Document("type", "manual").append("actor", "test"),
        new Document("days", 5).append("trainer", "cart")).getString("run_id");
    ctx.runs().finish(runId, RunStatus.FAILED, new Document("error", "quality gate: irradiance_wm2 is 42% NaN"));
    openRuns();
    select(runId);
    assertEquals("quality gate: irradiance_wm2 is 42% NaN", text("#run-detail-error"));
    clickOn("#runs-retry");
    waitUntil(10, () -> text("#runs-action-message") != null && text("#runs-action-message").startsWith("Queued run"));
    List<Document> retries = ctx.store().collection(com.retrainconsole.store.Collections.MODEL_RUNS)
        .find(new Document("retry_of", runId)).into(new java.util.ArrayList<>());
    assertEquals(1, retries.size());
    assertEquals("pending", retries.get(0).getString("status"));
    assertEquals(2, retries.get(0).getInteger("attempt"));
    waitUntil(10, () -> lookup(".rc-runs-retried-by").tryQuery().isPresent());
    ctx.queue().requestCancel(retries.get(0).getString("run_id"), "test"); // leave no pending run behind
  }

  @Test
  void cancel_on_a_pending_queued_run_cancels_it() throws Exception {
    String runId = ctx.queue().enqueue(EnqueueRequest.manual("tracker03", new RunRecord.Params(5, null, null, false), "test",
        "queued for the cancel test")).runId();
    openRuns();
    select(runId);
    assertEquals("pending", text("#run-detail-status"));
    clickOn("#runs-cancel");
    waitUntil(10, () -> ("run " + runId + " cancelled").equals(text("#runs-action-message")));
    assertEquals("cancelled", ctx.runs().require(runId).getString("status"));
    waitUntil(10, () -> "cancelled".equals(rowOf(runId).getStatus()) && "cancelled".equals(text("#run-detail-status")));
  }

  @Test
  void export_writes_a_header_and_one_line_per_matching_run() throws Exception {
    openRuns();
    choose("#runs-filter-device", "tracker01");
    long expected = ctx.runs().list("tracker01", null, 10_000).size();
    waitUntil(10, () -> text("#runs-total").startsWith(expected + " run"));
    Path out = root.resolve("export/runs.csv");
    Task<Long>[] task = new Task[1];
    interact(() -> task[0] = controller().exportCsv(out));
    waitUntil(20, () -> task[0].isDone());
    assertEquals(Long.valueOf(expected), task[0].get());
    try (Reader r = Files.newBufferedReader(out)) {
      List<CSVRecord> records = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
          .parse(r).getRecords();
      assertEquals(expected, records.size());
      assertTrue(records.stream().allMatch(rec -> rec.get("device_id").equals("tracker01")));
      String fixture = ctx.runs().list("tracker01", RunStatus.COMPLETED, 1).get(0).getString("run_id");
      assertTrue(records.stream().anyMatch(rec -> rec.get("run_id").equals(fixture) && !rec.get("mae_w").isEmpty()));
    }
  }

  @Test
  void open_run_from_another_view_clears_a_hiding_filter_and_selects_the_run() throws Exception {
    openRuns();
    choose("#runs-filter-device", "tracker02");
    String runId = ctx.runs().list("tracker01", null, 1).get(0).getString("run_id");
    interact(() -> model.openRun(runId));
    waitUntil(10, () -> detailShows(runId));
    RunRow sel = runsTable().getSelectionModel().getSelectedItem();
    assertNotNull(sel);
    assertEquals(runId, sel.getRunId());
    assertEquals("All devices", ((ComboBox<?>) lookup("#runs-filter-device").query()).getValue());
    assertFalse(lookup("#runs-cancel").tryQuery().map(Node::isDisabled).orElse(false) == false
        && "completed".equals(sel.getStatus()), "cancel enabled on a completed run");
  }
}
