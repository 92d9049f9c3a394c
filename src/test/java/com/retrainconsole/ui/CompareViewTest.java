package com.retrainconsole.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import javafx.scene.Node;
import javax.imageio.ImageIO;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
}
