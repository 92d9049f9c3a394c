package com.retrainconsole.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.retrain.RetrainRequest;
import com.retrainconsole.training.TrainerKind;
import com.retrainconsole.ui.compare.ChartKind;
import com.retrainconsole.ui.compare.CompareController;
import com.retrainconsole.ui.compare.SideRow;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import com.retrainconsole.comparison.VersionDiff;
import java.util.EnumMap;
import java.util.Map;
import javafx.scene.Node;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableRow;
import javafx.scene.layout.Region;
import javafx.stage.Stage;
import org.jfree.chart.fx.ChartViewer;
import javax.imageio.ImageIO;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.matcher.control.LabeledMatchers;
import org.testfx.util.WaitForAsyncUtils;

class CompareViewTest extends ConsoleFxTest {
  static String first;
  static String second;

  @BeforeAll
  static void a_second_version_of_tracker01() {
    first = ctx.registry().current("tracker01").orElseThrow().version();
    var run = ctx.retrain().run(new RetrainRequest("tracker01", 5, null, TrainerKind.CART, false, "manual",
        "second version for the comparison view", "test"), (s, f) -> {});
    if (!run.completed()) {
      throw new IllegalStateException("second model did not train: " + run.run().stored().toJson());
    }
    second = ctx.registry().list("tracker01").get(0).version();
  }

  private CompareController openCompare() throws Exception {
    interact(() -> model.selectedDeviceProperty().set("tracker01"));
    clickOn("#nav-MODELS");
    waitUntil(10, () -> lookup("#compare").tryQuery().isPresent());
    Node root = lookup("#compare").query();
    CompareController c = (CompareController) root.getProperties().get(CompareController.class);
    assertNotNull(c, "the compare view registers its controller");
    return c;
  }

  @Test
  void the_metric_chart_shows_a_point_per_version_with_the_pointer_moves_marked() throws Exception {
    CompareController c = openCompare();
    int versions = ctx.registry().list("tracker01").size();
    assertEquals(2, versions);
    waitUntil(15, () -> c.plottedVersions() == versions);
    assertEquals("tracker01", c.history().deviceId());
    int moves = (int) ctx.audit().history("tracker01").stream()
        .filter(m -> com.retrainconsole.audit.PointerMove.isPointerAction(m.action())).count();
    assertTrue(moves >= 1);
    assertEquals(moves, c.pointerMarkers());
    XYPlot plot = c.chart(ChartKind.METRIC).getXYPlot();
    assertEquals("MAE (W)", plot.getRangeAxis().getLabel());
    XYDataset inService = plot.getDataset(0);
    assertEquals(1, inService.getItemCount(1), "exactly one version in service is highlighted");
    screenshot("compare-light");

    interact(() -> window.applyTheme(Theme.DARK));
    waitUntil(5, () -> c.chartStyle().dark());
    assertNotEquals(java.awt.Color.WHITE, c.chart(ChartKind.METRIC).getBackgroundPaint());
    screenshot("compare-dark");
  }

