package com.retrainconsole.triggers;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Sorts;
import com.retrainconsole.runs.RunCodec;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.runs.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;

/**
 * A device's recent runs as the guards see them, loaded once per device per tick (the embedded store scans
 * {@code model_runs} per query). Replay builds it as of a past instant and adds the fires it replays.
 */
final class RunHistory {
  static final int LOAD_LIMIT = 200;

  /** What the guards need of one run. */
  record RunInfo(String runId, Instant queuedAt, Instant finishedAt, RunStatus status, Boolean promoted,
      Instant dataTo, boolean scheduler, String fireKey, boolean dryRun, String triggerId) {}

  private final List<RunInfo> runs; // newest queued first

  RunHistory(List<RunInfo> runs) {
    this.runs = new ArrayList<>(runs);
    this.runs.sort(Comparator.comparing(RunInfo::queuedAt).reversed());
  }

  static RunHistory load(MongoCollection<Document> modelRuns, String deviceId, int limit) {
    List<RunInfo> out = new ArrayList<>();
    for (Document d : modelRuns.find(new Document("device_id", deviceId)).sort(Sorts.descending("queued_at"))
        .limit(limit)) {
      out.add(info(RunCodec.read(d)));
    }
    return new RunHistory(out);
  }

  /** The fields {@link #info} reads. */
  private static final Document PROJECTION = new Document("run_id", 1).append("device_id", 1)
      .append("queued_at", 1).append("finished_at", 1).append("status", 1).append("decision.promoted", 1)
      .append("data.to", 1).append("trigger.actor", 1).append("trigger.trigger_id", 1).append("fire_key", 1)
      .append("params.dry_run", 1).append("_id", 0);

  /**
   * The histories of several devices in one or two queries: the runs queued since {@code since}, and the
   * whole (newest {@code limit}) history only of the devices that have no promoted success since then.
   * decision: one {@code $in} query per tick instead of one per device: the embedded store scans model_runs
   * for every query, so 100 devices cost 100 scans. Bounded by {@code since} because returning every
   * device's full history (20k runs) cost as much as the scans; the guards look back at most a cooldown or a
   * day, and the breaker and new-data counts stop at the newest promoted success, so a device that has one
   * since {@code since} needs nothing older.
   */
  static Map<String, RunHistory> loadAll(MongoCollection<Document> modelRuns, Collection<String> deviceIds,
      int limit, Instant since) {
    Map<String, List<RunInfo>> byDevice = new HashMap<>();
    for (String id : deviceIds) {
      byDevice.put(id, new ArrayList<>());
    }
    if (!deviceIds.isEmpty()) {
      collect(modelRuns, new Document("device_id", new Document("$in", new ArrayList<>(deviceIds)))
          .append("queued_at", new Document("$gte", Date.from(since))), byDevice);
      List<String> older = new ArrayList<>();
      for (Map.Entry<String, List<RunInfo>> e : byDevice.entrySet()) {
        if (e.getValue().stream().noneMatch(RunHistory::closes)) {
          older.add(e.getKey());
        }
      }
      if (!older.isEmpty()) {
        older.forEach(id -> byDevice.get(id).clear());
        collect(modelRuns, new Document("device_id", new Document("$in", older)), byDevice);
      }
    }
    Map<String, RunHistory> out = new HashMap<>();
    for (Map.Entry<String, List<RunInfo>> e : byDevice.entrySet()) {
      List<RunInfo> runs = e.getValue();
      runs.sort(Comparator.comparing(RunInfo::queuedAt, Comparator.nullsLast(Comparator.reverseOrder())));
      out.put(e.getKey(), new RunHistory(runs.size() > limit ? runs.subList(0, limit) : runs));
    }
    return out;
  }

  private static void collect(MongoCollection<Document> modelRuns, Document filter, Map<String, List<RunInfo>> into) {
    for (Document d : modelRuns.find(filter).projection(PROJECTION).batchSize(5000)) {
      RunRecord r = RunCodec.read(d);
      List<RunInfo> list = into.get(r.deviceId());
      if (list != null) {
        list.add(info(r));
      }
    }
  }

