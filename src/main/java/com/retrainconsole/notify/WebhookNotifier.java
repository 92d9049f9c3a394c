package com.retrainconsole.notify;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.retrainconsole.alerts.AlertTypes;
import com.retrainconsole.runs.RunCodec;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds what happened since its watermark (failed and promoting runs in {@code model_runs}, alerts raised
 * and resolved) and enqueues one delivery per interested webhook. Called every scheduler tick: a few
 * queries, no HTTP (the {@link DeliveryWorker} sends), never throws.
 */
public final class WebhookNotifier {
  private static final Logger log = LoggerFactory.getLogger(WebhookNotifier.class);
  static final String WATERMARK_ID = "webhook_notifier";
  /**
   * decision: each scan reaches this far behind the watermark, because a run's finished_at is stamped just
   * before its write lands; the dedupe key makes the overlap free of repeats.
   */
  static final Duration OVERLAP = Duration.ofSeconds(60);
  /** How often a tick also purges old finished deliveries (cheap, but not worth doing every 5 s). */
  static final Duration PURGE_EVERY = Duration.ofHours(1);

  private final MongoCollection<Document> runs;
  private final MongoCollection<Document> alerts;
  private final MongoCollection<Document> settings;
  private final WebhookRepository webhooks;
  private final WebhookDeliveries deliveries;
  private final Clock clock;
  private volatile Runnable onEnqueued = () -> {};
  private Instant watermark;
  private Instant lastPurge;
  // events already handed to the outbox in the overlap window: skips a store round trip per repeat
  private final Map<String, Instant> seen = new HashMap<>();

  public WebhookNotifier(Store store, WebhookRepository webhooks, WebhookDeliveries deliveries, Clock clock) {
    this.runs = store.collection(Collections.MODEL_RUNS);
    this.alerts = store.collection(Collections.ALERTS);
    this.settings = store.collection(Collections.SETTINGS);
    this.webhooks = webhooks;
    this.deliveries = deliveries;
    this.clock = clock;
  }

  /** Called after a tick enqueued something (the worker's wake-up). */
  public void onEnqueued(Runnable r) {
    this.onEnqueued = r == null ? () -> {} : r;
  }

  /**
   * decision: the outbox would grow by every event forever; finished deliveries older than the retention go.
   * Safe because the watermark was just moved to now, so no later scan reaches back to a purged event.
   */
  private void purgeIfDue(Instant now) {
    if (lastPurge != null && now.isBefore(lastPurge.plus(PURGE_EVERY))) {
      return;
    }
    lastPurge = now;
    long purged = deliveries.purgeFinished(now.minus(WebhookDeliveries.RETENTION));
    if (purged > 0) {
      log.info("webhook deliveries: purged {} finished deliveries older than {} days", purged,
          WebhookDeliveries.RETENTION.toDays());
    }
  }

  /** One scan; returns the deliveries enqueued. Store errors are logged and the next tick rescans. */
  public synchronized int tick() {
    try {
      Instant now = clock.instant();
      if (watermark == null) {
        Document saved = settings.find(new Document("_id", WATERMARK_ID)).first();
        // decision: the first run ever starts now: configuring a webhook must not replay old history
        watermark = saved != null && saved.getDate("watermark") != null ? saved.getDate("watermark").toInstant() : now;
      }
      List<Webhook> hooks = webhooks.list();
      int enqueued = 0;
      Instant from = watermark.minus(OVERLAP);
      seen.values().removeIf(at -> !at.isAfter(from));
      if (!hooks.isEmpty()) {
        for (Notification n : detect(from, now)) {
          if (seen.containsKey(n.key())) {
            continue;
          }
          for (Webhook w : hooks) {
            if (w.wants(n.event(), n.deviceId()) && deliveries.enqueue(w, n)) {
              enqueued++;
            }
          }
          seen.put(n.key(), n.at());
        }
      }
      watermark = now;
      settings.updateOne(new Document("_id", WATERMARK_ID), Updates.set("watermark", Date.from(now)),
          new UpdateOptions().upsert(true));
      if (enqueued > 0) {
        onEnqueued.run();
      }
      purgeIfDue(now);
      return enqueued;
    } catch (RuntimeException e) {
      log.warn("webhook notifier: scan failed ({}); next tick retries", e.toString());
      return 0;
    }
  }

  /** Events with their time in (from, to], oldest first within each kind. */
  List<Notification> detect(Instant from, Instant to) {
    List<Notification> out = new ArrayList<>();
    Date f = Date.from(from);
    Date t = Date.from(to);
    Bson runFilter = Filters.and(Filters.gt("finished_at", f), Filters.lte("finished_at", t), Filters.or(
        Filters.in("status", RunStatus.FAILED.wire(), RunStatus.TIMED_OUT.wire()),
        Filters.and(Filters.eq("status", RunStatus.COMPLETED.wire()), Filters.eq("decision.promoted", true))));
    for (Document d : runs.find(runFilter).projection(Projections.include(RunCodec.RUN_ID, RunCodec.DEVICE_ID,
        RunCodec.STATUS, RunCodec.ERROR, RunCodec.FINISHED_AT, RunCodec.DECISION, RunCodec.MODEL))
        .sort(Sorts.ascending(RunCodec.FINISHED_AT))) {
      RunRecord r = RunCodec.read(d);
      boolean failed = r.status() != RunStatus.COMPLETED;
      WebhookEvent ev = failed ? WebhookEvent.RUN_FAILED : WebhookEvent.RUN_PROMOTED;
      out.add(new Notification(ev, ev.wire() + ":" + r.runId(), r.deviceId(), r.runId(), r.status().wire(),
          r.modelVersion(), r.decision() == null ? null : r.decision().reason(), failed ? r.error() : null,
          r.finishedAt()));
    }
    for (Document a : alerts.find(Filters.and(Filters.gt("first_seen", f), Filters.lte("first_seen", t)))
        .sort(Sorts.ascending("first_seen"))) {
      WebhookEvent ev = AlertTypes.CIRCUIT_OPEN.equals(a.getString("type"))
          ? WebhookEvent.CIRCUIT_OPENED : WebhookEvent.ALERT_RAISED;
      out.add(alertNotification(ev, a, a.getDate("first_seen")));
    }
    for (Document a : alerts.find(Filters.and(Filters.gt("resolved_at", f), Filters.lte("resolved_at", t)))
        .sort(Sorts.ascending("resolved_at"))) {
      out.add(alertNotification(WebhookEvent.ALERT_RESOLVED, a, a.getDate("resolved_at")));
    }
    return out;
  }

  private static Notification alertNotification(WebhookEvent ev, Document a, Date at) {
    List<?> runIds = a.get("run_ids", List.class);
    String runId = runIds == null || runIds.isEmpty() ? null : String.valueOf(runIds.get(runIds.size() - 1));
    String message = a.getString("type") + ": " + a.getString("message");
    if (ev == WebhookEvent.ALERT_RESOLVED && a.getString("resolve_reason") != null) {
      message += " (resolved: " + a.getString("resolve_reason") + ")";
    }
    return new Notification(ev, ev.wire() + ":" + a.getString("alert_id"), a.getString("device_id"), runId,
        a.getString("status"), null, null, message, at.toInstant());
  }
}
