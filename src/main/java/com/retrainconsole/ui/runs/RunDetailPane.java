package com.retrainconsole.ui.runs;

import com.retrainconsole.access.Permission;
import com.retrainconsole.runs.RunDetail;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.ui.ConsoleModel;
import com.retrainconsole.ui.Icons;
import com.retrainconsole.ui.Styles;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javafx.geometry.HPos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.bson.Document;

/** Builds the detail pane of one run: sections of label/value rows; ids on the nodes tests read. */
final class RunDetailPane {
  private final RunsController controller;
  private final RunsViewModel.Format fmt;
  private final ConsoleModel model;

  RunDetailPane(RunsController controller, RunsViewModel.Format fmt, ConsoleModel model) {
    this.controller = controller;
    this.fmt = fmt;
    this.model = model;
  }

  void fill(VBox pane, RunDetail d) {
    List<Node> nodes = new ArrayList<>();
    if (d == null) {
      Label hint = new Label("Select a run to see its parameters, metrics, decision and log.");
      hint.getStyleClass().add("rc-muted");
      hint.setWrapText(true);
      pane.getChildren().setAll(hint);
      return;
    }
    RunRecord r = d.run();
    String runId = r.runId();
    RunStatus status = r.status();
    String statusText = status == null ? "" : status.wire();
    Label title = new Label(runId);
    title.setId("run-detail-id");
    title.getStyleClass().add("rc-runs-detail-title");
    title.setWrapText(true);
    Label statusLabel = new Label(statusText.replace('_', ' '));
    statusLabel.setId("run-detail-status");
    statusLabel.getStyleClass().addAll("rc-runs-badge", Styles.status(status == null ? null : statusText.replace('_', '-')));
    Label device = new Label(fmt.str(r.deviceId()));
    device.getStyleClass().add("rc-runs-detail-device");
    HBox head = new HBox(12, statusLabel, device);
    if (r.dryRun()) {
      Label dry = new Label("dry run");
      dry.setId("run-detail-dry-run");
      dry.getStyleClass().add("rc-runs-dry-run");
      dry.setTooltip(new javafx.scene.control.Tooltip("Trained and scored only: a dry run never puts a model"
          + " into service" + (r.decision() != null && r.decision().wouldPromote() != null
          ? (r.decision().wouldPromote() ? " (this one would have been promoted)." : " (this one would not have been promoted).")
          : ".")));
      head.getChildren().add(1, dry);
    }
    head.getStyleClass().add("rc-runs-detail-head");
    nodes.add(title);
    nodes.add(head);
    nodes.add(actions(runId, status, r.deviceId()));

    RunRecord.Trigger trigger = r.trigger() != null ? r.trigger() : new RunRecord.Trigger(null, null, null, null);
    GridPane why = grid("run-detail-trigger");
    row(why, "Trigger", fmt.str(trigger.type()));
    row(why, "Reason", fmt.str(trigger.reason()));
    row(why, "Requested by", fmt.str(trigger.actor()));
    if (trigger.triggerId() != null) {
      row(why, "Trigger id", trigger.triggerId());
    }
    Document ev = d.triggerEvent();
    if (ev != null) {
      row(why, "Evaluated", fmt.when(ev.getDate("at")) + (ev.getDate("scheduled_for") == null ? ""
          : " (slot " + fmt.when(ev.getDate("scheduled_for")) + ")"));
      if (ev.get("value") != null || ev.get("threshold") != null) {
        row(why, "Value / threshold", fmt.number(ev.get("value"), "%.3f") + " / "
            + fmt.number(ev.get("threshold"), "%.3f"));
      }
      row(why, "Evaluation", fmt.str(ev.get("reason")));
    } else if (trigger.triggerId() != null) {
      row(why, "Evaluation", "not kept (pruned or never written)");
    }
    section(nodes, "Why it ran", why);

    RunRecord.Params params = r.params() != null ? r.params() : RunRecord.Params.none();
    GridPane p = grid("run-detail-params");
    row(p, "Trainer", fmt.str(params.trainer()));
    row(p, "Window", params.days() == null ? "" : params.days() + " days");
    row(p, "Until", params.until() != null ? fmt.when(params.until()) : "newest reading");
    row(p, "Dry run", params.dryRun() ? "yes" : "no");
    if (r.trainerParams() != null && !r.trainerParams().isEmpty()) {
      row(p, "Trainer params", r.trainerParams().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .reduce((a, b) -> a + ", " + b).orElse(""));
    }
    row(p, "Attempt", String.valueOf(r.attempt()));
    section(nodes, "Parameters", p);

    RunRecord.Data data = r.data();
    if (data != null) {
      GridPane g = grid("run-detail-data");
      row(g, "From", fmt.when(data.from()));
      row(g, "To", fmt.when(data.to()));
      row(g, "Rows", String.format("%s (train %s, test %s)", fmt.str(data.rows()), fmt.str(data.trainRows()),
          fmt.str(data.testRows())));
      section(nodes, "Data window", g);
    }

    if (r.metrics() != null) {
      section(nodes, "Metrics vs champion", metrics(r));
    }

    RunRecord.Decision decision = r.decision();
    if (decision != null) {
      GridPane g = grid("run-detail-decision");
      row(g, "Promoted", decision.isPromoted() ? "yes" : "no");
      row(g, "Reason", fmt.str(decision.reason()));
      if (r.modelVersion() != null) {
        row(g, "Model", r.modelVersion());
      }
      section(nodes, "Decision", g);
    }

    if (r.error() != null) {
      Label err = new Label(r.error());
      err.setId("run-detail-error");
      err.setWrapText(true);
      err.getStyleClass().add("rc-runs-error");
      section(nodes, "Error", err);
    }

    GridPane log = grid("run-detail-log");
    row(log, "Queued", fmt.when(r.queuedAt()));
    row(log, "Started", fmt.when(r.startedAt()));
    RunRecord.Progress progress = r.progress();
    if (progress != null && status != null && !status.isFinal()) {
      row(log, "Stage", fmt.str(progress.stage()) + " · " + fmt.number(progress.fraction() == null ? null
          : progress.fraction() * 100, "%.0f") + " %");
    }
    if (r.release() != null && r.release().reason() != null) {
      row(log, "Released", fmt.when(r.release().at()) + " · " + r.release().reason());
    }
    if (r.cancel() != null && r.cancel().requested()) {
      row(log, "Cancel requested", fmt.str(r.cancel().by()) + " " + fmt.when(r.cancel().at()));
    }
    if (r.warnings() != null) {
      for (String w : r.warnings()) {
        row(log, "Warning", fmt.str(w));
      }
    }
    row(log, "Finished", fmt.when(r.finishedAt()));
    row(log, "Duration", fmt.duration(r.durationMs()));
    section(nodes, "Log", log);

    if (r.retryOf() != null || !d.retries().isEmpty()) {
      FlowPane links = new FlowPane(8, 4);
      links.setId("run-detail-links");
      if (r.retryOf() != null) {
        links.getChildren().add(new Label("Retry of"));
        Hyperlink l = new Hyperlink(r.retryOf());
        l.setId("run-detail-retry-of");
        l.setOnAction(e -> controller.open(r.retryOf()));
        links.getChildren().add(l);
      }
      if (!d.retries().isEmpty()) {
        links.getChildren().add(new Label("Retried by"));
        for (String id : d.retries()) {
          Hyperlink l = new Hyperlink(id);
          l.getStyleClass().add("rc-runs-retried-by");
          l.setOnAction(e -> controller.open(id));
          links.getChildren().add(l);
        }
      }
      section(nodes, "Related runs", links);
    }
    pane.getChildren().setAll(nodes);
  }

