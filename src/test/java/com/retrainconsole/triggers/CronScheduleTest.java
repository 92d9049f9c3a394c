package com.retrainconsole.triggers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import com.retrainconsole.common.UserException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
  private static List<Instant> fires(Schedule s, Instant from, Instant to) {
    List<Instant> out = new ArrayList<>();
    Optional<Schedule.Fire> f = s.nextAfter(from);
    while (f.isPresent() && !f.get().at().isAfter(to)) {
      out.add(f.get().at());
      f = s.nextAfter(f.get().at());
    }
    return out;
  }

  /**
   * What cron-utils 9.2.1 does by itself in a DST zone, measured: a fixed time in a spring-forward gap is
   * skipped for that day (30 2 * * * in Berlin jumps from 29 March to 31 March; Lord Howe's 02:15 likewise),
   * which breaks our policy of firing once at the first valid instant. Overlaps it fires once, at the first
   * occurrence, as we do. Hence CronSchedule asks cron-utils only for local wall-clock slots.
   */
  @Test
  void cron_utils_alone_skips_a_gap_slot_and_our_schedule_fires_it_at_the_first_valid_instant() {
    ExecutionTime raw = ExecutionTime.forCron(
        new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX)).parse("30 2 * * *"));
    ZonedDateTime rawNext = raw.nextExecution(ZonedDateTime.parse("2025-03-29T12:00:00+01:00[Europe/Berlin]"))
        .orElseThrow();
    assertEquals(Instant.parse("2025-03-31T00:30:00Z"), rawNext.toInstant(),
        "cron-utils changed its gap behaviour; revisit CronSchedule");
    CronSchedule ours = CronSchedule.parse("30 2 * * *", "Europe/Berlin");
    assertEquals(Instant.parse("2025-03-30T01:00:00Z"),
        ours.nextAfter(Instant.parse("2025-03-29T11:00:00Z")).orElseThrow().at());
    // overlap: both fire the first 02:30 (CEST)
    ZonedDateTime rawOverlap = raw.nextExecution(ZonedDateTime.parse("2025-10-25T12:00:00+02:00[Europe/Berlin]"))
        .orElseThrow();
    assertEquals(Instant.parse("2025-10-26T00:30:00Z"), rawOverlap.toInstant());
    assertEquals(rawOverlap.toInstant(), ours.nextAfter(Instant.parse("2025-10-25T10:00:00Z")).orElseThrow().at());
    assertNotEquals(null, ours.nextAfter(Instant.parse("2025-10-26T00:30:00Z")).orElseThrow().at());
    assertEquals(Instant.parse("2025-10-27T01:30:00Z"), ours.nextAfter(Instant.parse("2025-10-26T00:30:00Z"))
        .orElseThrow().at()); // the second 02:30 (CET) does not fire
  }

  @Test
  void a_fixed_time_in_the_gap_fires_at_the_transition_and_flags_it() {
    CronSchedule s = CronSchedule.parse("30 2 * * *", "Europe/Berlin");
    Schedule.Fire f = s.nextAfter(Instant.parse("2025-03-29T12:00:00Z")).orElseThrow();
    assertEquals(Instant.parse("2025-03-30T01:00:00Z"), f.at());
    assertTrue(f.dstNote().startsWith("DST gap"), f.dstNote());
    assertEquals(Instant.parse("2025-03-31T00:30:00Z"), s.nextAfter(f.at()).orElseThrow().at());
  }

  @Test
  void several_gap_slots_collapse_into_one_fire_at_the_transition() {
    CronSchedule s = CronSchedule.parse("*/15 * * * *", "Europe/Berlin");
    List<Instant> f = fires(s, Instant.parse("2025-03-30T00:44:00Z"), Instant.parse("2025-03-30T01:16:00Z"));
    // 01:45 CET, then 02:00..02:45 do not exist and fire once at 03:00 CEST (01:00Z), then 03:15
    assertEquals(List.of(Instant.parse("2025-03-30T00:45:00Z"), Instant.parse("2025-03-30T01:00:00Z"),
        Instant.parse("2025-03-30T01:15:00Z")), f);
  }

  @Test
  void latest_slot_at_or_before_matches_next_after_across_a_year_of_berlin_half_hours() {
    CronSchedule s = CronSchedule.parse("30 * * * *", "Europe/Berlin");
    List<Instant> all = fires(s, Instant.parse("2025-03-29T00:00:00Z"), Instant.parse("2025-03-31T00:00:00Z"));
    all.addAll(fires(s, Instant.parse("2025-10-25T00:00:00Z"), Instant.parse("2025-10-27T00:00:00Z")));
    for (Instant i : all) {
      assertEquals(i, s.latestAtOrBefore(i).orElseThrow().at());
      assertEquals(i, s.latestAtOrBefore(i.plusSeconds(60)).orElseThrow().at());
    }
    // every real half past in 2 × 48 h, plus the nonexistent 02:30 of 30 March firing at 03:00 CEST
    assertEquals(49 + 48, all.size());
  }

  @Test
  void invalid_expressions_and_zones_say_what_is_wrong() {
    String six = assertThrows(UserException.class, () -> CronSchedule.parse("0 30 2 * * *", "UTC")).getMessage();
    assertTrue(six.contains("has 6 fields") && six.contains("exactly 5"), six);
    String range = assertThrows(UserException.class, () -> CronSchedule.parse("61 2 * * *", "UTC")).getMessage();
    assertTrue(range.contains("invalid") && range.contains("minute 0-59"), range);
    String zone = assertThrows(UserException.class, () -> CronSchedule.parse("0 2 * * *", "Europe/Berlln")).getMessage();
    assertTrue(zone.contains("Unknown time zone 'Europe/Berlln'"), zone);
    String never = assertThrows(UserException.class, () -> CronSchedule.parse("0 0 30 2 *", "UTC")).getMessage();
    assertTrue(never.contains("never fires"), never);
  }
}
