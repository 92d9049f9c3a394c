package com.retrainconsole.ui.runs;

import com.retrainconsole.access.Permission;
import com.retrainconsole.runs.RunDetail;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.ui.ConsoleModel;
import com.retrainconsole.ui.Icons;
import com.retrainconsole.ui.Styles;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
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
    Document r = d.run();
    String runId = r.getString("run_id");
    String status = r.getString("status");
    Label title = new Label(runId);
    title.setId("run-detail-id");
    title.getStyleClass().add("rc-runs-detail-title");
    title.setWrapText(true);
    Label statusLabel = new Label(status == null ? "" : status.replace('_', ' '));
    statusLabel.setId("run-detail-status");
    statusLabel.getStyleClass().addAll("rc-runs-badge", Styles.status(status == null ? null : status.replace('_', '-')));
    Label device = new Label(fmt.str(r.get("device_id")));
    device.getStyleClass().add("rc-runs-detail-device");
    HBox head = new HBox(12, statusLabel, device);
    head.getStyleClass().add("rc-runs-detail-head");
    nodes.add(title);
    nodes.add(head);
    nodes.add(actions(runId, status, r.getString("device_id")));

    Document trigger = sub(r, "trigger");
    GridPane why = grid("run-detail-trigger");
    row(why, "Trigger", fmt.str(trigger.get("type")));
    row(why, "Reason", fmt.str(trigger.get("reason")));
    row(why, "Requested by", fmt.str(trigger.get("actor")));
    if (trigger.get("trigger_id") != null) {
      row(why, "Trigger id", fmt.str(trigger.get("trigger_id")));
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
    } else if (trigger.get("trigger_id") != null) {
      row(why, "Evaluation", "not kept (pruned or never written)");
    }
    section(nodes, "Why it ran", why);

    Document params = sub(r, "params");
    GridPane p = grid("run-detail-params");
    row(p, "Trainer", fmt.str(params.get("trainer")));
    row(p, "Window", params.get("days") == null ? "" : params.get("days") + " days");
    row(p, "Until", params.get("until") instanceof Date u ? fmt.when(u) : "newest reading");
    row(p, "Dry run", Boolean.TRUE.equals(params.get("dry_run")) ? "yes" : "no");
    Document tp = sub(r, "trainer_params");
    if (!tp.isEmpty()) {
      row(p, "Trainer params", tp.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .reduce((a, b) -> a + ", " + b).orElse(""));
    }
    row(p, "Attempt", fmt.str(r.get("attempt")));
    section(nodes, "Parameters", p);

    Document data = sub(r, "data");
    if (!data.isEmpty()) {
      GridPane g = grid("run-detail-data");
      row(g, "From", fmt.when(data.getDate("from")));
      row(g, "To", fmt.when(data.getDate("to")));
      row(g, "Rows", String.format("%s (train %s, test %s)", fmt.str(data.get("rows")), fmt.str(data.get("train_rows")),
          fmt.str(data.get("test_rows"))));
      section(nodes, "Data window", g);
    }

    Document m = sub(r, "metrics");
    if (!m.isEmpty()) {
      section(nodes, "Metrics vs champion", metrics(r));
    }

    Document decision = sub(r, "decision");
    if (!decision.isEmpty()) {
      GridPane g = grid("run-detail-decision");
      row(g, "Promoted", Boolean.TRUE.equals(decision.get("promoted")) ? "yes" : "no");
      row(g, "Reason", fmt.str(decision.get("reason")));
      Document model = sub(r, "model");
      if (model.get("version") != null) {
        row(g, "Model", fmt.str(model.get("version")));
      }
      section(nodes, "Decision", g);
    }

    if (r.get("error") != null) {
      Label err = new Label(fmt.str(r.get("error")));
      err.setId("run-detail-error");
      err.setWrapText(true);
      err.getStyleClass().add("rc-runs-error");
      section(nodes, "Error", err);
    }

    GridPane log = grid("run-detail-log");
    row(log, "Queued", fmt.when(r.getDate("queued_at")));
    row(log, "Started", fmt.when(r.getDate("started_at")));
    Document progress = sub(r, "progress");
    if (!progress.isEmpty() && !RunStatus.parse(status).isFinal()) {
      row(log, "Stage", fmt.str(progress.get("stage")) + " · " + fmt.number(progress.get("fraction") instanceof Number n
          ? n.doubleValue() * 100 : null, "%.0f") + " %");
    }
    if (r.get("release_reason") != null) {
      row(log, "Released", fmt.when(r.getDate("released_at")) + " · " + fmt.str(r.get("release_reason")));
    }
    if (Boolean.TRUE.equals(r.get("cancel_requested"))) {
      row(log, "Cancel requested", fmt.str(r.get("cancel_requested_by")) + " " + fmt.when(r.getDate("cancel_requested_at")));
    }
    if (r.get("warnings") instanceof List<?> warnings) {
      for (Object w : warnings) {
        row(log, "Warning", fmt.str(w));
      }
    }
    row(log, "Finished", fmt.when(r.getDate("finished_at")));
    row(log, "Duration", fmt.duration(r.get("duration_ms")));
    section(nodes, "Log", log);

    if (r.getString("retry_of") != null || !d.retries().isEmpty()) {
      FlowPane links = new FlowPane(8, 4);
      links.setId("run-detail-links");
      if (r.getString("retry_of") != null) {
        links.getChildren().add(new Label("Retry of"));
        Hyperlink l = new Hyperlink(r.getString("retry_of"));
        l.setId("run-detail-retry-of");
        l.setOnAction(e -> controller.open(r.getString("retry_of")));
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

  private Node actions(String runId, String status, String deviceId) {
    RunStatus s = RunStatus.parse(status);
    Button cancel = new Button("Cancel run", Icons.of(Icons.CANCEL));
    cancel.setId("runs-cancel");
    cancel.setDisable(s.isFinal());
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

  private GridPane metrics(Document r) {
    Document cand = sub(r, "metrics");
    Document champ = sub(r, "champion_metrics");
    Document base = sub(r, "baseline_metrics");
    GridPane g = new GridPane();
    g.setId("run-detail-metrics");
    g.getStyleClass().add("rc-runs-metrics");
    g.setHgap(16);
    g.setVgap(4);
    String champVersion = r.getString("champion_version");
    String[] head = {"", "Candidate", champVersion == null ? "Champion" : "Champion", "Baseline"};
    for (int c = 0; c < head.length; c++) {
      Label l = new Label(head[c]);
      l.getStyleClass().add("rc-runs-metrics-head");
      g.add(l, c, 0);
      GridPane.setHalignment(l, c == 0 ? HPos.LEFT : HPos.RIGHT);
    }
    String[][] rows = {{"MAE", "mae"}, {"RMSE", "rmse"}, {"R²", "r2"}, {"Test rows", "n"}};
    int i = 1;
    for (String[] m : rows) {
      Label name = new Label(m[0]);
      name.getStyleClass().add("rc-runs-key");
      g.add(name, 0, i);
      int col = 1;
      for (Document d : List.of(cand, champ, base)) {
        Object v = d.get(m[1]);
        String text = v == null ? "—" : "r2".equals(m[1]) ? fmt.number(v, "%.3f")
            : "n".equals(m[1]) ? fmt.str(v) : fmt.watts(v);
        Label l = new Label(text);
        l.setId("run-detail-" + m[1] + "-" + (col == 1 ? "candidate" : col == 2 ? "champion" : "baseline"));
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
    if (r.get("champion_error") != null) {
      Label v = new Label("Champion not scored: " + r.get("champion_error"));
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
  }

  private static Document sub(Document d, String key) {
    Object v = d.get(key);
    return v instanceof Document doc ? doc : new Document();
  }
}
