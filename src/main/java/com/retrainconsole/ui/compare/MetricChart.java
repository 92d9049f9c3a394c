package com.retrainconsole.ui.compare;

import com.retrainconsole.audit.PointerMove;
import com.retrainconsole.comparison.Metric;
import com.retrainconsole.comparison.VersionHistory;
import com.retrainconsole.comparison.VersionPoint;
import java.awt.BasicStroke;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.chart.util.ShapeUtils;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A metric of every version of a device over the versions' creation times, with the pointer moves
 * (promotions, rollbacks) as vertical markers, the version in service highlighted and the picked versions
 * ringed. The dataset is built off the FX thread ({@link #build}); {@link #show} only swaps it in.
 */
public final class MetricChart {
  /** Pointer moves are labelled only up to this many; beyond it labels would overlap. */
  static final int MAX_LABELLED_MOVES = 8;
  /**
   * decision: above this many versions the points are drawn as a line only (the version in service and the
   * picked ones keep their marks): 5k antialiased dots took ~1 s per Java2D draw here, the line ~0.15 s.
   */
  static final int DOTS_UP_TO = 500;
  private static final Shape DOT = new Ellipse2D.Double(-2.5, -2.5, 5, 5);
  private static final Shape RING = new Ellipse2D.Double(-6, -6, 12, 12);
  private static final Shape DIAMOND = ShapeUtils.createDiamond(7);

  /** What the chart shows: a series of all versions and one of the version in service. */
  public record Data(Metric metric, VersionHistory history, XYSeriesCollection dataset, List<VersionPoint> plotted) {}

  private final XYPlot plot;
  private final JFreeChart chart;
  private final XYLineAndShapeRenderer versionsRenderer = new XYLineAndShapeRenderer(true, true);
  private final XYLineAndShapeRenderer pickedRenderer = new XYLineAndShapeRenderer(false, true);
  private final XYSeriesCollection picked = new XYSeriesCollection(new XYSeries("Picked", false, true));
  private Data data;
  private ChartStyle style = ChartStyle.LIGHT;

  public MetricChart() {
    DateAxis x = new DateAxis("Version created");
    NumberAxis y = new NumberAxis(Metric.MAE.axisLabel());
    y.setAutoRangeIncludesZero(false);
    plot = new XYPlot(null, x, y, versionsRenderer);
    plot.setDataset(1, picked);
    plot.setRenderer(1, pickedRenderer);
    plot.setNoDataMessage("No saved versions for this device yet");
    versionsRenderer.setDefaultToolTipGenerator((ds, series, item) -> tooltip(series, item));
    chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    restyle(style);
  }

  public JFreeChart chart() {
    return chart;
  }

  Data data() {
    return data;
  }

  /** Off the FX thread: one point per version that has the metric, plus the version in service. */
  public static Data build(VersionHistory history, Metric metric) {
    XYSeries all = new XYSeries("Versions", false, true);
    XYSeries current = new XYSeries("In service", false, true);
    List<VersionPoint> plotted = new ArrayList<>(history.versions().size());
    for (VersionPoint p : history.versions()) {
      double v = p.metric(metric);
      if (!Double.isFinite(v)) {
        continue;
      }
      long t = p.createdAt().toEpochMilli();
      all.add(t, v, false);
      plotted.add(p);
      if (p.inService()) {
        current.add(t, v, false);
      }
    }
    XYSeriesCollection dataset = new XYSeriesCollection();
    dataset.addSeries(all);
    dataset.addSeries(current);
    return new Data(metric, history, dataset, plotted);
  }

  /** On the FX thread: shows {@code newData} and marks its pointer moves. */
  public void show(Data newData, Set<String> pickedVersions) {
    // decision: ChartCanvas redraws synchronously on every change event; one redraw for the whole update
    // (each setter would otherwise redraw 5k points again: 4-12 s measured before this)
    chart.setNotify(false);
    try {
      showQuietly(newData, pickedVersions);
    } finally {
      chart.setNotify(true);
    }
  }

  private void showQuietly(Data newData, Set<String> pickedVersions) {
    this.data = newData;
    NumberAxis y = (NumberAxis) plot.getRangeAxis();
    y.setLabel(newData.metric().axisLabel());
    // versions with near-equal metrics would otherwise zoom the axis to 1e-8 and print "1.55958E2" ticks
    y.setAutoRangeMinimumSize(newData.metric() == Metric.R2 ? 0.01 : 1.0);
    plot.setDataset(0, newData.dataset());
    versionsRenderer.setSeriesShapesVisible(0, newData.plotted().size() <= DOTS_UP_TO);
    markMoves(newData.history().moves());
    setPicked(pickedVersions);
    restyle(style);
  }

  void setPicked(Set<String> versions) {
    boolean notify = chart.isNotify();
    chart.setNotify(false);
    try {
      setPickedQuietly(versions);
    } finally {
      chart.setNotify(notify);
    }
  }

  private void setPickedQuietly(Set<String> versions) {
    XYSeries s = picked.getSeries(0);
    s.setNotify(false);
    s.clear();
    if (data != null) {
      for (VersionPoint p : data.plotted()) {
        if (versions.contains(p.version())) {
          s.add(p.createdAt().toEpochMilli(), p.metric(data.metric()), false);
        }
      }
    }
    s.setNotify(true);
  }

  /** Domain markers currently drawn (one per pointer move). */
  int markerCount() {
    var markers = plot.getDomainMarkers(Layer.BACKGROUND);
    return markers == null ? 0 : markers.size();
  }

  private void markMoves(List<PointerMove> moves) {
    plot.clearDomainMarkers();
    boolean label = moves.size() <= MAX_LABELLED_MOVES;
    for (PointerMove m : moves) {
      boolean rollback = PointerMove.ROLLBACK.equals(m.action());
      ValueMarker marker = new ValueMarker(m.at().toEpochMilli());
      marker.setPaint(rollback ? style.rollback() : style.promotion());
      marker.setStroke(rollback ? dashed() : new BasicStroke(1.4f));
      if (label) {
        marker.setLabel(rollback ? "rollback" : "promote");
        marker.setLabelFont(ChartStyle.TICK_FONT);
        marker.setLabelPaint(rollback ? style.rollback() : style.promotion());
        marker.setLabelBackgroundColor(new java.awt.Color(0, 0, 0, 0));
        marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        marker.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
      }
      plot.addDomainMarker(0, marker, Layer.BACKGROUND, false);
    }
    if (chart.isNotify()) {
      chart.fireChartChanged();
    }
  }

  private static BasicStroke dashed() {
    return new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);
  }

  public void restyle(ChartStyle newStyle) {
    boolean notify = chart.isNotify();
    chart.setNotify(false);
    try {
      restyleQuietly(newStyle);
    } finally {
      chart.setNotify(notify);
    }
  }

  private void restyleQuietly(ChartStyle newStyle) {
    this.style = newStyle;
    newStyle.apply(chart);
    versionsRenderer.setSeriesPaint(0, newStyle.series(0));
    versionsRenderer.setSeriesShape(0, DOT);
    versionsRenderer.setSeriesStroke(0, new BasicStroke(1.2f));
    versionsRenderer.setSeriesPaint(1, newStyle.inService());
    versionsRenderer.setSeriesShape(1, DIAMOND);
    versionsRenderer.setSeriesLinesVisible(1, false);
    pickedRenderer.setSeriesPaint(0, newStyle.text());
    pickedRenderer.setSeriesShape(0, RING);
    pickedRenderer.setUseOutlinePaint(false);
    pickedRenderer.setSeriesShapesFilled(0, false);
    pickedRenderer.setSeriesStroke(0, new BasicStroke(2f));
    if (data != null) {
      markMoves(data.history().moves());
    }
    LegendItemCollection legend = new LegendItemCollection();
    legend.add(item("Versions", DOT, newStyle.series(0), true));
    legend.add(item("In service", DIAMOND, newStyle.inService(), true));
    legend.add(item("Picked", RING, newStyle.text(), false));
    legend.add(line("Promotion", newStyle.promotion(), new BasicStroke(1.6f)));
    legend.add(line("Rollback", newStyle.rollback(), dashed()));
    plot.setFixedLegendItems(legend);
  }

  private static LegendItem item(String label, Shape shape, java.awt.Paint paint, boolean filled) {
    LegendItem it = new LegendItem(label, null, null, null, true, shape, filled, paint, !filled, paint,
        new BasicStroke(2f), false, new Line2D.Double(-7, 0, 7, 0), new BasicStroke(1f), paint);
    return it;
  }

  private static LegendItem line(String label, java.awt.Paint paint, BasicStroke stroke) {
    return new LegendItem(label, null, null, null, false, new Rectangle2D.Double(-1, -1, 2, 2), false, paint, false,
        paint, stroke, true, new Line2D.Double(-8, 0, 8, 0), stroke, paint);
  }

  private String tooltip(int series, int item) {
    Data d = data;
    if (d == null) {
      return null;
    }
    VersionPoint p;
    if (series == 0 && item < d.plotted().size()) {
      p = d.plotted().get(item);
    } else {
      p = d.plotted().stream().filter(VersionPoint::inService).findFirst().orElse(null);
    }
    return p == null ? null : p.version() + " · " + p.trainer() + " · " + Format.metric(d.metric(),
        p.metric(d.metric())) + (p.inService() ? " · in service" : "");
  }
}
