package com.retrainconsole.alerts;

import com.mongodb.client.MongoCollection;
import com.retrainconsole.runs.QueueItem;
import com.retrainconsole.runs.RunCodec;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bson.Document;

/**
 * STUCK_JOB, one incident per run: a {@code run_queue} item pending longer than {@code pendingOverdue}
 * past its due time, or running while its progress (on the run record) or its heartbeat (the queue item's
 * {@code lease_until} and {@code token}) has not changed for {@code runningStall}.
 *
 * <p>decision: changes are observed tick to tick in memory rather than read from timestamps, because the
 * run record's progress carries no time; a freshly started detector therefore waits one stall period
 * before it can call a run stuck. The queue is small (live work only), so reading it each tick is cheap.
 */
final class StuckJobDetector {
  private final MongoCollection<Document> queue;
  private final MongoCollection<Document> runs;
  private final AlertService alerts;
  private final AlertPolicy policy;
  private final Map<String, Observation> seen = new ConcurrentHashMap<>();

  private record Observation(RunRecord.Progress progress, Instant progressSince, Heartbeat heartbeat,
      Instant heartbeatSince) {}

  /** What a live holder changes on every renewal. */
  private record Heartbeat(Instant leaseUntil, long token) {}

  StuckJobDetector(Store store, AlertService alerts, AlertPolicy policy) {
    this.queue = store.collection(Collections.RUN_QUEUE);
    this.runs = store.collection(Collections.MODEL_RUNS);
    this.alerts = alerts;
    this.policy = policy;
  }

  static String key(String runId) {
    return AlertTypes.STUCK_JOB + ":" + runId;
  }

  List<Document> onTick(Instant now) {
    List<Document> raised = new ArrayList<>();
    Set<String> stuck = new HashSet<>();
    Set<String> live = new HashSet<>();
    for (Document d : queue.find().into(new ArrayList<>())) {
      QueueItem item = RunCodec.readItem(d);
      String runId = item.runId();
      String device = item.deviceId();
      live.add(runId);
      if (item.pending()) {
        Instant due = item.dueAt();
        if (due != null && Duration.between(due, now).compareTo(policy.pendingOverdue()) > 0) {
          stuck.add(runId);
          Duration late = Duration.between(due, now);
          raised.add(raise(runId, device, "Run " + runId + " of " + device + " has waited " + minutes(late)
              + " past its due time without being claimed (is a scheduler running?)",
              Map.of("state", "pending", "due_at", Date.from(due), "late_minutes", late.toMinutes())));
        }
      } else if (item.running()) {
        RunRecord run = RunCodec.read(runs.find(new Document(RunCodec.RUN_ID, runId)).first());
        RunRecord.Progress progress = run == null ? null : run.progress();
        Heartbeat heartbeat = new Heartbeat(item.leaseUntil(), item.token());
        Observation o = seen.compute(runId, (k, prev) -> {
          if (prev == null) {
            return new Observation(progress, now, heartbeat, now);
          }
          return new Observation(progress, Objects.equals(progress, prev.progress) ? prev.progressSince : now,
              heartbeat, heartbeat.equals(prev.heartbeat) ? prev.heartbeatSince : now);
        });
        Duration noProgress = Duration.between(o.progressSince, now);
        Duration noHeartbeat = Duration.between(o.heartbeatSince, now);
        String what = null;
        if (noHeartbeat.compareTo(policy.runningStall()) > 0) {
          what = "no heartbeat for " + minutes(noHeartbeat);
        } else if (noProgress.compareTo(policy.runningStall()) > 0) {
          what = "no progress for " + minutes(noProgress);
        }
        if (what != null) {
          stuck.add(runId);
          Map<String, Object> details = new LinkedHashMap<>();
          details.put("state", "running");
          details.put("progress", RunCodec.progress(progress));
          details.put("lease_owner", item.leaseOwner());
          details.put("no_progress_minutes", noProgress.toMinutes());
          details.put("no_heartbeat_minutes", noHeartbeat.toMinutes());
          raised.add(raise(runId, device, "Run " + runId + " of " + device + " is running with " + what, details));
        }
      }
    }
    seen.keySet().retainAll(live);
    for (Document alert : alerts.active(AlertTypes.STUCK_JOB)) {
      String runId = alert.getString("incident_key").substring(AlertTypes.STUCK_JOB.length() + 1);
      if (!stuck.contains(runId)) {
        alerts.resolveIncident(alert.getString("incident_key"), "detector",
            live.contains(runId) ? "run " + runId + " moves again" : "run " + runId + " left the queue");
      }
    }
    return raised;
  }

  /** A finished run is not stuck any more. */
  void afterRun(RunRecord run) {
    alerts.resolveIncident(key(run.runId()), "detector", "run finished: " + run.status().wire());
  }

  private Document raise(String runId, String device, String message, Map<String, Object> details) {
    Map<String, Object> d = new LinkedHashMap<>(details);
    d.put("run_id", runId);
    return alerts.raiseAlert(AlertTypes.STUCK_JOB, device, key(runId), message, d);
  }

  private static String minutes(Duration d) {
    return d.toMinutes() + " min";
  }
}
