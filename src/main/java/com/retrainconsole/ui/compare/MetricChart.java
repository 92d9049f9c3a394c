package com.retrainconsole.ui.compare;

import com.retrainconsole.audit.PointerMove;
import com.retrainconsole.comparison.Metric;
import com.retrainconsole.comparison.Thinning;
import com.retrainconsole.comparison.VersionHistory;
import com.retrainconsole.comparison.VersionPoint;
import java.awt.BasicStroke;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
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

  /**
   * Pixel columns the versions series is thinned to when the plot width is not known. decision: a fixed
   * default rather than the live width: the dataset is built off the FX thread, and 1,200 columns keep at most
   * ~2 points per pixel column on the widest plot the 1320 px window gives; {@link #build(VersionHistory,
   * Metric, int, Set)} takes the width when the caller knows it.
   */
  public static final int DEFAULT_COLUMNS = 1200;

  /**
   * What the chart shows: series 0 = the versions drawn ({@code plotted}, thinned to min and max per pixel
   * column, in service and picked ones exact), series 1 = the version in service; {@code versions} = every
   * version that has the metric (for the picked rings).
   */
  public record Data(Metric metric, VersionHistory history, XYSeriesCollection dataset, List<VersionPoint> plotted,
      List<VersionPoint> versions, List<String> tooltips) {}

  private final XYPlot plot;
  private final JFreeChart chart;
  private final XYLineAndShapeRenderer versionsRenderer = new XYLineAndShapeRenderer(true, true);
  private final XYLineAndShapeRenderer pickedRenderer = new XYLineAndShapeRenderer(false, true);
  private final XYSeriesCollection picked = new XYSeriesCollection(new XYSeries("Picked", false, true));
  private final MovesLayer moves = new MovesLayer();
  private final ZoneId zone;
  private Data data;
  private ChartStyle style = ChartStyle.LIGHT;

  public MetricChart() {
    this(ZoneId.systemDefault());
  }

  public MetricChart(ZoneId zone) {
    this.zone = zone;
    DateAxis x = new TimeAxis("Version created", zone);
    NumberAxis y = new NumberAxis(Metric.MAE.axisLabel());
    y.setAutoRangeIncludesZero(false);
    plot = new XYPlot(null, x, y, versionsRenderer);
    plot.setDataset(1, picked);
    plot.setRenderer(1, pickedRenderer);
    plot.setNoDataMessage("No saved versions for this device yet");
    versionsRenderer.setDefaultToolTipGenerator((ds, series, item) -> tooltip(series, item));
    // decision: a line per segment (the default), not one path: a 2,400-point zig-zag as one path made the FX
    // render thread's rasteriser sort thousands of crossings per scanline (slower than many small lines)
    // behind the data, like the background markers it replaces
    versionsRenderer.addAnnotation(moves, Layer.BACKGROUND);
    chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    restyle(style);
  }

  public JFreeChart chart() {
    return chart;
  }

  Data data() {
    return data;
  }

  /** Off the FX thread: {@link #build(VersionHistory, Metric, int, Set)} for the default width, no picks. */
  public static Data build(VersionHistory history, Metric metric) {
    return build(history, metric, DEFAULT_COLUMNS, Set.of());
  }

  /**
   * Off the FX thread: the versions that have the metric, thinned to at most 2 per pixel column of a plot
   * {@code columns} wide (the lowest and highest of each column: the drawn envelope is unchanged), keeping
   * the version in service and the {@code keep} versions exact; plus the version in service as its own series.
   */
  public static Data build(VersionHistory history, Metric metric, int columns, Set<String> keep) {
    List<VersionPoint> versions = new ArrayList<>(history.versions().size());
    for (VersionPoint p : history.versions()) {
      if (Double.isFinite(p.metric(metric))) {
        versions.add(p);
      }
    }
    List<VersionPoint> plotted = Thinning.thin(versions, metric, columns, keep);
    XYSeries all = new XYSeries("Versions", false, true);
    XYSeries current = new XYSeries("In service", false, true);
    for (VersionPoint p : plotted) {
      long t = p.createdAt().toEpochMilli();
      double v = p.metric(metric);
      all.add(t, v, false);
      if (p.inService()) {
        current.add(t, v, false);
      }
    }
    XYSeriesCollection dataset = new XYSeriesCollection();
    dataset.addSeries(all);
    dataset.addSeries(current);
    // decision: tooltips formatted here, off the FX thread: the chart asks for one per item on every draw
    // (entity collection), which was a third of the FX thread's draw time at 5k versions
    List<String> tooltips = new ArrayList<>(plotted.size());
    for (VersionPoint p : plotted) {
      tooltips.add(tooltip(p, metric));
    }
    return new Data(metric, history, dataset, List.copyOf(plotted), List.copyOf(versions), List.copyOf(tooltips));
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

  public void setPicked(Set<String> versions) {
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
      for (VersionPoint p : data.versions()) {
        if (versions.contains(p.version())) {
          s.add(p.createdAt().toEpochMilli(), p.metric(data.metric()), false);
        }
      }
    }
    s.setNotify(true);
  }

  /** The pointer-move layer, for tests of its label layout. */
  MovesLayer movesLayer() {
    return moves;
  }

  /** Pointer moves marked on the chart (one vertical line each; several may share a pixel column). */
  int markerCount() {
    return moves.count();
  }

  private void markMoves(List<PointerMove> pointerMoves) {
    moves.setMoves(pointerMoves, MAX_LABELLED_MOVES, zone);
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
    moves.setPaints(newStyle.promotion(), newStyle.rollback());
    LegendItemCollection legend = new LegendItemCollection();
    legend.add(item("Versions", DOT, newStyle.series(0), true));
    legend.add(item("In service", DIAMOND, newStyle.inService(), true));
    legend.add(item("Picked", RING, newStyle.text(), false));
    legend.add(line("Promotion", newStyle.promotion(), new BasicStroke(1.6f)));
    legend.add(line("Rollback", newStyle.rollback(), MovesLayer.rollbackStroke()));
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
    if (series == 0 && item < d.tooltips().size()) {
      return d.tooltips().get(item);
    }
    VersionPoint p = d.plotted().stream().filter(VersionPoint::inService).findFirst().orElse(null);
    return p == null ? null : tooltip(p, d.metric());
  }

  private static String tooltip(VersionPoint p, Metric metric) {
    return p.version() + " · " + p.trainer() + " · " + Format.metric(metric, p.metric(metric))
        + (p.inService() ? " · in service" : "");
  }
}
