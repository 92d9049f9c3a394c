package com.retrainconsole.notify;

import java.time.Instant;
import java.util.Set;

/**
 * One configured receiver. {@code deviceId} null = every device. {@code url} may hold a secret (Slack and
 * Teams put it in the path): show {@link #redactedUrl()} anywhere a person or a log can see it.
 */
public record Webhook(String id, String url, String deviceId, WebhookFormat format, Set<WebhookEvent> events,
    Instant createdAt, String createdBy) {

  public String redactedUrl() {
    return RedactedUrl.of(url);
  }

  public boolean wants(WebhookEvent event, String device) {
    return events.contains(event) && (deviceId == null || deviceId.equals(device));
  }
}
