package com.retrainconsole.runs;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import org.bson.Document;

/**
 * The live queue ({@code run_queue}: pending and running items only) beside the full history
 * ({@code model_runs}); both share {@code run_id} (DESIGN.md §6). The embedded store scans whole
 * collections, so the queue stays small: an item is deleted once its run record is final.
 */
public final class RunQueue {
  private final MongoCollection<Document> queue;
  private final MongoCollection<Document> runs;
  private final Clock clock;

  public RunQueue(Store store, Clock clock) {
    this.queue = store.collection(Collections.RUN_QUEUE);
    this.runs = store.collection(Collections.MODEL_RUNS);
    this.clock = clock;
  }

  /**
   * Writes the run record (pending) and then the queue item. decision: the run record goes first because
   * its unique fire_key outlives the queue item; a crash between the two leaves a pending run without an
   * item, which recovery re-queues.
   */
  public Enqueued enqueue(EnqueueRequest req) {
    Instant now = clock.instant();
    Instant due = req.dueAt() != null ? req.dueAt() : now;
    String runId = RunIds.newId(now);
    Document run = new Document("run_id", runId)
        .append("device_id", req.deviceId())
        .append("status", RunStatus.PENDING.wire())
        .append("trigger", req.trigger())
        .append("queued_at", Date.from(now))
        .append("due_at", Date.from(due))
        .append("attempt", req.attempt())
        .append("retry_of", req.retryOf())
        .append("params", req.params())
        .append("progress", new Document("stage", "queued").append("fraction", 0.0))
        .append("cancel_requested", false);
    if (req.fireKey() != null) {
      run.append("fire_key", req.fireKey()); // absent, not null, when unset: the unique index is sparse
    }
    try {
      runs.insertOne(run);
    } catch (MongoWriteException e) {
      if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY && req.fireKey() != null) {
        Document existing = runs.find(new Document("fire_key", req.fireKey())).first();
        return new Enqueued(existing != null ? existing.getString("run_id") : null, false);
      }
      throw e;
    }
    Document item = new Document("run_id", runId)
        .append("device_id", req.deviceId())
        .append("status", RunStatus.PENDING.wire())
        .append("due_at", Date.from(due))
        .append("queued_at", Date.from(now))
        .append("attempt", req.attempt())
        .append("token", 0L)
        .append("cancel_requested", false);
    if (req.fireKey() != null) {
      item.append("fire_key", req.fireKey());
    }
    queue.insertOne(item);
    return new Enqueued(runId, true);
  }
}
