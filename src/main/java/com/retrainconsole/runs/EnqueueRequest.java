package com.retrainconsole.runs;

import java.time.Instant;
import org.bson.Document;

/**
 * A run to be claimed by a scheduler. {@code trigger} is {@code {type, trigger_id, reason, actor}};
 * {@code params} as on the run record ({@code days, until, trainer, dry_run}). {@code fireKey}
 * ({@code trigger_id + ":" + scheduled instant}) makes a trigger's fire idempotent across scheduler
 * instances; null for manual runs and retries. {@code dueAt} delays a retry's backoff.
 */
public record EnqueueRequest(
    String deviceId, Document trigger, Document params, String fireKey, Instant dueAt, int attempt,
    String retryOf) {

  public static EnqueueRequest manual(String deviceId, Document params, String actor, String reason) {
    return new EnqueueRequest(deviceId,
        new Document("type", "manual").append("trigger_id", null).append("reason", reason).append("actor", actor),
        params, null, null, 1, null);
  }
}
