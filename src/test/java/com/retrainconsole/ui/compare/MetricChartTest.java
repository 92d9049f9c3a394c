package com.retrainconsole.ui.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.audit.PointerMove;
import com.retrainconsole.comparison.Metric;
import com.retrainconsole.comparison.VersionHistory;
import com.retrainconsole.comparison.VersionPoint;
import com.retrainconsole.registry.MetricsDoc;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.Tick;
import org.jfree.chart.ui.RectangleEdge;
import org.junit.jupiter.api.Test;

/** The metric-over-time chart drawn with Java2D as the viewer draws it: axis ticks and marker labels. */
class MetricChartTest {
  static final Instant T = Instant.parse("2026-12-03T10:23:37.833Z");

  static VersionPoint point(String version, Instant at, boolean inService) {
    return new VersionPoint(version, "run-" + version, "cart", at, new MetricsDoc(100, 150, 0.9, 96), "production",
        inService);
  }

  static PointerMove move(String action, String to, Instant at) {
    return new PointerMove(action, "tracker01", null, to, "test", "because", at);
  }

  /** Draws the chart at {@code width × height} and returns the plot's data area. */
  static Rectangle2D draw(MetricChart chart, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g2 = image.createGraphics();
    ChartRenderingInfo info = new ChartRenderingInfo();
    chart.chart().draw(g2, new Rectangle2D.Double(0, 0, width, height), info);
    g2.dispose();
    return info.getPlotInfo().getDataArea();
  }

  static List<String> tickLabels(MetricChart chart, int width, int height) {
    Rectangle2D area = draw(chart, width, height);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g2 = image.createGraphics();
    DateAxis x = (DateAxis) chart.chart().getXYPlot().getDomainAxis();
    List<String> labels = new ArrayList<>();
    for (Object t : x.refreshTicks(g2, new AxisState(), area, RectangleEdge.BOTTOM)) {
      labels.add(((Tick) t).getText());
    }
    g2.dispose();
    return labels;
  }

  static MetricChart shown(List<VersionPoint> versions, List<PointerMove> moves) {
    MetricChart chart = new MetricChart(ZoneOffset.UTC);
    VersionHistory h = new VersionHistory("tracker01", versions, moves,
        versions.stream().filter(VersionPoint::inService).map(VersionPoint::version).findFirst().orElse(null));
    chart.show(MetricChart.build(h, Metric.MAE), Set.of());
    return chart;
  }

  @Test
  void one_version_gets_a_day_wide_axis_with_at_most_ten_labels_and_no_milliseconds() {
    for (int width : new int[] {600, 1100, 1800}) {
      MetricChart chart = shown(List.of(point("v1", T, true)), List.of());
      List<String> labels = tickLabels(chart, width, 400);
      double span = chart.chart().getXYPlot().getDomainAxis().getRange().getLength();
      assertTrue(span >= Duration.ofDays(1).toMillis(), "axis span " + span + " ms");
      assertTrue(labels.size() >= 2, "some ticks at " + width + " px: " + labels);
      assertTrue(new LinkedHashSet<>(labels).size() <= 10, width + " px: " + labels);
      for (String l : labels) {
        assertFalse(l.matches(".*\\d:\\d\\d:\\d\\d.*") || l.matches(".*\\.\\d{3}.*"),
            "no seconds or milliseconds in '" + l + "' at " + width + " px: " + labels);
      }
    }
  }

  @Test
  void two_versions_a_millisecond_apart_read_like_one() {
    MetricChart chart = shown(List.of(point("v1", T, false), point("v2", T.plusMillis(1), true)), List.of());
    List<String> labels = tickLabels(chart, 1100, 400);
    assertTrue(new LinkedHashSet<>(labels).size() <= 10, labels.toString());
    assertTrue(labels.stream().noneMatch(l -> l.contains(".")), labels.toString());
  }

  @Test
  void a_month_of_versions_is_labelled_by_day() {
    List<VersionPoint> versions = new ArrayList<>();
    for (int d = 0; d < 30; d++) {
      versions.add(point("v" + d, T.plus(Duration.ofDays(d)), d == 29));
    }
    List<String> labels = tickLabels(shown(versions, List.of()), 1100, 400);
    assertTrue(labels.size() <= 10, labels.toString());
    assertTrue(labels.stream().allMatch(l -> l.matches("[A-Z][a-z]{2} \\d{1,2}")), labels.toString());
  }

  @Test
  void labels_of_a_promotion_and_a_rollback_minutes_apart_do_not_overlap() {
    List<VersionPoint> versions = List.of(point("v1", T, false), point("v2", T.plus(Duration.ofDays(2)), false),
        point("v3", T.plus(Duration.ofDays(4)), true));
    Instant at = T.plus(Duration.ofDays(3));
    List<PointerMove> moves = List.of(move(PointerMove.PROMOTE, "v1", T.plusSeconds(60)),
        move(PointerMove.PROMOTE, "v3", at), move(PointerMove.ROLLBACK, "v2", at.plus(Duration.ofMinutes(10))),
        move(PointerMove.PROMOTE, "v3", at.plus(Duration.ofMinutes(20))));
    for (int width : new int[] {500, 900, 1400}) {
      MetricChart chart = shown(versions, moves);
      draw(chart, width, 420);
      List<Rectangle2D> bounds = chart.movesLayer().lastLabelBounds();
      assertEquals(moves.size(), bounds.size());
      // three close moves: one per label row, nothing hidden
      assertTrue(bounds.stream().allMatch(b -> b != null), width + " px: " + bounds);
      assertNoneIntersect(bounds);
    }
  }

  @Test
  void labels_that_find_no_free_row_are_hidden_never_overlapped() {
    Rectangle2D area = new Rectangle2D.Double(50, 10, 800, 300);
    double[] xs = {400, 401, 402, 403, 404, 405, 700};
    double[] widths = {50, 45, 50, 45, 50, 45, 50};
    List<Rectangle2D> boxes = MovesLayer.layout(xs, widths, 14, area, MovesLayer.LABEL_ROWS);
    assertEquals(xs.length, boxes.size());
    assertEquals(MovesLayer.LABEL_ROWS, boxes.subList(0, 6).stream().filter(b -> b != null).count());
    assertNotNull(boxes.get(6), "a marker far from the crowd keeps its label");
    assertNoneIntersect(boxes);
    // a marker near the left edge puts its label to the right of its line, inside the plot
    Rectangle2D left = MovesLayer.layout(new double[] {55}, new double[] {50}, 14, area, 3).get(0);
    assertTrue(area.contains(left), left.toString());
  }

  static void assertNoneIntersect(List<Rectangle2D> bounds) {
    for (int i = 0; i < bounds.size(); i++) {
      for (int j = i + 1; j < bounds.size(); j++) {
        Rectangle2D a = bounds.get(i);
        Rectangle2D b = bounds.get(j);
        if (a != null && b != null) {
          assertFalse(a.intersects(b), "label " + i + " " + a + " overlaps label " + j + " " + b);
        }
      }
    }
  }
}
