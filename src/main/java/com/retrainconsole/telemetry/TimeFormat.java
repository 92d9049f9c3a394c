package com.retrainconsole.telemetry;

import com.retrainconsole.common.UserException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A way timestamps are written in a CSV file, turning text into epoch millis. Zone-less times are
 * read in a given zone; {@link Parsed#later} carries the second instant when a local time falls in
 * a DST overlap (the clock went back), so the importer can tell 02:30 before and after the change
 * apart.
 */
abstract class TimeFormat {
  /**
   * Epoch millis, and the later instant of a DST overlap ({@code Long.MIN_VALUE} when unambiguous).
   */
  record Parsed(long millis, long later) {}

  private final String description;
  private String orderGroup;
  private boolean dayFirst;
  private String flagPattern;

  TimeFormat(String description) {
    this.description = description;
  }

  /**
   * Formats with the same group differ only in reading a numeric date day-first or month-first
   * (e.g. {@code d/M/yyyy H:mm} and {@code M/d/yyyy H:mm}); null for formats without that question.
   */
  String orderGroup() {
    return orderGroup;
  }

  boolean dayFirst() {
    return dayFirst;
  }

  /**
   * The {@code --time-format} pattern that selects this format, with or without seconds as {@code
   * example} has them.
   */
  String flagPattern(String example) {
    long colons = example.chars().filter(c -> c == ':').count();
    return colons >= 2 ? flagPattern.replace("mm", "mm:ss") : flagPattern;
  }

  private TimeFormat ordered(String group, boolean isDayFirst, String pattern) {
    this.orderGroup = group;
    this.dayFirst = isDayFirst;
    this.flagPattern = pattern;
    return this;
  }

  /** How the format is shown in messages, e.g. {@code M/d/yyyy H:mm[:ss]}. */
  String description() {
    return description;
  }

  /** The instant, or a DateTimeException / NumberFormatException when the text does not match. */
  abstract Parsed parse(String text, ZoneId zone);

  boolean matches(String text, ZoneId zone) {
    try {
      parse(text, zone);
      return true;
    } catch (DateTimeException | NumberFormatException | ArithmeticException e) {
      return false;
    }
  }

  /**
   * Formats tried by auto-detection, in order of preference when several fit (US month-first before
   * day-first).
   */
  static List<TimeFormat> candidates() {
    return List.of(
        new IsoWithZone(),
        local("yyyy-MM-dd HH:mm[:ss]", date("uuuu-MM-dd"), ' ', false),
        local("yyyy-MM-ddTHH:mm[:ss]", date("uuuu-MM-dd"), 'T', false),
        local("yyyy/MM/dd HH:mm[:ss]", date("uuuu/MM/dd"), ' ', false),
        local("M/d/yyyy H:mm[:ss]", date("M/d/uuuu"), ' ', false)
            .ordered("/", false, "M/d/yyyy H:mm"),
        local("M/d/yyyy h:mm[:ss] AM/PM", date("M/d/uuuu"), ' ', true)
            .ordered("/ am-pm", false, "M/d/yyyy h:mm a"),
        local("d/M/yyyy H:mm[:ss]", date("d/M/uuuu"), ' ', false)
            .ordered("/", true, "d/M/yyyy H:mm"),
        local("d/M/yyyy h:mm[:ss] AM/PM", date("d/M/uuuu"), ' ', true)
            .ordered("/ am-pm", true, "d/M/yyyy h:mm a"),
        local("M-d-yyyy H:mm[:ss]", date("M-d-uuuu"), ' ', false)
            .ordered("-", false, "M-d-yyyy H:mm"),
        local("d-M-yyyy H:mm[:ss]", date("d-M-uuuu"), ' ', false)
            .ordered("-", true, "d-M-yyyy H:mm"),
        local("d.M.yyyy H:mm[:ss]", date("d.M.uuuu"), ' ', false),
        new Epoch(false),
        new Epoch(true));
  }

  /** A user-given java.time pattern, or {@code epoch-s} / {@code epoch-ms}. */
  static TimeFormat explicit(String pattern) {
    String p = pattern.trim();
    if (p.equalsIgnoreCase("epoch-s")
        || p.equalsIgnoreCase("epoch_seconds")
        || p.equalsIgnoreCase("epoch")) {
      return new Epoch(false);
    }
    if (p.equalsIgnoreCase("epoch-ms") || p.equalsIgnoreCase("epoch_millis")) {
      return new Epoch(true);
    }
    DateTimeFormatter formatter;
    try {
      formatter =
          new DateTimeFormatterBuilder()
              .parseCaseInsensitive()
              .appendPattern(p)
              .toFormatter(Locale.US);
    } catch (IllegalArgumentException e) {
      throw new UserException(
          "Invalid time format '"
              + pattern
              + "': "
              + e.getMessage()
              + ". Use a java.time pattern such as 'dd/MM/yyyy HH:mm', or epoch-s / epoch-ms.");
    }
    return new PatternFormat(p, formatter);
  }

  private static DateTimeFormatterBuilder date(String datePattern) {
    return new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(datePattern);
  }

  private static TimeFormat local(
      String description, DateTimeFormatterBuilder date, char separator, boolean twelveHour) {
    DateTimeFormatterBuilder b =
        date.appendLiteral(separator)
            .appendPattern(twelveHour ? "h:mm" : "H:mm")
            .optionalStart()
            .appendLiteral(':')
            .appendPattern("ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
            .optionalEnd()
            .optionalEnd();
    if (twelveHour) {
      b.appendLiteral(' ').appendPattern("a");
    }
    return new PatternFormat(
        description, b.toFormatter(Locale.US).withResolverStyle(ResolverStyle.STRICT));
  }

  private static Parsed fromLocal(LocalDateTime local, ZoneId zone) {
    ZonedDateTime earlier = local.atZone(zone);
    ZonedDateTime later = earlier.withLaterOffsetAtOverlap();
    long millis = earlier.toInstant().toEpochMilli();
    long laterMillis = later.toInstant().toEpochMilli();
    return new Parsed(millis, laterMillis == millis ? Long.MIN_VALUE : laterMillis);
  }

  /**
   * ISO-8601 with an offset or zone: 2020-05-15T00:15:00Z, +02:00, [Europe/Madrid]; a space may
   * replace the T.
   */
  private static final class IsoWithZone extends TimeFormat {
    IsoWithZone() {
      super("ISO-8601 with offset (yyyy-MM-ddTHH:mm:ss+hh:mm or Z)");
    }

    @Override
    Parsed parse(String text, ZoneId zone) {
      String t =
          text.length() > 10 && text.charAt(10) == ' '
              ? text.substring(0, 10) + 'T' + text.substring(11)
              : text;
      TemporalAccessor parsed =
          DateTimeFormatter.ISO_DATE_TIME.parseBest(t, ZonedDateTime::from, OffsetDateTime::from);
      long millis =
          parsed instanceof ZonedDateTime z
              ? z.toInstant().toEpochMilli()
              : ((OffsetDateTime) parsed).toInstant().toEpochMilli();
      return new Parsed(millis, Long.MIN_VALUE);
    }
  }

  private static final class PatternFormat extends TimeFormat {
    private final DateTimeFormatter formatter;

    PatternFormat(String description, DateTimeFormatter formatter) {
      super(description);
      this.formatter = formatter;
    }

    @Override
    Parsed parse(String text, ZoneId zone) {
      // decision: query the parsed fields instead of parseBest, which throws (and fills a stack
      // trace) for every type tried before the one that fits: two exceptions per row of a file
      TemporalAccessor parsed = formatter.parse(text);
      ZoneId parsedZone = parsed.query(TemporalQueries.zone());
      if (parsedZone != null) {
        return new Parsed(ZonedDateTime.from(parsed).toInstant().toEpochMilli(), Long.MIN_VALUE);
      }
      if (parsed.isSupported(ChronoField.NANO_OF_DAY)) {
        return fromLocal(LocalDateTime.from(parsed), zone);
      }
      return fromLocal(LocalDate.from(parsed).atStartOfDay(), zone);
    }
  }

  /** Epoch seconds (9–10 digits, optional fraction) or millis (12–13 digits). */
  private static final class Epoch extends TimeFormat {
    private static final Pattern SECONDS = Pattern.compile("-?\\d{9,10}(\\.\\d{1,9})?");
    private static final Pattern MILLIS = Pattern.compile("-?\\d{12,13}");
    private final boolean millis;

    Epoch(boolean millis) {
      super(millis ? "epoch milliseconds" : "epoch seconds");
      this.millis = millis;
    }

    @Override
    Parsed parse(String text, ZoneId zone) {
      if (millis) {
        if (!MILLIS.matcher(text).matches()) {
          throw new NumberFormatException("not epoch millis: " + text);
        }
        return new Parsed(Long.parseLong(text), Long.MIN_VALUE);
      }
      if (!SECONDS.matcher(text).matches()) {
        throw new NumberFormatException("not epoch seconds: " + text);
      }
      return new Parsed(Math.round(Double.parseDouble(text) * 1000), Long.MIN_VALUE);
    }
  }
}