  /** A promoted, completed, real run with its data end: the breaker and the new-data count stop here. */
  private static boolean closes(RunInfo r) {
    return r.status() == RunStatus.COMPLETED && Boolean.TRUE.equals(r.promoted()) && !r.dryRun()
        && r.dataTo() != null && r.finishedAt() != null;
  }

  static RunInfo info(RunRecord r) {
    return new RunInfo(r.runId(), r.queuedAt(), r.finishedAt(), r.status(),
        r.decision() == null ? null : r.decision().promoted(), r.data() == null ? null : r.data().to(),
        r.trigger() != null && r.trigger().byScheduler(), r.fireKey(), r.dryRun(),
        r.trigger() == null ? null : r.trigger().triggerId());
  }

  /** The history as it stood at {@code t}: runs queued by then, unfinished if they finished later. */
  RunHistory asOf(Instant t) {
    List<RunInfo> out = new ArrayList<>();
    for (RunInfo r : runs) {
      if (r.queuedAt().isAfter(t)) {
        continue;
      }
      if (r.finishedAt() != null && r.finishedAt().isAfter(t)) {
        r = new RunInfo(r.runId(), r.queuedAt(), null, RunStatus.RUNNING, null, null, r.scheduler(), r.fireKey(),
            r.dryRun(), r.triggerId());
      }
      out.add(r);
    }
    return new RunHistory(out);
  }

  /** Without the runs a trigger fired (a replay puts its own fires in their place). */
  RunHistory without(String triggerId) {
    return new RunHistory(runs.stream().filter(r -> !triggerId.equals(r.triggerId())).toList());
  }

  void add(RunInfo r) {
    runs.add(r);
    runs.sort(Comparator.comparing(RunInfo::queuedAt).reversed());
  }

  /** The newest run queued after {@code at - cooldown}, other than the one this fire key already made. */
  Optional<RunInfo> withinCooldown(Instant at, Duration cooldown, String fireKey) {
    if (cooldown.isZero()) {
      return Optional.empty();
    }
    Instant since = at.minus(cooldown);
    return runs.stream().filter(r -> r.queuedAt().isAfter(since) && !same(r, fireKey)).findFirst();
  }

  /** Scheduler runs queued in the 24 h up to {@code at}. decision: a rolling day, not a calendar day in some zone. */
  int scheduledInDay(Instant at, String fireKey) {
    Instant since = at.minus(Duration.ofDays(1));
    return (int) runs.stream().filter(r -> r.scheduler() && r.queuedAt().isAfter(since) && !same(r, fireKey)).count();
  }

  /** End of the data of the newest completed (non dry) run: readings after it are new. */
  Optional<Instant> lastSuccessDataEnd() {
    return runs.stream().filter(r -> r.status() == RunStatus.COMPLETED && !r.dryRun() && r.dataTo() != null)
        .map(RunInfo::dataTo).max(Comparator.naturalOrder());
  }

  /**
   * Failed, timed-out or rejected (completed, not promoted) runs in a row, newest finished first, among runs
   * finished after {@code since}; cancelled and dry runs are neither a failure nor a success.
   */
  int consecutiveFailures(Instant since) {
    List<RunInfo> finished = new ArrayList<>(runs.stream()
        .filter(r -> r.finishedAt() != null && r.status().isFinal() && (since == null || r.finishedAt().isAfter(since)))
        .toList());
    finished.sort(Comparator.comparing(RunInfo::finishedAt).reversed());
    int n = 0;
    for (RunInfo r : finished) {
      if (r.status() == RunStatus.CANCELLED || r.dryRun()) {
        continue;
      }
      boolean ok = r.status() == RunStatus.COMPLETED && Boolean.TRUE.equals(r.promoted());
      if (ok) {
        break;
      }
      n++;
    }
    return n;
  }

  private static boolean same(RunInfo r, String fireKey) {
    return fireKey != null && fireKey.equals(r.fireKey());
  }
}
