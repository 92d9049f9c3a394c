package com.retrainconsole.store;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.retrainconsole.common.UserException;
import org.bson.Document;

/**
 * Indexes created at every open (idempotent: creating an existing index is a no-op).
 *
 * <p>Unique indexes carry idempotency and are enforced by the embedded server (memory and H2 backends) as
 * by MongoDB. The embedded server accepts and ignores non-unique indexes (it scans), so those exist only
 * to help a real MongoDB; partial and TTL indexes are not used because the embedded server ignores them.
 *
 * <p>Missing fields: a plain unique index treats a missing field as null, so only one document may lack
 * it (MongoDB and the embedded server agree). {@code fire_key} is set only on trigger-fired runs, so its
 * index is sparse: documents without the field are not indexed. Write no {@code fire_key: null} — an
 * explicit null is indexed and a second one would be rejected.
 */
final class Indexes {
  private Indexes() {}

  static void ensure(MongoDatabase db) {
    // idempotency keys (enforced everywhere)
    unique(db, Collections.MODEL_RUNS, new Document("run_id", 1), false);
    unique(db, Collections.RUN_QUEUE, new Document("run_id", 1), false);
    unique(db, Collections.TRIGGERS, new Document("trigger_id", 1), false);
    // decision: fire_key unique on both: the queue item is deleted when its run is final, so only the
    // run record in model_runs keeps a fired slot from firing again (docs/ARCHITECTURE.md §6, §7)
    unique(db, Collections.RUN_QUEUE, new Document("fire_key", 1), true);
    unique(db, Collections.MODEL_RUNS, new Document("fire_key", 1), true);
    // decision: at most one running run per device across all schedulers; only a running queue item
    // carries running_device (set at claim, gone with the item), so the index is sparse
    unique(db, Collections.RUN_QUEUE, new Document("running_device", 1), true);
    // one open alert per incident across scheduler instances: open_key = incident_key while the alert is
    // open, unset on ack/resolve, so the sparse index holds open alerts only
    unique(db, Collections.ALERTS, new Document("alert_id", 1), false);
    unique(db, Collections.ALERTS, new Document("open_key", 1), true);

    // query helpers: ignored by the embedded server, used by real MongoDB
    db.getCollection(Collections.MODEL_RUNS).createIndex(new Document("device_id", 1).append("queued_at", -1));
    db.getCollection(Collections.TELEMETRY).createIndex(new Document("device_id", 1).append("hour", 1));
    db.getCollection(Collections.AUDIT).createIndex(new Document("device_id", 1).append("at", 1));
    db.getCollection(Collections.TRIGGER_EVENTS).createIndex(new Document("trigger_id", 1).append("at", -1));
  }

  private static void unique(MongoDatabase db, String collection, Document keys, boolean sparse) {
    try {
      db.getCollection(collection).createIndex(keys, new IndexOptions().unique(true).sparse(sparse));
    } catch (MongoException e) {
      // the driver raises DuplicateKeyException here, other drivers/servers a MongoCommandException
      if (ErrorCategory.fromErrorCode(e.getCode()) != ErrorCategory.DUPLICATE_KEY) {
        throw e; // e.g. missing rights on a remote server: reported by the caller
      }
      throw new UserException(
          "Cannot create the unique index "
              + keys.toJson()
              + " on "
              + collection
              + " ("
              + e.getMessage()
              + "); the collection holds duplicates of that key: remove them, then start again",
          e);
    }
  }
}
