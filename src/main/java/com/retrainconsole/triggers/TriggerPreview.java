package com.retrainconsole.triggers;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** `triggers test`: the next fires in local time and UTC with DST flags, and what would fire on resume. */
public final class TriggerPreview {
  private static final int MAX_MISSED_COUNT = 100_000;

  private TriggerPreview() {}

  /** One upcoming fire; {@code dstDay} names the transition on that local day, {@code dstNote} what it did. */
  public record PreviewFire(Instant utc, LocalDateTime local, String zone, String dstDay, String dstNote) {}

  /**
   * If the service (re)starts at {@code at}: the slot that would fire once ({@code null} when nothing is due)
   * and how many slots since {@code next_fire_at} that one fire stands for.
   */
  public record Resume(Instant at, Instant fires, long missedSlots, String summary) {}

  public record Preview(String triggerId, String zone, List<PreviewFire> next, Resume resume) {}

  /** {@code zone}: the cron's own zone, or the device's for other types. */
  public static Preview preview(Trigger t, ZoneId deviceZone, Instant now, int count) {
    ZoneId zone = t.type() == TriggerType.CRON ? ZoneId.of(t.spec().getString("zone")) : deviceZone;
    Schedule s = t.schedule();
    List<PreviewFire> next = new ArrayList<>();
    Instant cursor = now;
    for (int i = 0; i < count; i++) {
      Optional<Schedule.Fire> f = s.nextAfter(cursor);
      if (f.isEmpty()) {
        break;
      }
      Instant at = f.get().at();
      LocalDateTime local = LocalDateTime.ofInstant(at, zone);
      next.add(new PreviewFire(at, local, zone.getId(), dstDay(zone, local.toLocalDate()), f.get().dstNote()));
      cursor = at;
    }
    return new Preview(t.triggerId(), zone.getId(), next, resume(t, now));
  }

  /** What one tick at {@code at} would evaluate for this trigger. */
  public static Resume resume(Trigger t, Instant at) {
    if (!t.enabled()) {
      return new Resume(at, null, 0, "disabled: nothing fires; `triggers enable` plans the next slot from then on");
    }
    if (t.nextFireAt() == null || t.nextFireAt().isAfter(at)) {
      return new Resume(at, null, 0, "nothing is overdue; next slot " + t.nextFireAt()
          + ". After any outage only the latest missed slot is evaluated, once");
    }
    Schedule s = t.schedule();
    Instant latest = s.latestAtOrBefore(at).map(Schedule.Fire::at).orElse(t.nextFireAt());
    long missed = 0;
    Instant c = t.nextFireAt().minusMillis(1);
    while (missed < MAX_MISSED_COUNT) {
      Optional<Schedule.Fire> f = s.nextAfter(c);
      if (f.isEmpty() || f.get().at().isAfter(at)) {
        break;
      }
      missed++;
      c = f.get().at();
    }
    String what = t.type().timeBased() ? "fires once" : "is evaluated once (fires if its condition holds)";
    return new Resume(at, latest, missed, missed + " slot" + (missed == 1 ? "" : "s") + " due since "
        + t.nextFireAt() + "; on resume the trigger " + what + " for the latest slot, " + latest);
  }

  /** "gap 02:00→03:00" / "overlap 03:00→02:00" when the zone changes offset on that local day. */
  static String dstDay(ZoneId zone, LocalDate day) {
    Instant start = day.atStartOfDay(zone).toInstant();
    Instant end = day.plusDays(1).atStartOfDay(zone).toInstant();
    ZoneOffsetTransition tr = zone.getRules().nextTransition(start.minusMillis(1));
    if (tr == null || !tr.getInstant().isBefore(end)) {
      return null;
    }
    return (tr.isGap() ? "DST gap " : "DST overlap ") + tr.getDateTimeBefore().toLocalTime() + "->"
        + tr.getDateTimeAfter().toLocalTime() + " (" + tr.getOffsetBefore() + " -> " + tr.getOffsetAfter() + ")";
  }
}
