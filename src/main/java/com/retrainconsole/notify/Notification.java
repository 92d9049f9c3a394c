package com.retrainconsole.notify;

import java.time.Instant;

/**
 * One event to tell receivers about. {@code key} identifies the event itself (e.g. "run_failed:RUN_ID"), so
 * finding it twice enqueues it once per webhook.
 */
public record Notification(WebhookEvent event, String key, String deviceId, String runId, String status,
    String version, String decision, String message, Instant at) {}
