package com.retrainconsole.ui.overview;

import java.util.List;
import javafx.scene.control.TableCell;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Pane;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Polyline;

/**
 * A small line of recent error values, scaled to its own min..max; the last point is dotted so the
 * current value stands out. The tooltip gives the numbers (a sparkline shows shape, not values).
 */
final class SparklineCell extends TableCell<DeviceRow, List<Double>> {
  static final double WIDTH = 96;
  static final double HEIGHT = 22;
  private final Pane pane = new Pane();
  private final Polyline line = new Polyline();
  private final Circle last = new Circle(2.5);

  SparklineCell() {
    pane.setPrefSize(WIDTH, HEIGHT);
    pane.setMinSize(WIDTH, HEIGHT);
    pane.setMaxSize(WIDTH, HEIGHT);
    line.getStyleClass().add("rc-sparkline");
    last.getStyleClass().add("rc-sparkline-last");
    pane.getChildren().addAll(line, last);
  }

  @Override
  protected void updateItem(List<Double> values, boolean empty) {
    super.updateItem(values, empty);
    if (empty || values == null || values.size() < 2) {
      setGraphic(null);
      setText(empty || values == null || values.isEmpty() ? null : "—");
      setTooltip(null);
      return;
    }
    double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(1);
    double span = max - min < 1e-9 ? 1 : max - min;
    double step = WIDTH / (values.size() - 1);
    line.getPoints().clear();
    for (int i = 0; i < values.size(); i++) {
      double y = HEIGHT - 3 - (values.get(i) - min) / span * (HEIGHT - 6);
      line.getPoints().addAll(i * step, y);
    }
    last.setCenterX(WIDTH);
    last.setCenterY(line.getPoints().get(line.getPoints().size() - 1));
    setText(null);
    setGraphic(pane);
    setTooltip(new Tooltip(String.format("MAE of the model in service at the last %d runs: %.1f W → %.1f W"
        + " (min %.1f, max %.1f)", values.size(), values.get(0), values.get(values.size() - 1), min, max)));
  }
}
