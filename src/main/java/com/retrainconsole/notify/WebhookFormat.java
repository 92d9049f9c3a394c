package com.retrainconsole.notify;

import com.retrainconsole.common.UserException;
import java.util.Locale;

/** Payload shape: our generic JSON, a Slack incoming webhook, or a Teams connector MessageCard. */
public enum WebhookFormat {
  GENERIC, SLACK, TEAMS;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static WebhookFormat parse(String s) {
    for (WebhookFormat f : values()) {
      if (f.wire().equalsIgnoreCase(s.trim())) {
        return f;
      }
    }
    throw new UserException("Unknown webhook format '" + s + "'. Valid: generic, slack, teams");
  }
}
