package com.retrainconsole.runs;

import java.util.Locale;

/**
 * Why a run failed, stored beside its {@code error} text as {@code error_kind}, so code decides by kind
 * and never by the wording of a message. Runs written before kinds existed have none (null).
 */
public enum FailureKind {
  /** The data failed a check (quality gate, empty window, too few rows): the same data fails again. */
  DATA,
  /** The pipeline threw (a bug, an unwritable folder, a store error). */
  ERROR,
  /** A scheduler's worker stopped renewing its lease: it died, froze or lost the store. */
  WORKER_LOST,
  /** A scheduler's worker process ended without writing a result. */
  WORKER_EXITED,
  /** The scheduler could not start the worker. */
  NOT_STARTED,
  /** The process training an inline run is gone (killed, crashed) or stopped renewing its lease. */
  PROCESS_LOST;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind for a stored name; null for none or a kind this version does not know. */
  public static FailureKind parse(String s) {
    for (FailureKind k : values()) {
      if (k.wire().equals(s)) {
        return k;
      }
    }
    return null;
  }
}
