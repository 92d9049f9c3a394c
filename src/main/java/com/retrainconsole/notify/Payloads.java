package com.retrainconsole.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.retrainconsole.common.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** The request body each format gets for a notification. */
public final class Payloads {
  private Payloads() {}

  public static String render(WebhookFormat format, Notification n) {
    Map<String, Object> body = new LinkedHashMap<>();
    switch (format) {
      case GENERIC -> {
        body.put("event", n.event().wire());
        body.put("device_id", n.deviceId());
        body.put("run_id", n.runId());
        body.put("status", n.status());
        body.put("version", n.version());
        body.put("decision", n.decision());
        body.put("message", n.message());
        body.put("at", n.at() == null ? null : n.at().toString());
      }
      case SLACK -> body.put("text", text(n));
      case TEAMS -> {
        body.put("@type", "MessageCard");
        body.put("@context", "http://schema.org/extensions");
        body.put("summary", summary(n));
        body.put("themeColor", n.event() == WebhookEvent.RUN_PROMOTED || n.event() == WebhookEvent.ALERT_RESOLVED
            ? "2E7D32" : "C62828");
        body.put("title", summary(n));
        body.put("text", text(n));
      }
    }
    try {
      return Json.MAPPER.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render a webhook payload", e);
    }
  }

  /** "Retrain run failed on tracker01". */
  static String summary(Notification n) {
    String what = switch (n.event()) {
      case RUN_FAILED -> "Retrain run failed";
      case RUN_PROMOTED -> "New model promoted";
      case CIRCUIT_OPENED -> "Retraining circuit opened";
      case ALERT_RAISED -> "Alert raised";
      case ALERT_RESOLVED -> "Alert resolved";
    };
    return what + (n.deviceId() == null ? "" : " on " + n.deviceId());
  }

  static String text(Notification n) {
    StringBuilder b = new StringBuilder(summary(n));
    if (n.runId() != null) {
      b.append(" (run ").append(n.runId()).append(')');
    }
    if (n.version() != null) {
      b.append(", version ").append(n.version());
    }
    if (n.message() != null && !n.message().isBlank()) {
      b.append(": ").append(n.message());
    }
    if (n.decision() != null && !n.decision().isBlank()) {
      b.append(" — ").append(n.decision());
    }
    return b.toString();
  }
}
