package com.retrainconsole.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.retrainconsole.ui.runs.RunsViewModel;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class RunsFormatTest {
  private final RunsViewModel.Format fmt = new RunsViewModel(ZoneId.of("Europe/Berlin")).format();

  @Test
  void durations_read_as_a_person_says_them() {
    assertEquals("0.4 s", fmt.duration(420L));
    assertEquals("1.6 s", fmt.duration(1_600L));
    assertEquals("42 s", fmt.duration(42_000L));
    assertEquals("2 min 5 s", fmt.duration(125_000L));
    assertEquals("3 min", fmt.duration(180_000L));
    assertEquals("1 h 3 min", fmt.duration(3_780_000L));
    assertEquals("", fmt.duration(null));
  }

  @Test
  void times_show_the_minute_in_the_zone_and_the_exact_instant_in_utc() {
    Instant t = Instant.parse("2026-12-03T09:23:45.120Z");
    assertEquals("2026-12-03 10:23", fmt.when(t));
    assertEquals("2026-12-03T09:23:45.120Z (UTC)\n2026-12-03 10:23:45.120 +01:00 (Europe/Berlin)", fmt.exact(t));
    assertEquals("41.2 W", fmt.watts(41.24));
    assertEquals("0.913", fmt.number(0.91349, "%.3f"));
  }
}