  @Test
  void picking_two_versions_puts_both_side_by_side_and_compares_them_on_the_same_rows() throws Exception {
    CompareController c = openCompare();
    waitUntil(15, () -> c.plottedVersions() == 2);
    assertTrue(lookup("#compare-run").query().isDisabled(), "nothing to compare before two are ticked");
    // the rows' cells appear on the layout pulse after the chart got its data
    waitUntil(5, () -> lookup("#pick-" + first).tryQuery().isPresent()
        && lookup("#pick-" + second).tryQuery().isPresent());
    clickOn("#pick-" + first);
    clickOn("#pick-" + second);
    waitUntil(5, () -> c.sideRows().size() == 2);
    assertEquals(List.of(first, second), c.sideRows().stream().map(SideRow::version).toList());
    assertTrue(c.sideRows().get(0).mae().endsWith(" W"), c.sideRows().get(0).mae());

    clickOn("#compare-run");
    waitUntil(60, () -> c.comparisonResult() != null);
    XYDataset pva = c.chart(ChartKind.PREDICTED_VS_ACTUAL).getXYPlot().getDataset();
    assertEquals(2, pva.getSeriesCount());
    assertEquals(first, pva.getSeriesKey(0));
    assertEquals(second, pva.getSeriesKey(1));
    int rows = c.comparisonResult().ts().length;
    assertTrue(rows > 100, "3 days of 15-minute readings, got " + rows);
    assertEquals(rows, pva.getItemCount(0));
    assertEquals(rows, pva.getItemCount(1));
    assertEquals(2, c.chart(ChartKind.RESIDUALS).getXYPlot().getDataset().getSeriesCount());
    assertEquals(24, c.chart(ChartKind.HOUR_OF_DAY).getCategoryPlot().getDataset().getColumnCount());
    waitUntil(5, () -> c.sideRows().stream().allMatch(r -> r.windowMae().endsWith(" W")));

    clickOn("Predicted vs actual");
    WaitForAsyncUtils.waitForFxEvents();
    screenshot("compare-predicted-vs-actual");

    Path png = root.resolve("pva.png");
    c.exportPng(ChartKind.PREDICTED_VS_ACTUAL, png);
    assertTrue(Files.size(png) > 0);
    BufferedImage image = ImageIO.read(png.toFile());
    assertNotNull(image, "the export is a readable PNG");
    assertTrue(image.getWidth() >= 900 && image.getHeight() >= 540, image.getWidth() + "x" + image.getHeight());
  }

  private void size(double w, double h) {
    interact(() -> {
      Stage s = (Stage) window.scene().getWindow();
      s.setWidth(w);
      s.setHeight(h);
    });
    WaitForAsyncUtils.waitForFxEvents();
  }

  /** Clicks the tab's header (a chart caption may carry the same text) and waits until it is selected. */
  private void selectTab(String text) throws Exception {
    clickOn(lookup("#compare-tabs .tab-label").match(LabeledMatchers.hasText(text)).queryAs(Node.class));
    TabPane tabs = lookup("#compare-tabs").queryAs(TabPane.class);
    waitUntil(5, () -> text.equals(tabs.getSelectionModel().getSelectedItem().getText()));
  }

  private void tickBoth(CompareController c) throws Exception {
    waitUntil(15, () -> c.plottedVersions() == 2);
    waitUntil(5, () -> lookup("#pick-" + first).tryQuery().isPresent()
        && lookup("#pick-" + second).tryQuery().isPresent());
    clickOn("#pick-" + first);
    clickOn("#pick-" + second);
  }

  @Test
  void two_ticked_versions_show_their_configuration_diff_with_differing_rows_marked() throws Exception {
    CompareController c = openCompare();
    tickBoth(c);
    waitUntil(10, () -> c.diff() != null);
    VersionDiff d = c.diff();
    assertEquals(first, d.versionA(), "A is the older version");
    assertEquals(second, d.versionB());
    Map<String, VersionDiff.Row> byField = new java.util.HashMap<>();
    d.rows().forEach(r -> byField.put(r.section() + "/" + r.field(), r));
    assertTrue(byField.get("VERSION/Run").differs(), "two runs made the two versions");
    assertEquals("cart", byField.get("TRAINER/Trainer").a());
    assertFalse(byField.get("TRAINER/Trainer").differs());
    assertTrue(byField.containsKey("TRAINER/seed") && byField.containsKey("FEATURES/lags")
        && byField.containsKey("DATA/Until") && byField.containsKey("DATA/Training rows")
        && byField.containsKey("METRICS/MAE"), byField.keySet().toString());

    selectTab("Differences");
    waitUntil(5, () -> lookup(".table-row-cell." + CompareController.DIFFERS_STYLE).tryQuery().isPresent());
    screenshot("compare-differences");
    // the differing rows are styled and marked in text, the equal ones neither
    waitUntil(5, () -> {
      for (Node n : lookup("#compare-diff .table-row-cell").queryAll()) {
        TableRow<?> row = (TableRow<?>) n;
        if (row.getItem() instanceof VersionDiff.Row r) {
          String field = ((TableCell<?, ?>) row.getChildrenUnmodifiable().get(0)).getText();
          if (r.differs() != row.getStyleClass().contains(CompareController.DIFFERS_STYLE)
              || r.differs() != field.startsWith(CompareController.DIFFERS_MARK)) {
            return false;
          }
        }
      }
      return true;
    });
    int all = d.rows().size();
    assertEquals(all, c.diffRows().size());
    clickOn("#compare-only-differences");
    waitUntil(5, () -> c.diffRows().size() == d.differences().size());
    assertTrue(c.diffRows().size() < all && c.diffRows().stream().allMatch(VersionDiff.Row::differs));

    // a third version ticked (or one unticked) leaves no pair to diff
    clickOn("#pick-" + first);
    waitUntil(5, () -> c.diff() == null && c.diffRows().isEmpty());
  }

