package com.retrainconsole.audit;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bson.Document;

/**
 * The audit trail in the {@code audit} collection. Append-only: this class never updates or deletes.
 * Entry shape: {@code {action, device_id, from_version, to_version, actor, reason, at}} for pointer
 * moves, {@code {action, device_id?, actor, at, details}} for other actions.
 */
public final class MongoAuditLog implements PointerLedger {
  private final MongoCollection<Document> audit;
  private final Clock clock;

  public MongoAuditLog(Store store, Clock clock) {
    this(store.collection(Collections.AUDIT), clock);
  }

  public MongoAuditLog(MongoCollection<Document> audit, Clock clock) {
    this.audit = Objects.requireNonNull(audit);
    this.clock = Objects.requireNonNull(clock);
  }

  @Override
  public void append(PointerMove move) {
    audit.insertOne(
        new Document("action", move.action())
            .append("device_id", move.deviceId())
            .append("from_version", move.fromVersion())
            .append("to_version", move.toVersion())
            .append("actor", move.actor())
            .append("reason", move.reason())
            .append("at", Date.from(move.at())));
  }

  @Override
  public List<PointerMove> history(String deviceId) {
    List<PointerMove> moves = new ArrayList<>();
    // decision: sort on _id as the tie-break; ObjectIds from one client grow with insertion order.
    for (Document d :
        audit
            .find(
                Filters.and(
                    Filters.eq("device_id", deviceId),
                    Filters.in(
                        "action", PointerMove.PROMOTE, PointerMove.ROLLBACK, PointerMove.RECONCILED)))
            .sort(Sorts.ascending("at", "_id"))) {
      moves.add(
          new PointerMove(
              d.getString("action"),
              d.getString("device_id"),
              d.getString("from_version"),
              d.getString("to_version"),
              d.getString("actor"),
              d.getString("reason"),
              d.getDate("at").toInstant()));
    }
    return moves;
  }

  @Override
  public void record(String action, String actor, Map<String, ?> details) {
    Document entry = new Document("action", action);
    Object device = details.get("device_id");
    if (device != null) {
      entry.append("device_id", device.toString());
    }
    entry.append("actor", actor).append("at", Date.from(clock.instant()));
    Document detailDoc = new Document();
    details.forEach((k, v) -> detailDoc.append(k, v instanceof Instant i ? Date.from(i) : v));
    entry.append("details", detailDoc);
    audit.insertOne(entry);
  }

  /** Newest entries first, any action; for the console's audit trail. */
  public List<Document> recent(String deviceId, int limit) {
    List<Document> out = new ArrayList<>();
    audit
        .find(deviceId == null ? new Document() : Filters.eq("device_id", deviceId))
        .sort(Sorts.descending("at", "_id"))
        .limit(limit)
        .into(out);
    return out;
  }
}
