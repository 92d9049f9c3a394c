package com.retrainconsole.ui.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;

/** A chart with a caption and an "Export PNG…" button above it. */
final class ChartPane extends VBox {
  static final int MIN_EXPORT_WIDTH = 900;
  static final int MIN_EXPORT_HEIGHT = 540;

  private final JFreeChart chart;
  private final ChartViewer viewer;
  private final Button export = new Button("Export PNG…");

  ChartPane(String id, String caption, JFreeChart chart) {
    this.chart = chart;
    this.viewer = new ChartViewer(chart);
    setId(id);
    getStyleClass().add("rc-chart-pane");
    Label title = new Label(caption);
    title.getStyleClass().add("rc-chart-caption");
    Region spacer = new Region();
    HBox.setHgrow(spacer, Priority.ALWAYS);
    export.setId(id + "-export");
    export.getStyleClass().add("rc-chart-export");
    HBox bar = new HBox(8, title, spacer, export);
    bar.setAlignment(Pos.CENTER_LEFT);
    viewer.setMinSize(200, 150);
    VBox.setVgrow(viewer, Priority.ALWAYS);
    getChildren().addAll(bar, viewer);
  }

  JFreeChart chart() {
    return chart;
  }

  ChartViewer viewer() {
    return viewer;
  }

  Button exportButton() {
    return export;
  }

  /** Pixel size the chart is exported at: what is on screen, but never smaller than a readable report image. */
  int exportWidth() {
    return Math.max(MIN_EXPORT_WIDTH, (int) viewer.getWidth());
  }

  int exportHeight() {
    return Math.max(MIN_EXPORT_HEIGHT, (int) viewer.getHeight());
  }

  /** Writes the chart as a PNG of {@code width × height}; any thread (Java2D, not the scene graph). */
  static void writePng(JFreeChart chart, Path file, int width, int height) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
  }
}
