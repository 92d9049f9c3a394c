package com.retrainconsole.runs;

import java.util.Locale;

/** pending → running → completed | failed | cancelled | timed_out (docs/ARCHITECTURE.md §6). */
public enum RunStatus {
  PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMED_OUT;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean isFinal() {
    return this != PENDING && this != RUNNING;
  }

  public static RunStatus parse(String s) {
    for (RunStatus v : values()) {
      if (v.wire().equalsIgnoreCase(s)) {
        return v;
      }
    }
    throw new com.retrainconsole.common.UserException("Unknown run status '" + s
        + "'. Valid: pending, running, completed, failed, cancelled, timed_out");
  }
}
