package com.retrainconsole.notify;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.bson.Document;

/**
 * The persistent outbox ({@code webhook_deliveries}): a delivery survives a crash and is retried by whichever
 * process runs a worker next. status pending → delivered | failed.
 */
public final class WebhookDeliveries {
  public static final String PENDING = "pending";
  public static final String DELIVERED = "delivered";
  public static final String FAILED = "failed";
  /** Delivered and failed deliveries are kept this long (the `webhooks deliveries` history), then purged. */
  public static final Duration RETENTION = Duration.ofDays(30);
  /** A claimed delivery is due again after this if its sender died mid-attempt. */
  static final Duration CLAIM_LEASE = Duration.ofSeconds(60);

  private final MongoCollection<Document> deliveries;
  private final Clock clock;

  public WebhookDeliveries(Store store, Clock clock) {
    this.deliveries = store.collection(Collections.WEBHOOK_DELIVERIES);
    this.clock = clock;
    deliveries.createIndex(new Document("delivery_id", 1), new IndexOptions().unique(true));
    // decision: one delivery per (webhook, event) enforced by the store, so overlapping scan windows and two
    // schedulers scanning the same events never notify twice
    deliveries.createIndex(new Document("dedupe_key", 1), new IndexOptions().unique(true));
  }

  /** Enqueues unless this webhook already has this event; true when a delivery was added. */
  public boolean enqueue(Webhook w, Notification n) {
    Date now = Date.from(clock.instant());
    Document d = new Document("delivery_id", "whd-" + UUID.randomUUID())
        .append("dedupe_key", w.id() + "|" + n.key())
        .append("webhook_id", w.id())
        .append("event", n.event().wire())
        .append("device_id", n.deviceId())
        .append("run_id", n.runId())
        .append("payload", Payloads.render(w.format(), n))
        .append("status", PENDING)
        .append("attempts", 0)
        .append("next_attempt_at", now)
        .append("created_at", now);
    try {
      deliveries.insertOne(d);
      return true;
    } catch (MongoWriteException e) {
      if (ErrorCategory.fromErrorCode(e.getCode()) == ErrorCategory.DUPLICATE_KEY) {
        return false;
      }
      throw e;
    }
  }

  /** The oldest due pending delivery, claimed for {@link #CLAIM_LEASE}. */
  public Optional<Document> claimDue() {
    Instant now = clock.instant();
    return Optional.ofNullable(deliveries.findOneAndUpdate(
        Filters.and(Filters.eq("status", PENDING), Filters.lte("next_attempt_at", Date.from(now))),
        Updates.set("next_attempt_at", Date.from(now.plus(CLAIM_LEASE))),
        new FindOneAndUpdateOptions().sort(Sorts.ascending("next_attempt_at")).returnDocument(ReturnDocument.AFTER)));
  }

  public void delivered(String deliveryId, int attempts, int httpStatus) {
    deliveries.updateOne(new Document("delivery_id", deliveryId), Updates.combine(
        Updates.set("status", DELIVERED), Updates.set("attempts", attempts), Updates.set("last_http_status", httpStatus),
        Updates.set("delivered_at", Date.from(clock.instant())), Updates.unset("next_attempt_at")));
  }

  /** Records a failed attempt: pending again after {@code retryAfter}, or failed for good when null. */
  public void attemptFailed(String deliveryId, int attempts, Integer httpStatus, String error, Duration retryAfter) {
    Instant now = clock.instant();
    List<org.bson.conversions.Bson> set = new ArrayList<>(List.of(Updates.set("attempts", attempts),
        Updates.set("last_http_status", httpStatus), Updates.set("last_error", error),
        Updates.set("last_attempt_at", Date.from(now))));
    if (retryAfter == null) {
      set.add(Updates.set("status", FAILED));
      set.add(Updates.set("failed_at", Date.from(now)));
      set.add(Updates.unset("next_attempt_at"));
    } else {
      set.add(Updates.set("next_attempt_at", Date.from(now.plus(retryAfter))));
    }
    deliveries.updateOne(new Document("delivery_id", deliveryId), Updates.combine(set));
  }

  /**
   * Deletes delivered and failed deliveries created before {@code before}; pending ones always stay. Only
   * safe for events older than the notifier's scan window: a purged dedupe key could otherwise be sent again.
   */
  public long purgeFinished(Instant before) {
    return deliveries.deleteMany(Filters.and(Filters.in("status", DELIVERED, FAILED),
        Filters.lt("created_at", Date.from(before)))).getDeletedCount();
  }

  public List<Document> list(String webhookId, int limit) {
    List<Document> out = new ArrayList<>();
    deliveries.find(webhookId == null ? new Document() : new Document("webhook_id", webhookId))
        .sort(Sorts.descending("created_at")).limit(limit).into(out);
    return out;
  }

  public Optional<Document> find(String deliveryId) {
    return Optional.ofNullable(deliveries.find(new Document("delivery_id", deliveryId)).first());
  }
}
