package com.retrainconsole.notify;

import com.retrainconsole.common.UserException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a webhook can be told about; {@link #wire()} is the name in configs and payloads. */
public enum WebhookEvent {
  RUN_FAILED, RUN_PROMOTED, CIRCUIT_OPENED, ALERT_RAISED, ALERT_RESOLVED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static WebhookEvent parse(String s) {
    for (WebhookEvent e : values()) {
      if (e.wire().equalsIgnoreCase(s.trim())) {
        return e;
      }
    }
    throw new UserException("Unknown webhook event '" + s
        + "'. Valid: run_failed, run_promoted, circuit_opened, alert_raised, alert_resolved");
  }

  /** "a,b" → the set; blank or null → every event. */
  public static Set<WebhookEvent> parseList(String csv) {
    if (csv == null || csv.isBlank()) {
      return EnumSet.allOf(WebhookEvent.class);
    }
    Set<WebhookEvent> out = EnumSet.noneOf(WebhookEvent.class);
    for (String part : csv.split(",")) {
      if (!part.isBlank()) {
        out.add(parse(part));
      }
    }
    return out;
  }
}
