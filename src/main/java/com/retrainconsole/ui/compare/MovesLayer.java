package com.retrainconsole.ui.compare;

import com.retrainconsole.audit.PointerMove;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jfree.chart.annotations.AbstractXYAnnotation;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleEdge;

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
  private String[] promotionTips = new String[0];
  private String[] rollbackTips = new String[0];
  private Color promotionPaint = ChartStyle.LIGHT.promotion();
  private Color rollbackPaint = ChartStyle.LIGHT.rollback();

  /** Replaces the moves drawn; labels ("promote", "rollback") only when there are at most {@code maxLabelled}. */
  void setMoves(List<PointerMove> moves, int maxLabelled, ZoneId zone) {
    List<PointerMove> promoted = moves.stream().filter(m -> !isRollback(m)).toList();
    List<PointerMove> rolledBack = moves.stream().filter(MovesLayer::isRollback).toList();
    promotions = promoted.stream().mapToLong(m -> m.at().toEpochMilli()).toArray();
    rollbacks = rolledBack.stream().mapToLong(m -> m.at().toEpochMilli()).toArray();
    labelled = moves.size() <= maxLabelled;
    // tooltips only for the labelled (few) moves: formatted once here, not on every draw
    promotionTips = labelled ? promoted.stream().map(m -> tooltip(m, zone)).toArray(String[]::new) : new String[0];
    rollbackTips = labelled ? rolledBack.stream().map(m -> tooltip(m, zone)).toArray(String[]::new) : new String[0];
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

  private static String tooltip(PointerMove m, ZoneId zone) {
    String what = isRollback(m) ? "rollback" : PointerMove.RECONCILED.equals(m.action()) ? "reconciled" : "promote";
    return what + " to " + m.toVersion() + (m.fromVersion() == null ? "" : " (from " + m.fromVersion() + ")")
        + " · " + Format.time(m.at(), zone) + (m.actor() == null ? "" : " · by " + m.actor());
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

  /** Label rows stacked under the plot's top edge before further labels are hidden (tooltip only). */
  static final int LABEL_ROWS = 3;
  private static final double GAP = 4;

  /**
   * Where each label of the last draw went (null: hidden for lack of room; the marker's tooltip names it),
   * in time order. For tests and for the tooltip hotspots.
   */
  private List<Rectangle2D> lastLabelBounds = List.of();

  List<Rectangle2D> lastLabelBounds() {
    return lastLabelBounds;
  }

  @Override
  public void draw(Graphics2D g2, XYPlot plot, Rectangle2D dataArea, ValueAxis domainAxis, ValueAxis rangeAxis,
      int rendererIndex, PlotRenderingInfo info) {
    RectangleEdge edge = plot.getDomainAxisEdge();
    drawLines(g2, promotions, promotionPaint, promotionStroke(), dataArea, domainAxis, edge);
    // rollbacks last: rarer and the ones an operator looks for
    drawLines(g2, rollbacks, rollbackPaint, rollbackStroke(), dataArea, domainAxis, edge);
    if (!labelled) {
      lastLabelBounds = List.of();
      return;
    }
    // decision: labels of both kinds are laid out together: a promotion and a rollback minutes apart used to
    // print their labels over each other ("promrollback")
    List<Label> labels = new ArrayList<>();
    for (int i = 0; i < promotions.length; i++) {
      labels.add(new Label(promotions[i], "promote", promotionPaint, promotionTips[i]));
    }
    for (int i = 0; i < rollbacks.length; i++) {
      labels.add(new Label(rollbacks[i], "rollback", rollbackPaint, rollbackTips[i]));
    }
    labels.sort(Comparator.comparingLong(Label::at));
    g2.setFont(ChartStyle.TICK_FONT);
    FontMetrics fm = g2.getFontMetrics();
    double[] xs = new double[labels.size()];
    double[] widths = new double[labels.size()];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = domainAxis.valueToJava2D(labels.get(i).at(), dataArea, edge);
      widths[i] = fm.stringWidth(labels.get(i).text());
    }
    List<Rectangle2D> boxes = layout(xs, widths, fm.getAscent() + fm.getDescent(), dataArea, LABEL_ROWS);
    for (int i = 0; i < boxes.size(); i++) {
      Label l = labels.get(i);
      Rectangle2D box = boxes.get(i);
      if (box != null) {
        g2.setPaint(l.paint());
        g2.drawString(l.text(), (float) box.getMinX(), (float) (box.getMinY() + fm.getAscent()));
      }
      if (info != null && xs[i] >= dataArea.getMinX() && xs[i] <= dataArea.getMaxX()) {
        // the marker line itself is the hotspot: a hidden label is read from its tooltip
        Rectangle2D hot = new Rectangle2D.Double(xs[i] - 3, dataArea.getMinY(), 6, dataArea.getHeight());
        addEntity(info, box == null ? hot : hot.createUnion(box), rendererIndex, l.tooltip(), null);
      }
    }
    lastLabelBounds = boxes;
  }

  private record Label(long at, String text, Color paint, String tooltip) {}

  /**
   * Label boxes for markers at {@code xs} (ascending), each label {@code widths[i]} wide and {@code height}
   * tall: left of its line (right of it when that would leave the plot), in the first of {@code rows} rows
   * under the plot's top edge where it overlaps no label already placed; null when no row has room or the
   * marker is off the plot. No two returned boxes intersect.
   */
  static List<Rectangle2D> layout(double[] xs, double[] widths, double height, Rectangle2D area, int rows) {
    List<List<Rectangle2D>> placed = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      placed.add(new ArrayList<>());
    }
    List<Rectangle2D> out = new ArrayList<>(xs.length);
    for (int i = 0; i < xs.length; i++) {
      double x = xs[i];
      if (!(x >= area.getMinX() && x <= area.getMaxX())) {
        out.add(null);
        continue;
      }
      double w = widths[i];
      double left = x - 3 - w >= area.getMinX() ? x - 3 - w : x + 3;
      Rectangle2D found = null;
      for (int r = 0; r < rows && found == null; r++) {
        double y = area.getMinY() + 3 + r * (height + 2);
        if (y + height > area.getMaxY()) {
          break;
        }
        Rectangle2D box = new Rectangle2D.Double(left, y, w, height);
        Rectangle2D padded = new Rectangle2D.Double(left - GAP / 2, y, w + GAP, height);
        if (placed.get(r).stream().noneMatch(p -> p.intersects(padded))) {
          placed.get(r).add(box);
          found = box;
        }
      }
      out.add(found);
    }
    return out;
  }

  private void drawLines(Graphics2D g2, long[] times, Color paint, BasicStroke stroke, Rectangle2D area,
      ValueAxis axis, RectangleEdge edge) {
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
      if (column == lastColumn) {
        continue;
      }
      lastColumn = column;
      if (dashed) {
        g2.draw(new Line2D.Double(x, area.getMinY(), x, area.getMaxY()));
      } else {
        g2.fill(new Rectangle2D.Double(x - w / 2, area.getMinY(), w, area.getHeight()));
      }
    }
  }
}
