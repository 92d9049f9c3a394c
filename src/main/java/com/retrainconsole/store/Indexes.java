package com.retrainconsole.store;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import org.bson.Document;

/** Indexes created at start. Unique ones carry idempotency; the embedded server ignores the others. */
final class Indexes {
  private Indexes() {}

  static void ensure(MongoDatabase db) {
    db.getCollection(Collections.MODEL_RUNS)
        .createIndex(new Document("run_id", 1), new IndexOptions().unique(true));
    db.getCollection(Collections.MODEL_RUNS).createIndex(new Document("device_id", 1).append("queued_at", -1));
    db.getCollection(Collections.TELEMETRY).createIndex(new Document("device_id", 1).append("hour", 1));
    db.getCollection(Collections.AUDIT).createIndex(new Document("device_id", 1).append("at", 1));
  }
}
