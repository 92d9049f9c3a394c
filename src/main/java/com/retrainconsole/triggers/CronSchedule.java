package com.retrainconsole.triggers;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import com.retrainconsole.common.UserException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A 5-field UNIX cron expression in an IANA zone, with our DST policy.
 *
 * <p>decision: cron-utils is asked only for local wall-clock slots (it evaluates the expression in UTC,
 * where no DST exists), and we map each local slot to instants ourselves, because cron-utils' own DST
 * handling is not our policy (see CronScheduleTest for what it does). The policy, after Vixie cron:
 * <ul>
 *   <li>a slot in a spring-forward gap fires once, at the first valid instant after the gap (the
 *       transition); several gap slots, or a gap slot and the slot at the transition, are one fire;
 *   <li>a slot in a fall-back overlap fires once, at its first occurrence, when the hour field is fixed
 *       ({@code 30 2 * * *}); when the hour field is a wildcard ({@code 0 * * * *}, {@code 0 *&#47;2 * * *})
 *       the expression means "every real hour", so both occurrences fire (25 fires on a 25-hour day).
 * </ul>
 */
public final class CronSchedule implements Schedule {
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  /** Larger than any DST shift (2 h historically, 30 min on Lord Howe), so no slot is missed near one. */
  private static final Duration MARGIN = Duration.ofHours(3);
  private static final int MAX_STEPS = 200_000;

  private final String expression;
  private final ZoneId zone;
  private final ExecutionTime execution;
  private final boolean wildcardHour;

  private CronSchedule(String expression, ZoneId zone, Cron cron, boolean wildcardHour) {
    this.expression = expression;
    this.zone = zone;
    this.execution = ExecutionTime.forCron(cron);
    this.wildcardHour = wildcardHour;
  }

  private static final java.util.Map<String, CronSchedule> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

  /** Parses and validates; a UserException says what is wrong with the expression or the zone. */
  public static CronSchedule parse(String expression, String zoneId) {
    CronSchedule cached = CACHE.get(expression + "|" + zoneId);
    if (cached != null) {
      return cached;
    }
    CronSchedule parsed = parseUncached(expression, zoneId);
    if (CACHE.size() < 10_000) {
      CACHE.put(expression + "|" + zoneId, parsed);
    }
    return parsed;
  }

  private static CronSchedule parseUncached(String expression, String zoneId) {
    ZoneId zone = zone(zoneId);
    if (expression == null || expression.isBlank()) {
      throw new UserException("Cron expression is empty; give 5 fields: minute hour day-of-month month"
          + " day-of-week, e.g. \"30 2 * * *\"");
    }
    String expr = expression.trim().replaceAll("\\s+", " ");
    String[] fields = expr.split(" ");
    if (fields.length != 5) {
      throw new UserException("Cron expression \"" + expr + "\" has " + fields.length + " field"
          + (fields.length == 1 ? "" : "s") + "; give exactly 5: minute hour day-of-month month day-of-week,"
          + " e.g. \"30 2 * * *\" (no seconds field, no year field)");
    }
    Cron cron;
    try {
      cron = PARSER.parse(expr).validate();
    } catch (IllegalArgumentException e) {
      throw new UserException("Cron expression \"" + expr + "\" is invalid: " + e.getMessage()
          + " (fields: minute 0-59, hour 0-23, day-of-month 1-31, month 1-12, day-of-week 0-6)");
    }
    CronSchedule s = new CronSchedule(expr, zone, cron, fields[1].startsWith("*"));
    if (s.nextAfter(Instant.parse("2000-01-01T00:00:00Z")).isEmpty()) {
      throw new UserException("Cron expression \"" + expr + "\" never fires (e.g. February 30)");
    }
    return s;
  }

  static ZoneId zone(String zoneId) {
    if (zoneId == null || zoneId.isBlank()) {
      throw new UserException("Time zone is missing; give an IANA zone such as Europe/Berlin or UTC");
    }
    try {
      return ZoneId.of(zoneId.trim());
    } catch (DateTimeException e) {
      throw new UserException("Unknown time zone '" + zoneId + "'; give an IANA zone such as Europe/Berlin,"
          + " America/New_York or UTC");
    }
  }

  public String expression() {
    return expression;
  }

  public ZoneId zone() {
    return zone;
  }

  /** Whether an offset change lies within {@link #MARGIN} of {@code t}; far from one, slots map monotonically. */
  private boolean nearTransition(Instant t) {
    ZoneOffsetTransition tr = zone.getRules().nextTransition(t.minus(MARGIN));
    return tr != null && tr.getInstant().isBefore(t.plus(MARGIN));
  }

  private Duration margin(Instant t) {
    return nearTransition(t) ? MARGIN : Duration.ZERO;
  }

  @Override
  public Optional<Fire> nextAfter(Instant t) {
    // decision: widen the search only near a DST change; elsewhere the first local slot is the answer, which
    // keeps a minutely cron at a few cron-utils calls instead of a few hundred
    LocalDateTime cursor = LocalDateTime.ofInstant(t, zone).minus(margin(t));
    Fire best = null;
    for (int i = 0; i < MAX_STEPS; i++) {
      Optional<ZonedDateTime> next = execution.nextExecution(cursor.atZone(ZoneOffset.UTC));
      if (next.isEmpty()) {
        break;
      }
      LocalDateTime slot = next.get().toLocalDateTime();
      if (best != null && slot.isAfter(LocalDateTime.ofInstant(best.at(), zone).plus(margin(best.at())))) {
        break;
      }
      for (Fire f : firesOf(slot)) {
        if (f.at().isAfter(t) && (best == null || f.at().isBefore(best.at()))) {
          best = f;
        }
      }
      cursor = slot;
    }
    return Optional.ofNullable(best);
  }

  @Override
  public Optional<Fire> latestAtOrBefore(Instant t) {
    LocalDateTime cursor = LocalDateTime.ofInstant(t, zone).plus(margin(t)).plusSeconds(1);
    Fire best = null;
    for (int i = 0; i < MAX_STEPS; i++) {
      Optional<ZonedDateTime> last = execution.lastExecution(cursor.atZone(ZoneOffset.UTC));
      if (last.isEmpty()) {
        break;
      }
      LocalDateTime slot = last.get().toLocalDateTime();
      if (best != null && slot.isBefore(LocalDateTime.ofInstant(best.at(), zone).minus(margin(best.at())))) {
        break;
      }
      for (Fire f : firesOf(slot)) {
        if (!f.at().isAfter(t) && (best == null || f.at().isAfter(best.at()))) {
          best = f;
        }
      }
      cursor = slot;
    }
    return Optional.ofNullable(best);
  }

  /** The instants one local slot fires at, per the DST policy above. */
  List<Fire> firesOf(LocalDateTime slot) {
    ZoneOffsetTransition tr = zone.getRules().getTransition(slot);
    if (tr == null) {
      return List.of(new Fire(slot.atZone(zone).toInstant(), slot, null));
    }
    if (tr.isGap()) {
      return List.of(new Fire(tr.getInstant(), slot, "DST gap: " + slot.toLocalTime() + " does not exist on "
          + slot.toLocalDate() + ", fires at " + tr.getDateTimeAfter().toLocalTime()));
    }
    Instant first = slot.atOffset(tr.getOffsetBefore()).toInstant();
    List<Fire> out = new ArrayList<>(2);
    if (!wildcardHour) {
      out.add(new Fire(first, slot, "DST overlap: " + slot.toLocalTime() + " occurs twice on " + slot.toLocalDate()
          + ", fires once at the first (" + tr.getOffsetBefore() + ")"));
      return out;
    }
    out.add(new Fire(first, slot, "DST overlap: first " + slot.toLocalTime() + " (" + tr.getOffsetBefore() + ")"));
    out.add(new Fire(slot.atOffset(tr.getOffsetAfter()).toInstant(), slot,
        "DST overlap: second " + slot.toLocalTime() + " (" + tr.getOffsetAfter() + ")"));
    return out;
  }
}
