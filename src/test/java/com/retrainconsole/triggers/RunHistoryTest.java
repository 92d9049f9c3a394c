package com.retrainconsole.triggers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.mongodb.client.MongoCollection;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;
import org.junit.jupiter.api.Test;

class RunHistoryTest {
  private static final Instant NOW = Instant.parse("2025-06-10T00:00:00Z");

  private static Document run(String device, int daysAgo, String status, boolean promoted) {
    Date at = Date.from(NOW.minus(Duration.ofDays(daysAgo)));
    return new Document("run_id", device + "-" + daysAgo).append("device_id", device).append("status", status)
        .append("queued_at", at).append("finished_at", at).append("data", new Document("to", at))
        .append("decision", new Document("promoted", promoted)).append("params", new Document("dry_run", false))
        .append("trigger", new Document("actor", "scheduler"));
  }

  /**
   * "recent": promoted 2 days ago, failures since (the week answers everything); "old": its only success is
   * 30 days old with failures after it (needs the older history); "none": no runs.
   */
  @Test
  void the_one_query_history_answers_the_guards_like_the_per_device_history() {
    try (Store store = Store.openInMemory()) {
      MongoCollection<Document> runs = store.collection(Collections.MODEL_RUNS);
      List<Document> docs = new ArrayList<>();
      docs.add(run("recent", 40, "completed", true));
      docs.add(run("recent", 2, "completed", true));
      docs.add(run("recent", 1, "failed", false));
      docs.add(run("old", 30, "completed", true));
      for (int d = 20; d >= 10; d -= 5) {
        docs.add(run("old", d, "failed", false));
      }
      docs.add(run("old", 1, "completed", false));
      runs.insertMany(docs);
      Map<String, RunHistory> all = RunHistory.loadAll(runs, List.of("recent", "old", "none"), 200,
          NOW.minus(Duration.ofDays(7)));
      for (String id : List.of("recent", "old", "none")) {
        RunHistory one = RunHistory.load(runs, id, 200);
        RunHistory many = all.get(id);
        assertEquals(one.consecutiveFailures(null), many.consecutiveFailures(null), id);
        assertEquals(one.lastSuccessDataEnd(), many.lastSuccessDataEnd(), id);
        assertEquals(one.scheduledInDay(NOW, null), many.scheduledInDay(NOW, null), id);
        assertEquals(one.withinCooldown(NOW, Duration.ofDays(3), null).map(RunHistory.RunInfo::runId),
            many.withinCooldown(NOW, Duration.ofDays(3), null).map(RunHistory.RunInfo::runId), id);
      }
      assertEquals(4, all.get("old").consecutiveFailures(null));
      assertEquals(1, all.get("recent").consecutiveFailures(null));
      assertEquals(Optional.empty(), all.get("none").lastSuccessDataEnd());
    }
  }
}
