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
  private static final List<String> FIELDS = List.of(RunCodec.RUN_ID, RunCodec.DEVICE_ID, RunCodec.STATUS,
      RunCodec.TRIGGER, RunCodec.QUEUED_AT, RunCodec.FINISHED_AT, RunCodec.METRICS, RunCodec.CHAMPION_METRICS);

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
  public record DeviceRuns(String deviceId, RunRecord latest, List<Double> recentMae) {}

  /** Summaries for {@code deviceIds}, at most {@code points} error values each. */
  public Map<String, DeviceRuns> summarize(Collection<String> deviceIds, int points) {
    Map<String, RunRecord> latest = new HashMap<>();
    Map<String, List<Double>> errors = new HashMap<>();
    Date since = Date.from(clock.instant().minus(WINDOW));
    for (Document d : runs.find(Filters.gte(RunCodec.QUEUED_AT, since)).projection(Projections.include(FIELDS))
        .sort(Sorts.descending(RunCodec.QUEUED_AT))) {
      RunRecord r = RunCodec.read(d);
      latest.putIfAbsent(r.deviceId(), r);
      List<Double> e = errors.computeIfAbsent(r.deviceId(), k -> new ArrayList<>());
      if (e.size() < points && r.status() == RunStatus.COMPLETED && r.maeInService() != null) {
        e.add(r.maeInService());
      }
    }
    Map<String, DeviceRuns> out = new HashMap<>();
    for (String id : deviceIds) {
      RunRecord last = latest.get(id);
      if (last == null) {
        last = RunCodec.read(runs.find(Filters.eq(RunCodec.DEVICE_ID, id)).projection(Projections.include(FIELDS))
            .sort(Sorts.descending(RunCodec.QUEUED_AT)).first());
      }
      List<Double> e = new ArrayList<>(errors.getOrDefault(id, List.of()));
      java.util.Collections.reverse(e);
      out.put(id, new DeviceRuns(id, last, List.copyOf(e)));
    }
    return out;
  }
}
