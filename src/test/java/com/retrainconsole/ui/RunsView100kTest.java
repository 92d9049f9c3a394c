package com.retrainconsole.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.model.Filters;
import com.retrainconsole.store.Collections;
import com.retrainconsole.ui.runs.RunRow;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The history over 100k generated runs (8 devices, all statuses and trigger types, a year of dates). */
class RunsView100kTest extends ConsoleFxTest {
  static final int N = 100_000;

  @BeforeAll
  static void generate_runs() {
    // decision: ends a day before the fixture's own runs, so they stay the newest
    RunsViewBench.generate(ctx.store(), N, Instant.now().minus(1, ChronoUnit.DAYS), 7);
  }

  @SuppressWarnings("unchecked")
  TableView<RunRow> runsTable() {
    return (TableView<RunRow>) lookup("#runs-table").query();
  }

  String total() {
    return ((Label) lookup("#runs-total").query()).getText();
  }

  @Test
  void opens_filters_sorts_and_pages_a_hundred_thousand_runs() throws Exception {
    var runs = ctx.store().collection(Collections.MODEL_RUNS);
    long all = runs.countDocuments();
    interact(() -> model.open(View.RUNS));
    waitUntil(30, () -> lookup("#runs-table").tryQuery().isPresent() && runsTable().getItems().size() == 100
        && total().equals(String.format("%,d runs", all)));
    // newest first: the first row is the newest queued run in the store
    String newest = runs.find().sort(new Document("queued_at", -1)).first().getString("run_id");
    assertEquals(newest, runsTable().getItems().get(0).getRunId());

    String device = RunsViewBench.DEVICES.get(3);
    interact(() -> ((ComboBox<String>) lookup("#runs-filter-device").query()).setValue(device));
    interact(() -> ((ComboBox<String>) lookup("#runs-filter-status").query()).setValue("failed"));
    long expected = runs.countDocuments(Filters.and(Filters.eq("device_id", device), Filters.eq("status", "failed")));
    // the total and the rows are set one after the other on the FX thread: wait for both
    waitUntil(30, () -> total().equals(String.format("%,d runs", expected)) && runsTable().getItems().size() == 100
        && runsTable().getItems().stream().allMatch(r -> r.getDevice().equals(device)
            && r.getStatus().equals("failed")));

    // sort by device ascending through the header's sort order: the query sorts, rows follow
    interact(() -> ((ComboBox<String>) lookup("#runs-filter-device").query()).setValue("All devices"));
    TableColumn<RunRow, ?> deviceColumn = runsTable().getColumns().get(1);
    interact(() -> {
      deviceColumn.setSortType(TableColumn.SortType.ASCENDING);
      runsTable().getSortOrder().setAll(List.of(deviceColumn));
    });
    long failedAll = runs.countDocuments(Filters.eq("status", "failed"));
    String firstDevice = RunsViewBench.DEVICES.stream().sorted().findFirst().orElseThrow();
    waitUntil(60, () -> total().equals(String.format("%,d runs", failedAll)) && runsTable().getItems().size() == 100
        && runsTable().getItems().stream().allMatch(r -> r.getDevice().equals(firstDevice)));

    // last page of that order holds the rest
    clickOn("#runs-last");
    long lastPageRows = failedAll % 100 == 0 ? 100 : failedAll % 100;
    String lastDevice = RunsViewBench.DEVICES.stream().sorted().reduce((a, b) -> b).orElseThrow();
    waitUntil(60, () -> runsTable().getItems().size() == lastPageRows
        && runsTable().getItems().stream().allMatch(r -> r.getDevice().equals(lastDevice)));
    screenshot("runs-100k-light");
  }
}
