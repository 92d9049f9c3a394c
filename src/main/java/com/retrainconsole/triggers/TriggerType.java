package com.retrainconsole.triggers;

import com.retrainconsole.common.UserException;
import java.util.Locale;

/** What makes a trigger fire. cron and interval are time slots; the others look at data every check. */
public enum TriggerType {
  CRON, INTERVAL, NEW_DATA, DRIFT, PERFORMANCE;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean timeBased() {
    return this == CRON || this == INTERVAL;
  }

  public static TriggerType parse(String s) {
    for (TriggerType t : values()) {
      if (t.wire().equalsIgnoreCase(s == null ? "" : s.trim().replace('-', '_'))) {
        return t;
      }
    }
    throw new UserException("Unknown trigger type '" + s + "'. Valid: cron, interval, new_data, drift, performance");
  }
}
