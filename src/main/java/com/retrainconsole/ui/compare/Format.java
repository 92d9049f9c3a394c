package com.retrainconsole.ui.compare;

import com.retrainconsole.comparison.Metric;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Number and time formats of the comparison view: units on every error figure. */
final class Format {
  private Format() {}

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("MM-dd HH:mm");

  static String shortTime(Instant t, ZoneId zone) {
    return t == null ? "–" : SHORT.format(t.atZone(zone));
  }

  static String metric(Metric m, double v) {
    if (!Double.isFinite(v)) {
      return "–";
    }
    return m == Metric.R2 ? String.format("%.3f", v) : String.format("%.1f %s", v, m.unit());
  }

  static String time(Instant t, ZoneId zone) {
    return t == null ? "–" : TIME.format(t.atZone(zone));
  }
}
