package com.retrainconsole.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.model.Updates;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import com.retrainconsole.ui.RunsViewBench;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RunIndexTest {
  static final Instant END = Instant.parse("2026-11-20T00:00:00Z");
  static Store store;

  @BeforeAll
  static void generate() {
    store = Store.openInMemory();
    RunsViewBench.generate(store, 3_000, END, 11);
  }

  @AfterAll
  static void close() {
    store.close();
  }

  private static List<String> ids(RunPage p) {
    return p.rows().stream().map(RunRecord::runId).toList();
  }

  @Test
  void every_filter_and_sort_gives_the_same_page_and_total_as_the_store_query() {
    RunRepository repo = new RunRepository(store, java.time.Clock.systemUTC());
    RunIndex index = new RunIndex(store);
    List<RunFilter> filters = List.of(RunFilter.all(), RunFilter.all().withDevice("tracker03"),
        RunFilter.all().withStatus(RunStatus.FAILED), RunFilter.all().withPromoted(true),
        RunFilter.all().withPromoted(false).withTriggerType("drift"),
        RunFilter.all().withRange(END.minusSeconds(30L * 86400), END.minusSeconds(10L * 86400)),
        // the devices of the sites a reader may see, and a reader who sees none
        RunFilter.all().withDevicesIn(java.util.Set.of("tracker01", "tracker03")),
        RunFilter.all().withStatus(RunStatus.FAILED).withDevicesIn(java.util.Set.of("tracker02")),
        RunFilter.all().withDevicesIn(java.util.Set.of()),
        // free text (run id part, device, trigger, error text; any case) and metric conditions
        RunFilter.all().withText("SITE-B"), RunFilter.all().withText("drift"),
        RunFilter.all().withText("0a1"), RunFilter.all().withText("42% nan (max"),
        RunFilter.all().withText("no such text"),
        RunFilter.all().withText("timed out").withStatus(RunStatus.TIMED_OUT),
        RunFilter.all().withMetrics(MetricCondition.parse("mae < 60")),
        RunFilter.all().withMetrics(MetricCondition.parse("mae >= 50, rmse < 90 and r2 > 0.95"))
            .withText("site-a-02"));
    long all = repo.count(RunFilter.all());
    for (RunFilter f : filters.subList(filters.size() - 8, filters.size())) {
      long n = repo.count(f);
      assertTrue(f.text() != null && f.text().startsWith("no such") ? n == 0 : n > 0 && n < all, f + ": " + n);
    }
    for (RunFilter f : filters) {
      for (RunSort.Field field : RunSort.Field.values()) {
        for (boolean asc : new boolean[] {true, false}) {
          RunSort s = new RunSort(field, asc);
          for (int offset : new int[] {0, 200}) {
            RunPage fromStore = repo.query(f, s, offset, 50);
            RunPage fromIndex = index.query(f, s, offset, 50);
            String what = f + " " + s + " @" + offset;
            assertEquals(fromStore.total(), fromIndex.total(), what);
            assertEquals(fromStore.offset(), fromIndex.offset(), what);
            assertEquals(ids(fromStore), ids(fromIndex), what);
          }
        }
      }
    }
    assertEquals(1, index.fullReads(), "filtering and sorting must not read the store again");
  }

  @Test
  void refresh_picks_up_a_status_change_and_a_new_run_and_starts_over_after_a_delete() {
    var runs = store.collection(Collections.MODEL_RUNS);
    RunIndex index = new RunIndex(store);
    index.refresh();
    Document pending = new Document("run_id", "run-zz-pending").append("device_id", "tracker01")
        .append("status", "pending").append("trigger", new Document("type", "manual"))
        .append("queued_at", Date.from(END.plusSeconds(60)));
    runs.insertOne(pending);
    try {
      index.refresh();
      assertTrue(index.matches(RunFilter.all().withStatus(RunStatus.PENDING), "run-zz-pending"));

      runs.updateOne(new Document("run_id", "run-zz-pending"), Updates.combine(Updates.set("status", "completed"),
          Updates.set("metrics", new Document("mae", 1.5))));
      index.refresh();
      assertTrue(index.matches(RunFilter.all().withStatus(RunStatus.COMPLETED), "run-zz-pending"));
      assertEquals(1.5, index.query(RunFilter.all().withDevice("tracker01"), new RunSort(RunSort.Field.MAE, true),
          0, 1).rows().get(0).mae());
      assertEquals(1, index.fullReads());
    } finally {
      runs.deleteOne(new Document("run_id", "run-zz-pending"));
    }
    index.refresh();
    assertFalse(index.matches(RunFilter.all(), "run-zz-pending"));
    assertEquals(2, index.fullReads(), "a delete is only seen by reading everything again");
  }
}
