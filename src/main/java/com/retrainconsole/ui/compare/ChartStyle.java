package com.retrainconsole.ui.compare;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import javafx.scene.Scene;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;

/**
 * Chart colours for the light and dark theme. decision: JFreeChart paints with AWT colours, not CSS, so the
 * values mirror the tokens of css/light.css and css/dark.css (BG, BG_NAV, TEXT, TEXT_MUTED, BORDER, STATUS_*)
 * instead of being read from the scene; keep them in step when a theme changes.
 */
public record ChartStyle(
    boolean dark,
    Color background,
    Color plotBackground,
    Color grid,
    Color text,
    Color muted,
    Color promotion,
    Color rollback,
    Color inService,
    Color[] palette) {

  public static final ChartStyle LIGHT = new ChartStyle(false, rgb(0xffffff), rgb(0xffffff), rgb(0xd1d5db),
      rgb(0x111827), rgb(0x4b5563), rgb(0x166534), rgb(0xb91c1c), rgb(0xc2410c),
      new Color[] {rgb(0x1d4ed8), rgb(0xc2410c), rgb(0x15803d), rgb(0x7e22ce), rgb(0xb91c1c), rgb(0x0e7490),
          rgb(0xa16207), rgb(0xbe185d)});
  public static final ChartStyle DARK = new ChartStyle(true, rgb(0x0b0f14), rgb(0x151b23), rgb(0x374151),
      rgb(0xf9fafb), rgb(0xcbd5e1), rgb(0x4ade80), rgb(0xf87171), rgb(0xfb923c),
      new Color[] {rgb(0x60a5fa), rgb(0xfb923c), rgb(0x4ade80), rgb(0xc084fc), rgb(0xf87171), rgb(0x22d3ee),
          rgb(0xfacc15), rgb(0xf472b6)});

  static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 15);
  static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
  static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

  /** The style of the theme the scene shows (the shell puts light.css or dark.css on the scene). */
  public static ChartStyle of(Scene scene) {
    if (scene == null) {
      return LIGHT;
    }
    return scene.getStylesheets().stream().anyMatch(s -> s.endsWith("/dark.css")) ? DARK : LIGHT;
  }

  public Color series(int i) {
    return palette[Math.floorMod(i, palette.length)];
  }

  /** Paints background, plot, axes, grid, title and legend of {@code chart} in this style. */
  public void apply(JFreeChart chart) {
    chart.setBackgroundPaint(background);
    chart.setAntiAlias(true);
    TextTitle title = chart.getTitle();
    if (title != null) {
      title.setPaint(text);
      title.setFont(TITLE_FONT);
    }
    for (int i = 0; i < chart.getSubtitleCount(); i++) {
      if (chart.getSubtitle(i) instanceof LegendTitle legend) {
        legend.setBackgroundPaint(background);
        legend.setItemPaint(text);
        legend.setItemFont(LABEL_FONT);
      } else if (chart.getSubtitle(i) instanceof TextTitle sub) {
        sub.setPaint(muted);
        sub.setFont(LABEL_FONT);
      }
    }
    Plot plot = chart.getPlot();
    plot.setBackgroundPaint(plotBackground);
    plot.setOutlinePaint(grid);
    plot.setNoDataMessagePaint(muted);
    plot.setNoDataMessageFont(LABEL_FONT);
    if (plot instanceof XYPlot xy) {
      grid(xy.getDomainAxis(), xy.getRangeAxis());
      xy.setDomainGridlinePaint(grid);
      xy.setRangeGridlinePaint(grid);
      xy.setDomainGridlineStroke(new BasicStroke(0.6f));
      xy.setRangeGridlineStroke(new BasicStroke(0.6f));
    } else if (plot instanceof CategoryPlot cat) {
      grid(cat.getDomainAxis(), cat.getRangeAxis());
      cat.setRangeGridlinePaint(grid);
      cat.setRangeGridlineStroke(new BasicStroke(0.6f));
    }
  }

  private void grid(Axis... axes) {
    for (Axis a : axes) {
      if (a == null) {
        continue;
      }
      a.setLabelPaint(text);
      a.setLabelFont(LABEL_FONT);
      a.setTickLabelPaint(text);
      a.setTickLabelFont(TICK_FONT);
      a.setAxisLinePaint(muted);
      a.setTickMarkPaint(muted);
    }
  }

  public Paint backgroundPaint() {
    return background;
  }

  private static Color rgb(int v) {
    return new Color(v);
  }
}
