package com.retrainconsole.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.triggers.Circuit;
import com.retrainconsole.triggers.Guards;
import com.retrainconsole.triggers.Trigger;
import com.retrainconsole.triggers.TriggerSpecs;
import com.retrainconsole.triggers.TriggerType;
import com.retrainconsole.ui.triggers.TriggersViewModel;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

class TriggersViewModelTest {

  private static Trigger cron(String expr, String zone, Instant now) {
    Document spec = TriggerSpecs.normalize(TriggerType.CRON, new Document("cron", expr).append("zone", zone), now);
    return new Trigger("t", "d", TriggerType.CRON, true, spec, Guards.defaults(), now, now, null, null, null,
        Circuit.CLOSED, List.of());
  }

  @Test
  void the_preview_flags_the_day_berlin_leaves_summer_time_and_only_that_day() {
    Instant now = Instant.parse("2026-10-20T12:00:00Z");
    List<TriggersViewModel.PreviewRow> rows =
        TriggersViewModel.preview(cron("30 2 * * *", "Europe/Berlin", now), ZoneId.of("UTC"), now, 10);
    assertEquals(10, rows.size());
    for (TriggersViewModel.PreviewRow r : rows) {
      boolean changeDay = r.local().contains("2026-10-25");
      assertEquals(changeDay, r.dst().startsWith("DST ends"), r.toString());
    }
    // before the change 02:30 CEST is 00:30 UTC, after it 02:30 CET is 01:30 UTC
    assertTrue(rows.get(0).utc().equals("2026-10-21 00:30 UTC"), rows.get(0).utc());
    assertTrue(rows.get(9).utc().equals("2026-10-30 01:30 UTC"), rows.get(9).utc());
  }

  @Test
  void the_preview_flags_a_spring_gap_as_dst_starts_and_says_when_the_missing_slot_fires() {
    Instant now = Instant.parse("2027-03-25T12:00:00Z");
    List<TriggersViewModel.PreviewRow> rows =
        TriggersViewModel.preview(cron("30 2 * * *", "Europe/Berlin", now), ZoneId.of("UTC"), now, 5);
    TriggersViewModel.PreviewRow gap = rows.stream().filter(r -> r.local().contains("2027-03-28")).findFirst()
        .orElseThrow();
    assertTrue(gap.dst().startsWith("DST starts"), gap.toString());
    assertTrue(gap.local().contains(" 03:00 "), gap.toString());
    assertTrue(gap.note().contains("does not exist"), gap.note());
  }

  @Test
  void a_field_problem_is_the_message_saving_would_give() {
    Instant now = Instant.now();
    assertEquals(null, TriggerSpecs.problem(TriggerType.CRON, new Document("cron", "30 2 * * *"), now));
    assertTrue(TriggerSpecs.problem(TriggerType.CRON, new Document("zone", "Mars/Olympus"), now)
        .contains("Unknown time zone"));
    assertTrue(TriggerSpecs.problem(TriggerType.PERFORMANCE, new Document("threshold_pct", -5.0), now)
        .contains("positive percentage"));
    assertTrue(TriggerSpecs.problem(TriggerType.NEW_DATA, new Document("min_rows", 0L), now).contains("at least 1"));
  }
}
