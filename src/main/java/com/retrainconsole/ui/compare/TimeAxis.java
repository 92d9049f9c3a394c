package com.retrainconsole.ui.compare;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.text.DateFormat;
import java.text.FieldPosition;
import java.text.ParsePosition;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Calendar;
import java.util.Date;
import java.util.Locale;
import java.util.TimeZone;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.DateTickUnit;
import org.jfree.chart.axis.DateTickUnitType;
import org.jfree.chart.axis.TickUnit;
import org.jfree.chart.axis.TickUnitSource;
import org.jfree.chart.axis.TickUnits;
import org.jfree.chart.ui.RectangleEdge;

/**
 * A time axis that reads well for one point or years of them: the automatic range spans at least a day
 * (one version alone used to get a 2 ms axis with ticks "10:23:37.833", ".834"), ticks step in whole
 * minutes, hours, days, months or years (never milliseconds or seconds), labels are formatted for the step
 * (HH:mm within a day with the date at midnight, "MMM d" for days, "MMM yyyy" for months) and there are at
 * most {@link #MAX_TICKS} ticks however wide the plot.
 */
final class TimeAxis extends DateAxis {
  private static final long serialVersionUID = 1L;
  static final Duration MIN_SPAN = Duration.ofDays(1);
  static final int MAX_TICKS = 10;

  TimeAxis(String label, ZoneId zone) {
    super(label, TimeZone.getTimeZone(zone), Locale.ROOT);
    setStandardTickUnits(units(zone));
    setAutoRangeMinimumSize(MIN_SPAN.toMillis());
  }

  static TickUnitSource units(ZoneId zone) {
    TickUnits units = new TickUnits();
    DateFormat clock = new SpanFormat(zone, "HH:mm", true);
    for (int m : new int[] {5, 15, 30}) {
      units.add(new DateTickUnit(DateTickUnitType.MINUTE, m, clock));
    }
    for (int h : new int[] {1, 2, 3, 6, 12}) {
      units.add(new DateTickUnit(DateTickUnitType.HOUR, h, clock));
    }
    DateFormat day = new SpanFormat(zone, "MMM d", false);
    for (int d : new int[] {1, 2, 3, 7, 14}) {
      units.add(new DateTickUnit(DateTickUnitType.DAY, d, day));
    }
    DateFormat month = new SpanFormat(zone, "MMM yyyy", false);
    for (int m : new int[] {1, 2, 3, 6}) {
      units.add(new DateTickUnit(DateTickUnitType.MONTH, m, month));
    }
    DateFormat year = new SpanFormat(zone, "yyyy", false);
    for (int y : new int[] {1, 2, 5, 10, 25, 50, 100}) {
      units.add(new DateTickUnit(DateTickUnitType.YEAR, y, year));
    }
    return units;
  }

  /** The step that keeps labels apart, made coarser until there are at most {@link #MAX_TICKS} ticks. */
  @Override
  protected void selectAutoTickUnit(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
    super.selectAutoTickUnit(g2, dataArea, edge);
    TickUnitSource source = getStandardTickUnits();
    double span = getRange().getLength();
    TickUnit unit = getTickUnit();
    while (span / unit.getSize() > MAX_TICKS) {
      TickUnit larger = source.getLargerTickUnit(unit);
      if (larger == null || larger.getSize() <= unit.getSize()) {
        break;
      }
      unit = larger;
    }
    if (unit != getTickUnit()) {
      setTickUnit((DateTickUnit) unit, false, false);
    }
  }

  /** A tick label format; a clock format shows the date instead of 00:00. Formatting only. */
  static final class SpanFormat extends DateFormat {
    private static final long serialVersionUID = 1L;
    private static final DateTimeFormatter MIDNIGHT = DateTimeFormatter.ofPattern("MMM d", Locale.ROOT);
    private final ZoneId zone;
    private final DateTimeFormatter pattern;
    private final boolean clock;

    SpanFormat(ZoneId zone, String pattern, boolean clock) {
      this.zone = zone;
      this.pattern = DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
      this.clock = clock;
      setCalendar(Calendar.getInstance(TimeZone.getTimeZone(zone), Locale.ROOT));
      setNumberFormat(java.text.NumberFormat.getIntegerInstance(Locale.ROOT));
    }

    @Override
    public StringBuffer format(Date date, StringBuffer to, FieldPosition pos) {
      ZonedDateTime t = Instant.ofEpochMilli(date.getTime()).atZone(zone);
      boolean midnight = t.getHour() == 0 && t.getMinute() == 0;
      return to.append(clock && midnight ? MIDNIGHT.format(t) : pattern.format(t));
    }

    @Override
    public Date parse(String source, ParsePosition pos) {
      throw new UnsupportedOperationException("tick labels are not parsed");
    }
  }
}
