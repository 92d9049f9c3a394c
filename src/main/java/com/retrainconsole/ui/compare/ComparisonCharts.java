package com.retrainconsole.ui.compare;

import com.retrainconsole.comparison.VersionComparison;
import java.awt.BasicStroke;
import java.awt.geom.Ellipse2D;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The on-demand charts of picked versions on one window: predicted vs actual, residuals over time, error by
 * hour of day and feature importance. {@link #build} turns a core result into datasets off the FX thread;
 * {@link #show} swaps them in.
 */
final class ComparisonCharts {
  static final int TOP_FEATURES = 10;

  record Data(
      VersionComparison.Result result,
      XYSeriesCollection predictedVsActual,
      XYSeriesCollection residuals,
      DefaultCategoryDataset byHour,
      DefaultCategoryDataset importance,
      double min,
      double max) {}

  private final XYPlot pvaPlot;
  private final XYPlot residualPlot;
  private final CategoryPlot hourPlot;
  private final CategoryPlot importancePlot;
  final JFreeChart predictedVsActual;
  final JFreeChart residuals;
  final JFreeChart byHour;
  final JFreeChart importance;
  private Data data;
  private ChartStyle style = ChartStyle.LIGHT;

  ComparisonCharts() {
    XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
    pvaPlot = new XYPlot(null, new NumberAxis("Actual power (W)"), new NumberAxis("Predicted power (W)"), dots);
    pvaPlot.setNoDataMessage("Tick two or more versions and press Compare");
    predictedVsActual = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, pvaPlot, true);

    XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
    NumberAxis residualAxis = new NumberAxis("Residual, actual − predicted (W)");
    residualPlot = new XYPlot(null, new TimeAxis("Time", java.time.ZoneId.systemDefault()), residualAxis, lines);
    residualPlot.setNoDataMessage("Tick two or more versions and press Compare");
    residuals = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, residualPlot, true);

    hourPlot = new CategoryPlot(null, new CategoryAxis("Hour of day (site time)"), new NumberAxis("MAE (W)"),
        new BarRenderer());
    hourPlot.setNoDataMessage("Tick two or more versions and press Compare");
    byHour = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, hourPlot, true);

    importancePlot = new CategoryPlot(null, new CategoryAxis("Feature"),
        new NumberAxis("Importance (as reported by Tribuo)"), new BarRenderer());
    importancePlot.setOrientation(PlotOrientation.HORIZONTAL);
    importancePlot.setNoDataMessage("No feature importance: compare versions first (forests report none)");
    importance = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, importancePlot, true);
    restyle(style);
  }

  Data data() {
    return data;
  }

  /** Off the FX thread. */
  static Data build(VersionComparison.Result r) {
    XYSeriesCollection pva = new XYSeriesCollection();
    XYSeriesCollection res = new XYSeriesCollection();
    DefaultCategoryDataset hours = new DefaultCategoryDataset();
    DefaultCategoryDataset imp = new DefaultCategoryDataset();
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (VersionComparison.VersionResult v : r.versions()) {
      XYSeries p = new XYSeries(v.version(), false, true);
      XYSeries e = new XYSeries(v.version(), false, true);
      for (int i = 0; i < r.ts().length; i++) {
        p.add(r.actual()[i], v.predicted()[i], false);
        e.add(r.ts()[i], v.residual()[i], false);
        min = Math.min(min, Math.min(r.actual()[i], v.predicted()[i]));
        max = Math.max(max, Math.max(r.actual()[i], v.predicted()[i]));
      }
      pva.addSeries(p);
      res.addSeries(e);
      for (int h = 0; h < 24; h++) {
        double mae = v.maeByHour()[h];
        hours.addValue(Double.isFinite(mae) ? mae : null, v.version(), String.format("%02d", h));
      }
    }
    // the features that matter most for any picked version, in order of their best importance
    Map<String, Double> best = new HashMap<>();
    for (VersionComparison.VersionResult v : r.versions()) {
      v.featureImportance().forEach((f, w) -> best.merge(f, w, Math::max));
    }
    List<String> top = new ArrayList<>(best.keySet());
    top.sort((a, b) -> Double.compare(best.get(b), best.get(a)));
    top = top.subList(0, Math.min(TOP_FEATURES, top.size()));
    for (VersionComparison.VersionResult v : r.versions()) {
      for (String f : top) {
        imp.addValue(v.featureImportance().getOrDefault(f, 0.0), v.version(), f);
      }
    }
    return new Data(r, pva, res, hours, imp, min, max);
  }

  /** On the FX thread. */
  void show(Data newData) {
    quietly(() -> showQuietly(newData));
  }

  /** One redraw per chart for a whole update: ChartCanvas redraws synchronously on every change event. */
  private void quietly(Runnable update) {
    List<Boolean> was = all().stream().map(JFreeChart::isNotify).toList();
    all().forEach(c -> c.setNotify(false));
    try {
      update.run();
    } finally {
      for (int i = 0; i < all().size(); i++) {
        all().get(i).setNotify(was.get(i));
      }
    }
  }

  private void showQuietly(Data newData) {
    pvaPlot.setDataset(newData.predictedVsActual());
    residualPlot.setDataset(newData.residuals());
    hourPlot.setDataset(newData.byHour());
    importancePlot.setDataset(newData.importance());
    this.data = newData; // last: data() non-null means every chart shows it
    restyle(style); // colours per series and the y = x line
  }

  /** Back to "nothing compared yet" (another device was picked). */
  void clear() {
    quietly(this::clearQuietly);
  }

  private void clearQuietly() {
    data = null;
    pvaPlot.setDataset(null);
    pvaPlot.clearAnnotations();
    residualPlot.setDataset(null);
    hourPlot.setDataset(null);
    importancePlot.setDataset(null);
  }

  List<JFreeChart> all() {
    return List.of(predictedVsActual, residuals, byHour, importance);
  }

  void restyle(ChartStyle newStyle) {
    quietly(() -> restyleQuietly(newStyle));
  }

  private void restyleQuietly(ChartStyle newStyle) {
    this.style = newStyle;
    for (JFreeChart c : all()) {
      newStyle.apply(c);
    }
    int n = data == null ? 0 : data.result().versions().size();
    XYLineAndShapeRenderer dots = (XYLineAndShapeRenderer) pvaPlot.getRenderer();
    XYLineAndShapeRenderer lines = (XYLineAndShapeRenderer) residualPlot.getRenderer();
    BarRenderer hours = (BarRenderer) hourPlot.getRenderer();
    BarRenderer imp = (BarRenderer) importancePlot.getRenderer();
    for (BarRenderer b : List.of(hours, imp)) {
      b.setBarPainter(new StandardBarPainter());
      b.setShadowVisible(false);
      b.setItemMargin(0.02);
    }
    hourPlot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.STANDARD);
    for (int i = 0; i < Math.max(n, 1); i++) {
      dots.setSeriesPaint(i, newStyle.series(i));
      dots.setSeriesShape(i, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
      lines.setSeriesPaint(i, newStyle.series(i));
      lines.setSeriesStroke(i, new BasicStroke(1.2f));
      hours.setSeriesPaint(i, newStyle.series(i));
      imp.setSeriesPaint(i, newStyle.series(i));
    }
    pvaPlot.getAnnotations().forEach(a -> {
      if (a instanceof XYLineAnnotation) {
        pvaPlot.removeAnnotation(a, false);
      }
    });
    if (data != null && Double.isFinite(data.min())) {
      pvaPlot.addAnnotation(new XYLineAnnotation(data.min(), data.min(), data.max(), data.max(), dashed(),
          newStyle.muted()));
    }
  }

  private static BasicStroke dashed() {
    return new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f);
  }
}
