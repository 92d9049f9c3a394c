package com.retrainconsole.ui.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;

/**
 * A chart with a caption, "Pop out" and "Export PNG…" buttons above it. Popping out moves the chart's
 * viewer into a window of its own (any size the user likes); closing that window puts it back.
 */
final class ChartPane extends VBox {
  static final int MIN_EXPORT_WIDTH = 900;
  static final int MIN_EXPORT_HEIGHT = 540;

  private final JFreeChart chart;
  private final ChartViewer viewer;
  private final Button export = new Button("Export PNG…");
  private final Button popOut = new Button("Pop out");
  private final String caption;
  private final VBox away;
  private Stage popped;

  ChartPane(String id, String caption, JFreeChart chart) {
    this.chart = chart;
    this.viewer = new ChartViewer(chart);
    this.caption = caption;
    setId(id);
    getStyleClass().add("rc-chart-pane");
    Label title = new Label(caption);
    title.getStyleClass().add("rc-chart-caption");
    Region spacer = new Region();
    HBox.setHgrow(spacer, Priority.ALWAYS);
    export.setId(id + "-export");
    export.getStyleClass().add("rc-chart-export");
    popOut.setId(id + "-popout");
    popOut.getStyleClass().add("rc-chart-export");
    popOut.setOnAction(e -> popOut());
    title.setMinWidth(0);
    title.setTooltip(new Tooltip(caption)); // cut with "…" in a narrow window
    export.setMinWidth(Region.USE_PREF_SIZE);
    popOut.setMinWidth(Region.USE_PREF_SIZE);
    HBox bar = new HBox(8, title, spacer, popOut, export);
    bar.setAlignment(Pos.CENTER_LEFT);
    viewer.setMinSize(200, 150);
    VBox.setVgrow(viewer, Priority.ALWAYS);
    Label note = new Label("This chart is open in its own window.");
    note.getStyleClass().add("rc-muted");
    Button back = new Button("Put back");
    back.setId(id + "-putback");
    back.setOnAction(e -> putBack());
    away = new VBox(8, note, back);
    away.setAlignment(Pos.CENTER);
    VBox.setVgrow(away, Priority.ALWAYS);
    getChildren().addAll(bar, viewer);
  }

  /** The window the chart is popped out into, or null while it is shown here. */
  Stage poppedOut() {
    return popped;
  }

  /**
   * Moves the viewer into its own window, styled like the console (its theme follows the main window's);
   * owned by the main window so it closes with it.
   */
  void popOut() {
    if (popped != null || getScene() == null) {
      if (popped != null) {
        popped.toFront();
      }
      return;
    }
    Scene owner = getScene();
    getChildren().set(1, away);
    StackPane holder = new StackPane(viewer);
    holder.getStyleClass().addAll("rc-content", "rc-chart-window");
    holder.setPadding(new javafx.geometry.Insets(8));
    Scene scene = new Scene(holder, Math.max(900, viewer.getWidth()), Math.max(600, viewer.getHeight() + 120));
    Bindings.bindContent(scene.getStylesheets(), owner.getStylesheets());
    Stage stage = new Stage();
    stage.setTitle(caption);
    stage.initOwner(owner.getWindow());
    stage.setScene(scene);
    stage.setOnHidden(e -> {
      Bindings.unbindContent(scene.getStylesheets(), owner.getStylesheets());
      holder.getChildren().clear();
      getChildren().set(1, viewer);
      popped = null;
      popOut.setDisable(false);
    });
    popped = stage;
    popOut.setDisable(true);
    stage.show();
  }

  /** Closes the chart's own window, which puts the chart back here. */
  void putBack() {
    if (popped != null) {
      popped.close();
    }
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