  @Test
  void at_1366x768_every_chart_is_at_least_250_px_high_and_pops_out_into_its_own_window() throws Exception {
    size(1366, 768);
    CompareController c = openCompare();
    tickBoth(c);
    clickOn("#compare-run");
    waitUntil(60, () -> c.comparisonResult() != null);
    Map<ChartKind, String> tabs = new EnumMap<>(ChartKind.class);
    tabs.put(ChartKind.METRIC, "Metric over time");
    tabs.put(ChartKind.PREDICTED_VS_ACTUAL, "Predicted vs actual");
    tabs.put(ChartKind.RESIDUALS, "Residuals over time");
    tabs.put(ChartKind.HOUR_OF_DAY, "Error by hour");
    tabs.put(ChartKind.FEATURE_IMPORTANCE, "Feature importance");
    StringBuilder measured = new StringBuilder();
    for (var e : tabs.entrySet()) {
      selectTab(e.getValue());
      Region viewer = c.viewer(e.getKey());
      // laid out and drawn: the canvas has rendered the chart at the viewer's size
      waitUntil(10, () -> viewer.isVisible() && viewer.getScene() != null && viewer.getHeight() > 0
          && ((ChartViewer) viewer).getRenderingInfo() != null
          && Math.abs(((ChartViewer) viewer).getRenderingInfo().getChartArea().getHeight() - viewer.getHeight()) < 1);
      double[] h = new double[2];
      interact(() -> {
        h[0] = viewer.getHeight();
        h[1] = ((ChartViewer) viewer).getRenderingInfo().getPlotInfo().getDataArea().getHeight();
      });
      measured.append(e.getKey()).append(": chart ").append((int) h[0]).append(" px, data area ")
          .append((int) h[1]).append(" px; ");
      assertTrue(h[1] >= 250, e.getKey() + " plot is " + h[1] + " px high at 1366x768 (chart " + h[0] + " px)");
    }
    System.out.println("1366x768 chart heights: " + measured);
    screenshot("compare-1366x768");

    Region viewer = c.viewer(ChartKind.RESIDUALS);
    selectTab("Residuals over time");
    clickOn("#" + ChartKind.RESIDUALS.id() + "-popout");
    waitUntil(10, () -> c.poppedOut(ChartKind.RESIDUALS) != null && c.poppedOut(ChartKind.RESIDUALS).isShowing()
        && viewer.getScene() == c.poppedOut(ChartKind.RESIDUALS).getScene() && viewer.getHeight() > 400);
    Stage popped = c.poppedOut(ChartKind.RESIDUALS);
    assertTrue(lookup("#" + ChartKind.RESIDUALS.id() + "-putback").tryQuery().isPresent());
    interact(popped::close);
    waitUntil(10, () -> c.poppedOut(ChartKind.RESIDUALS) == null && viewer.getScene() == window.scene()
        && viewer.getHeight() >= 250);
  }
}
