package com.retrainconsole.runs;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * Every device's latest run and the recent error of its model in service, read in one pass. decision: the
 * embedded server scans the whole collection for every query (it ignores secondary indexes), so a
 * dashboard polling N devices with a query each costs N scans; one query over the recent window costs one,
 * and only devices with no run in that window pay for a query of their own.
 */
public final class RecentRuns {
  /** How far back the one shared query looks; older last runs are found per device. */
  public static final Duration WINDOW = Duration.ofDays(30);
  private static final List<String> FIELDS = List.of("run_id", "device_id", "status", "trigger", "queued_at",
      "finished_at", "metrics", "champion_metrics");

  private final MongoCollection<Document> runs;
  private final Clock clock;

  public RecentRuns(Store store, Clock clock) {
    this.runs = store.collection(Collections.MODEL_RUNS);
    this.clock = clock;
  }

  /**
   * One device's newest run (null if it never ran) and, oldest first, the holdout MAE of the model in
   * service at each of its recent completed runs (the champion's score on that run's fresh data, or the
   * candidate's when there was no champion) — how the error the site actually sees has moved.
   */
  public record DeviceRuns(String deviceId, Document latest, List<Double> recentMae) {}

  /** Summaries for {@code deviceIds}, at most {@code points} error values each. */
  public Map<String, DeviceRuns> summarize(Collection<String> deviceIds, int points) {
    Map<String, Document> latest = new HashMap<>();
    Map<String, List<Double>> errors = new HashMap<>();
    Date since = Date.from(clock.instant().minus(WINDOW));
    for (Document d : runs.find(Filters.gte("queued_at", since)).projection(Projections.include(FIELDS))
        .sort(Sorts.descending("queued_at"))) {
      String device = d.getString("device_id");
      latest.putIfAbsent(device, d);
      List<Double> e = errors.computeIfAbsent(device, k -> new ArrayList<>());
      if (e.size() < points && RunStatus.COMPLETED.wire().equals(d.getString("status"))) {
        Double mae = maeInService(d);
        if (mae != null) {
          e.add(mae);
        }
      }
    }
    Map<String, DeviceRuns> out = new HashMap<>();
    for (String id : deviceIds) {
      Document last = latest.get(id);
      if (last == null) {
        last = runs.find(Filters.eq("device_id", id)).projection(Projections.include(FIELDS))
            .sort(Sorts.descending("queued_at")).first();
      }
      List<Double> e = new ArrayList<>(errors.getOrDefault(id, List.of()));
      java.util.Collections.reverse(e);
      out.put(id, new DeviceRuns(id, last, List.copyOf(e)));
    }
    return out;
  }

  static Double maeInService(Document run) {
    Document champion = run.get("champion_metrics", Document.class);
    Document metrics = champion != null ? champion : run.get("metrics", Document.class);
    Number mae = metrics == null ? null : metrics.get("mae", Number.class);
    return mae == null || Double.isNaN(mae.doubleValue()) ? null : mae.doubleValue();
  }
}
