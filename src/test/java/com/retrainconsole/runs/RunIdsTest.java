package com.retrainconsole.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RunIdsTest {
  @Test
  void ids_made_within_one_second_do_not_collide() {
    Instant now = Instant.parse("2026-11-22T18:30:00Z");
    Set<String> ids = new HashSet<>();
    // 24 random bits collided in this many draws almost surely; 40 bits practically never.
    for (int i = 0; i < 20_000; i++) ids.add(RunIds.newId(now));
    assertEquals(20_000, ids.size());
  }

  @Test
  void ids_sort_by_start_time() {
    String earlier = RunIds.newId(Instant.parse("2026-11-22T18:30:00Z"));
    String later = RunIds.newId(Instant.parse("2026-11-22T18:30:01Z"));
    assertTrue(earlier.matches("run-20261122T183000Z-[0-9a-f]{10}"), earlier);
    assertTrue(earlier.compareTo(later) < 0);
  }
}