  private Node actions(String runId, RunStatus s, String deviceId) {
    Button cancel = new Button("Cancel run", Icons.of(Icons.CANCEL));
    cancel.setId("runs-cancel");
    cancel.setDisable(s == null || s.isFinal());
    show(cancel, model.canOn(Permission.CANCEL_RUN, deviceId)); // the role on the run's site
    cancel.setOnAction(e -> controller.cancel(runId));
    Button retry = new Button("Retry", Icons.of(Icons.RETRAIN));
    retry.setId("runs-retry");
    retry.setDisable(s != RunStatus.FAILED && s != RunStatus.TIMED_OUT);
    show(retry, model.canOn(Permission.RETRY_RUN, deviceId));
    retry.setOnAction(e -> controller.retry(runId));
    HBox box = new HBox(8, cancel, retry);
    box.getStyleClass().add("rc-runs-actions");
    return box;
  }

  private static void show(Node n, boolean visible) {
    n.setVisible(visible); // hidden for a role that may not do it; the core refuses it anyway
    n.setManaged(visible);
  }

  private GridPane metrics(RunRecord r) {
    GridPane g = new GridPane();
    g.setId("run-detail-metrics");
    g.getStyleClass().add("rc-runs-metrics");
    g.setHgap(16);
    g.setVgap(4);
    String champVersion = r.championVersion();
    String[] head = {"", "Candidate", "Champion", "Baseline"};
    for (int c = 0; c < head.length; c++) {
      Label l = new Label(head[c]);
      l.getStyleClass().add("rc-runs-metrics-head");
      g.add(l, c, 0);
      GridPane.setHalignment(l, c == 0 ? HPos.LEFT : HPos.RIGHT);
    }
    String[] names = {"MAE", "RMSE", "R²", "Test rows"};
    String[] ids = {"mae", "rmse", "r2", "n"};
    List<Function<RunRecord.Metrics, Object>> values = List.of(RunRecord.Metrics::mae, RunRecord.Metrics::rmse,
        RunRecord.Metrics::r2, RunRecord.Metrics::n);
    int i = 1;
    for (int m = 0; m < names.length; m++) {
      Label name = new Label(names[m]);
      name.getStyleClass().add("rc-runs-key");
      g.add(name, 0, i);
      int col = 1;
      for (RunRecord.Metrics d : java.util.Arrays.asList(r.metrics(), r.championMetrics(), r.baselineMetrics())) {
        Object v = d == null ? null : values.get(m).apply(d);
        String text = v == null ? "—" : "r2".equals(ids[m]) ? fmt.number(v, "%.3f")
            : "n".equals(ids[m]) ? fmt.str(v) : fmt.watts(v);
        Label l = new Label(text);
        l.setId("run-detail-" + ids[m] + "-" + (col == 1 ? "candidate" : col == 2 ? "champion" : "baseline"));
        g.add(l, col, i);
        GridPane.setHalignment(l, HPos.RIGHT);
        col++;
      }
      i++;
    }
    if (champVersion != null) {
      Label v = new Label("Champion: " + champVersion);
      v.getStyleClass().add("rc-muted");
      g.add(v, 0, i++, 4, 1);
    }
    if (r.championError() != null) {
      Label v = new Label("Champion not scored: " + r.championError());
      v.setWrapText(true);
      v.getStyleClass().add("rc-runs-error");
      g.add(v, 0, i, 4, 1);
    }
    return g;
  }

  private static GridPane grid(String id) {
    GridPane g = new GridPane();
    g.setId(id);
    g.setHgap(12);
    g.setVgap(4);
    ColumnConstraints key = new ColumnConstraints();
    key.setMinWidth(130);
    ColumnConstraints val = new ColumnConstraints();
    val.setHgrow(Priority.ALWAYS);
    val.setFillWidth(true);
    g.getColumnConstraints().setAll(key, val);
    return g;
  }

  private static void row(GridPane g, String key, String value) {
    int r = g.getRowCount();
    Label k = new Label(key);
    k.getStyleClass().add("rc-runs-key");
    Label v = new Label(value == null || value.isEmpty() ? "—" : value);
    v.setWrapText(true);
    v.getStyleClass().add("rc-runs-value");
    g.addRow(r, k, v);
  }

  private static void section(List<Node> nodes, String title, Node body) {
    Label h = new Label(title);
    h.getStyleClass().add("rc-runs-section");
    nodes.add(new VBox(6, h, body));
  }}
