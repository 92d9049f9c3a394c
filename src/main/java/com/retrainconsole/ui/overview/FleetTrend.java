package com.retrainconsole.ui.overview;

import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Pane;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Polyline;

/**
 * Above the table: the fleet's median MAE of the models in service over recent runs, as a sparkline with
 * the newest value in words (a line shows shape, the label gives the number).
 */
final class FleetTrend {
  static final double WIDTH = 220;
  static final double HEIGHT = 28;
  private final Label title = new Label("Fleet error trend");
  private final Pane pane = new Pane();
  private final Polyline line = new Polyline();
  private final Circle last = new Circle(3);
  private final Label value = new Label();
  private final Tooltip tip = new Tooltip();

  FleetTrend() {
    title.getStyleClass().add("rc-fleet-trend-title");
    pane.setPrefSize(WIDTH, HEIGHT);
    pane.setMinSize(WIDTH, HEIGHT);
    pane.setMaxSize(WIDTH, HEIGHT);
    pane.setId("overview-fleet-trend-line");
    line.getStyleClass().add("rc-sparkline");
    last.getStyleClass().add("rc-sparkline-last");
    pane.getChildren().addAll(line, last);
    Tooltip.install(pane, tip);
    value.setId("overview-fleet-trend-value");
    value.getStyleClass().add("rc-muted");
    value.setWrapText(true);
  }

  List<Node> nodes() {
    return List.of(title, pane, value);
  }

  void show(List<Double> mae) {
    line.getPoints().clear();
    boolean drawn = mae.size() >= 2;
    pane.setVisible(drawn);
    pane.setManaged(drawn);
    if (mae.isEmpty()) {
      value.setText("no completed runs yet");
      return;
    }
    double newest = mae.get(mae.size() - 1);
    value.setText(String.format("median MAE of the models in service: %.1f W now, %.1f W %d runs ago", newest,
        mae.get(0), mae.size() - 1));
    if (!drawn) {
      value.setText(String.format("median MAE of the models in service: %.1f W", newest));
      return;
    }
    double min = mae.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double max = mae.stream().mapToDouble(Double::doubleValue).max().orElse(1);
    double span = max - min < 1e-9 ? 1 : max - min;
    double step = WIDTH / (mae.size() - 1);
    for (int i = 0; i < mae.size(); i++) {
      line.getPoints().addAll(i * step, HEIGHT - 4 - (mae.get(i) - min) / span * (HEIGHT - 8));
    }
    last.setCenterX(WIDTH);
    last.setCenterY(line.getPoints().get(line.getPoints().size() - 1));
    tip.setText(String.format("Median across devices of the MAE of the model in service at "
        + "each of the last %d runs (min %.1f W, max %.1f W)", mae.size(), min, max));
  }
}
