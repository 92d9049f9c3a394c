package com.retrainconsole.ui.compare;

import com.retrainconsole.audit.PointerMove;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import org.jfree.chart.annotations.AbstractXYAnnotation;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

/**
 * The pointer moves of a history as vertical lines across the plot, drawn as one annotation layer.
 * decision: 500 ValueMarkers cost a stroke, paint and line each per draw; here at most one line per pixel
 * column and kind is drawn, promotions as thin filled rectangles (an axis-aligned fill is the cheap case of
 * the software renderer). Each line is its own shape on purpose: one path of 500 full-height lines made the
 * FX render thread sort ~1,000 edge crossings per scanline (measured: the render pass, not the chart code,
 * was the stall).
 */
final class MovesLayer extends AbstractXYAnnotation {
  private static final long serialVersionUID = 1L;

  private long[] promotions = new long[0];
  private long[] rollbacks = new long[0];
  private boolean labelled;
  private Color promotionPaint = ChartStyle.LIGHT.promotion();
  private Color rollbackPaint = ChartStyle.LIGHT.rollback();

  /** Replaces the moves drawn; labels ("promote", "rollback") only when there are at most {@code maxLabelled}. */
  void setMoves(List<PointerMove> moves, int maxLabelled) {
    promotions = moves.stream().filter(m -> !isRollback(m)).mapToLong(m -> m.at().toEpochMilli()).toArray();
    rollbacks = moves.stream().filter(MovesLayer::isRollback).mapToLong(m -> m.at().toEpochMilli()).toArray();
    labelled = moves.size() <= maxLabelled;
    fireAnnotationChanged();
  }

  void setPaints(Color promotion, Color rollback) {
    promotionPaint = promotion;
    rollbackPaint = rollback;
    fireAnnotationChanged();
  }

  /** Moves drawn (promotions and rollbacks). */
  int count() {
    return promotions.length + rollbacks.length;
  }

  static boolean isRollback(PointerMove m) {
    return PointerMove.ROLLBACK.equals(m.action());
  }

  static BasicStroke promotionStroke() {
    return new BasicStroke(1.4f);
  }

  static BasicStroke rollbackStroke() {
    return new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);
  }

  @Override
  public void draw(Graphics2D g2, XYPlot plot, Rectangle2D dataArea, ValueAxis domainAxis, ValueAxis rangeAxis,
      int rendererIndex, PlotRenderingInfo info) {
    RectangleEdge edge = plot.getDomainAxisEdge();
    drawLines(g2, promotions, promotionPaint, promotionStroke(), "promote", dataArea, domainAxis, edge);
    // rollbacks last: rarer and the ones an operator looks for
    drawLines(g2, rollbacks, rollbackPaint, rollbackStroke(), "rollback", dataArea, domainAxis, edge);
  }

  private void drawLines(Graphics2D g2, long[] times, Color paint, BasicStroke stroke, String label,
      Rectangle2D area, ValueAxis axis, RectangleEdge edge) {
    if (times.length == 0) {
      return;
    }
    g2.setPaint(paint);
    g2.setStroke(stroke);
    boolean dashed = stroke.getDashArray() != null;
    double w = stroke.getLineWidth();
    int lastColumn = Integer.MIN_VALUE;
    for (long t : times) { // ledger order is time order, so equal columns are adjacent
      double x = axis.valueToJava2D(t, area, edge);
      if (x < area.getMinX() || x > area.getMaxX()) {
        continue;
      }
      int column = (int) Math.floor(x);
      if (column == lastColumn && !labelled) {
        continue;
      }
      lastColumn = column;
      if (dashed) {
        g2.draw(new Line2D.Double(x, area.getMinY(), x, area.getMaxY()));
      } else {
        g2.fill(new Rectangle2D.Double(x - w / 2, area.getMinY(), w, area.getHeight()));
      }
      if (labelled) {
        g2.setFont(ChartStyle.TICK_FONT);
        TextUtils.drawAlignedString(label, g2, (float) (x - 3), (float) (area.getMinY() + 3), TextAnchor.TOP_RIGHT);
      }
    }
  }
}
