package com.retrainconsole.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import com.retrainconsole.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecentRunsTest {
  final Store store = Store.openInMemory();
  final Instant now = Instant.parse("2026-11-22T12:00:00Z");
  final RecentRuns recent = new RecentRuns(store, new SettableClock(now));

  @AfterEach
  void close() {
    store.close();
  }

  private void run(String id, String device, String status, Duration ago, Double championMae, Double mae) {
    Document d = new Document("run_id", id).append("device_id", device).append("status", status)
        .append("queued_at", Date.from(now.minus(ago)));
    if (championMae != null) {
      d.append("champion_metrics", new Document("mae", championMae));
    }
    if (mae != null) {
      d.append("metrics", new Document("mae", mae));
    }
    store.collection(Collections.MODEL_RUNS).insertOne(d);
  }

  @Test
  void each_device_gets_its_newest_run_and_the_error_in_service_oldest_first() {
    List<Document> batch = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      // hourly runs, newest is i = 0; champion error grows with i going back in time
      run("a-" + i, "a", "completed", Duration.ofHours(i + 1), 100.0 + i, 90.0);
    }
    run("a-new", "a", "running", Duration.ofMinutes(5), null, null);
    run("b-1", "b", "completed", Duration.ofDays(2), null, 55.0); // no champion: the candidate's error
    run("b-2", "b", "failed", Duration.ofDays(1), null, null);

    Map<String, RecentRuns.DeviceRuns> out = recent.summarize(Set.of("a", "b", "c"), 5);

    assertEquals("a-new", out.get("a").latest().runId());
    assertEquals(List.of(104.0, 103.0, 102.0, 101.0, 100.0), out.get("a").recentMae());
    assertEquals("b-2", out.get("b").latest().runId());
    assertEquals(List.of(55.0), out.get("b").recentMae());
    assertNull(out.get("c").latest());
    assertEquals(List.of(), out.get("c").recentMae());
  }

  @Test
  void a_device_whose_last_run_is_older_than_the_window_is_still_found() {
    run("old", "d", "completed", RecentRuns.WINDOW.plusDays(10), 70.0, 60.0);
    run("other", "e", "completed", Duration.ofHours(1), 70.0, 60.0);

    RecentRuns.DeviceRuns d = recent.summarize(Set.of("d"), 5).get("d");

    assertEquals("old", d.latest().runId());
    assertEquals(List.of(), d.recentMae(), "the sparkline only covers the recent window");
  }
}
