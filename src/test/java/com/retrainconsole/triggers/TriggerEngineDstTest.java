package com.retrainconsole.triggers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * The live engine ticked once a minute across DST transitions; every run it enqueued is counted per local day.
 */
class TriggerEngineDstTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private static Document cron(String expr, String zone) {
    return new Document("cron", expr).append("zone", zone);
  }

  /** A fixture whose clock stands one minute before the local midnight starting {@code day}. */
  private static Fixture before(ZoneId zone, String day) {
    return new Fixture(LocalDate.parse(day).atStartOfDay(zone).toInstant().minus(MINUTE));
  }

  /** Ticks each minute from the clock's time to the local midnight ending {@code day}. */
  private static void tickLocalDay(Fixture f, TriggerEngine engine, ZoneId zone, LocalDate day) {
    f.tickUntil(engine, day.plusDays(1).atStartOfDay(zone).toInstant().minusSeconds(1), MINUTE);
  }

  @Test
  void berlin_0230_fires_once_on_spring_forward_and_once_on_fall_back_and_hourly_fires_23_and_25_times() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    for (LocalDate day : List.of(LocalDate.parse("2025-03-30"), LocalDate.parse("2025-10-26"))) {
      try (Fixture f = before(berlin, day.toString())) {
        Trigger daily = f.triggers.add("dev", TriggerType.CRON, cron("30 2 * * *", "Europe/Berlin"), Fixture.noGuards());
        Trigger hourly = f.triggers.add("dev", TriggerType.CRON, cron("0 * * * *", "Europe/Berlin"), Fixture.noGuards());
        tickLocalDay(f, f.engine(), berlin, day);
        assertEquals(Map.of(day, 1), f.firesPerDay(daily.triggerId(), berlin), "30 2 * * * on " + day);
        int hours = day.getMonthValue() == 3 ? 23 : 25;
        assertEquals(Map.of(day, hours), f.firesPerDay(hourly.triggerId(), berlin), "0 * * * * on " + day);
        Instant slot = f.firedSlots(daily.triggerId()).get(0);
        // gap: 02:30 does not exist, fired at the first valid instant (03:00 CEST = 01:00Z);
        // overlap: the first 02:30 (CEST, 00:30Z)
        assertEquals(day.getMonthValue() == 3 ? Instant.parse("2025-03-30T01:00:00Z")
            : Instant.parse("2025-10-26T00:30:00Z"), slot);
      }
    }
  }

  @Test
  void new_york_fires_once_in_the_gap_and_once_in_the_overlap_and_25_hourly_fires_on_fall_back() {
    ZoneId ny = ZoneId.of("America/New_York");
    try (Fixture f = before(ny, "2025-03-09")) {
      Trigger gap = f.triggers.add("dev", TriggerType.CRON, cron("30 2 * * *", ny.getId()), Fixture.noGuards());
      tickLocalDay(f, f.engine(), ny, LocalDate.parse("2025-03-09"));
      assertEquals(List.of(Instant.parse("2025-03-09T07:00:00Z")), f.firedSlots(gap.triggerId())); // 03:00 EDT
    }
    try (Fixture f = before(ny, "2025-11-02")) {
      Trigger overlap = f.triggers.add("dev", TriggerType.CRON, cron("30 1 * * *", ny.getId()), Fixture.noGuards());
      Trigger hourly = f.triggers.add("dev", TriggerType.CRON, cron("0 * * * *", ny.getId()), Fixture.noGuards());
      tickLocalDay(f, f.engine(), ny, LocalDate.parse("2025-11-02"));
      assertEquals(List.of(Instant.parse("2025-11-02T05:30:00Z")), f.firedSlots(overlap.triggerId())); // 01:30 EDT
      assertEquals(25, f.firedSlots(hourly.triggerId()).size());
    }
  }

  @Test
  void lord_howe_half_hour_shift_fires_once_in_gap_and_overlap_and_every_real_half_past() {
    ZoneId lh = ZoneId.of("Australia/Lord_Howe");
    // 2025-04-06 02:00 LHDT (+11) -> 01:30 LHST (+10:30): 01:30-02:00 happens twice
    try (Fixture f = before(lh, "2025-04-06")) {
      Trigger once = f.triggers.add("dev", TriggerType.CRON, cron("45 1 * * *", lh.getId()), Fixture.noGuards());
      Trigger halfPast = f.triggers.add("dev", TriggerType.CRON, cron("30 * * * *", lh.getId()), Fixture.noGuards());
      Trigger hourly = f.triggers.add("dev", TriggerType.CRON, cron("0 * * * *", lh.getId()), Fixture.noGuards());
      tickLocalDay(f, f.engine(), lh, LocalDate.parse("2025-04-06"));
      assertEquals(List.of(Instant.parse("2025-04-05T14:45:00Z")), f.firedSlots(once.triggerId())); // first 01:45
      assertEquals(25, f.firedSlots(halfPast.triggerId()).size()); // 01:30 twice
      assertEquals(24, f.firedSlots(hourly.triggerId()).size()); // no whole hour falls in the overlap
    }
    // 2025-10-05 02:00 LHST (+10:30) -> 02:30 LHDT (+11): 02:00-02:30 does not exist
    try (Fixture f = before(lh, "2025-10-05")) {
      Trigger gap = f.triggers.add("dev", TriggerType.CRON, cron("15 2 * * *", lh.getId()), Fixture.noGuards());
      Trigger hourly = f.triggers.add("dev", TriggerType.CRON, cron("0 * * * *", lh.getId()), Fixture.noGuards());
      tickLocalDay(f, f.engine(), lh, LocalDate.parse("2025-10-05"));
      assertEquals(List.of(Instant.parse("2025-10-04T15:30:00Z")), f.firedSlots(gap.triggerId())); // 02:30 LHDT
      // 02:00 does not exist: it fires at the first valid instant, 02:30
      assertEquals(24, f.firedSlots(hourly.triggerId()).size());
    }
  }
}
