package com.retrainconsole.triggers;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Sorts;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * {@code trigger_events}: one document per evaluation,
 * {@code {trigger_id, device_id, type, at, scheduled_for, fired, value, threshold, reason, run_id?, details?}}.
 * Every fired event is kept; of the others only the newest {@value #KEEP_UNFIRED} per trigger.
 * decision: pruned in code every {@value #PRUNE_EVERY} unfired events (the embedded store has no TTL and
 * scans the collection), counted on the trigger document by the same write that claims the evaluation.
 */
public final class TriggerEvents {
  public static final int KEEP_UNFIRED = 200;
  static final int PRUNE_EVERY = 50;
  private final MongoCollection<Document> events;

  public TriggerEvents(Store store) {
    this.events = store.collection(Collections.TRIGGER_EVENTS);
  }

  /** One evaluation's outcome. */
  public record Event(String triggerId, String deviceId, String type, Instant at, Instant scheduledFor,
      boolean fired, Double value, Double threshold, String reason, String runId, Document details) {
    Document toDocument() {
      Document d = new Document("trigger_id", triggerId).append("device_id", deviceId).append("type", type)
          .append("at", Date.from(at)).append("scheduled_for", Circuit.date(scheduledFor)).append("fired", fired)
          .append("value", value).append("threshold", threshold).append("reason", reason);
      if (runId != null) {
        d.append("run_id", runId);
      }
      if (details != null) {
        d.append("details", details);
      }
      return d;
    }
  }

  void write(Event e) {
    events.insertOne(e.toDocument());
  }

  /** One insertMany for a tick's events (one commit on the durable embedded store). */
  void writeAll(List<Event> batch) {
    if (!batch.isEmpty()) {
      events.insertMany(batch.stream().map(Event::toDocument).toList());
    }
  }

  /** Deletes all but the newest {@value #KEEP_UNFIRED} unfired events of the trigger. */
  void prune(String triggerId) {
    Document unfired = new Document("trigger_id", triggerId).append("fired", false);
    Document cutoff = events.find(unfired).sort(Sorts.descending("at")).skip(KEEP_UNFIRED - 1).limit(1).first();
    if (cutoff != null) {
      events.deleteMany(new Document(unfired).append("at", new Document("$lt", cutoff.getDate("at"))));
    }
  }

  /** The newest events of a trigger, newest first. */
  public List<Document> recent(String triggerId, int limit) {
    return events.find(new Document("trigger_id", triggerId)).sort(Sorts.descending("at")).limit(limit)
        .into(new ArrayList<>());
  }

  public long count(String triggerId, Boolean fired) {
    Document f = new Document("trigger_id", triggerId);
    if (fired != null) {
      f.append("fired", fired);
    }
    return events.countDocuments(f);
  }
}
