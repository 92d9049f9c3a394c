package com.retrainconsole.runs;

import java.util.Locale;

/**
 * Where a running queue item is (docs/ARCHITECTURE.md §6): {@code running} → {@code finalizing} (the
 * worker is saving its model) → {@code done}; or {@code running} → {@code cancelling} / {@code
 * timing_out}. {@code recovering}: a dead worker's item being closed by recovery. Each move is one
 * conditional update on the phase it leaves, so racing moves resolve to exactly one.
 */
public enum QueuePhase {
  RUNNING, FINALIZING, DONE, CANCELLING, TIMING_OUT, RECOVERING;

  /** The stored name ({@code timing_out}). */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The phase for a stored name; null when there is none (a pending item). */
  public static QueuePhase parse(String s) {
    if (s == null) {
      return null;
    }
    for (QueuePhase p : values()) {
      if (p.wire().equals(s)) {
        return p;
      }
    }
    throw new IllegalStateException("unknown queue phase '" + s + "'");
  }

  /** Still in the worker's hands: it may finish (or be released) from here. */
  public boolean workerOwned() {
    return this == RUNNING || this == FINALIZING;
  }

  /** How a message names it ("timing out"). */
  public String label() {
    return wire().replace('_', ' ');
  }
}
