package com.retrainconsole.ui.compare;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import com.retrainconsole.ui.Theme;
import com.retrainconsole.ui.ThemeTokens;
import javafx.scene.Scene;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;

/**
 * Chart colours of a theme. decision: JFreeChart paints with AWT colours, not CSS, so they are read from the
 * theme's token sheet ({@link ThemeTokens}: BG, CHART_PLOT_BG, CHART_GRID, TEXT, TEXT_MUTED, STATUS_*,
 * CHART_1..8) rather than written here; a theme change needs no change in this class.
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

  static final int SERIES = 8;
  public static final ChartStyle LIGHT = of(Theme.LIGHT);
  public static final ChartStyle DARK = of(Theme.DARK);
  public static final ChartStyle HIGH_CONTRAST = of(Theme.HIGH_CONTRAST);

  /** The chart colours of {@code theme}, from its token sheet. */
  public static ChartStyle of(Theme theme) {
    ThemeTokens t = ThemeTokens.of(theme);
    Color[] palette = new Color[SERIES];
    for (int i = 0; i < SERIES; i++) {
      palette[i] = awt(t.colour("CHART_" + (i + 1)));
    }
    return new ChartStyle(theme.dark(), awt(t.colour("BG")), awt(t.colour("CHART_PLOT_BG")),
        awt(t.colour("CHART_GRID")), awt(t.colour("TEXT")), awt(t.colour("TEXT_MUTED")),
        awt(t.colour("STATUS_COMPLETED")), awt(t.colour("STATUS_FAILED")), awt(t.colour("CHART_IN_SERVICE")),
        palette);
  }

  private static Color awt(javafx.scene.paint.Color c) {
    return new Color((float) c.getRed(), (float) c.getGreen(), (float) c.getBlue(), (float) c.getOpacity());
  }

  static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 15);
  static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
  static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

  /** The style of the theme the scene shows (the shell puts one theme's token sheet on the scene). */
  public static ChartStyle of(Scene scene) {
    if (scene == null) {
      return LIGHT;
    }
    for (Theme t : Theme.values()) {
      if (scene.getStylesheets().stream().anyMatch(s -> s.endsWith(t.resource()))) {
        return switch (t) {
          case LIGHT -> LIGHT;
          case DARK -> DARK;
          case HIGH_CONTRAST -> HIGH_CONTRAST;
        };
      }
    }
    return LIGHT;
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

}
