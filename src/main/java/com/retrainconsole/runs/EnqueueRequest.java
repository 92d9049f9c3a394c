package com.retrainconsole.runs;

import com.retrainconsole.runs.RunRecord.Params;
import com.retrainconsole.runs.RunRecord.Trigger;
import java.time.Instant;

/**
 * A run to be claimed by a scheduler: why ({@code trigger}) and what to train ({@code params}), as on the
 * run record. {@code fireKey} ({@code trigger_id + ":" + scheduled instant}) makes a trigger's fire
 * idempotent across scheduler instances; null for manual runs and retries. {@code dueAt} delays a retry's
 * backoff.
 */
public record EnqueueRequest(
    String deviceId, Trigger trigger, Params params, String fireKey, Instant dueAt, int attempt, String retryOf) {

  public static EnqueueRequest manual(String deviceId, Params params, String actor, String reason) {
    return new EnqueueRequest(deviceId, Trigger.manual(reason, actor), params, null, null, 1, null);
  }
}
