package com.retrainconsole.triggers;

import java.time.Instant;
import java.util.Optional;

/** The fire instants of a time-based trigger (cron slots or interval steps). */
public interface Schedule {
  /** The first fire strictly after {@code t}. */
  Optional<Fire> nextAfter(Instant t);

  /** The last fire at or before {@code t}. */
  Optional<Fire> latestAtOrBefore(Instant t);

  /**
   * One fire: the instant, the local time it was scheduled for (differs from the instant's local time in a
   * spring-forward gap) and a note when DST moved or doubled it (null otherwise).
   */
  record Fire(Instant at, java.time.LocalDateTime nominal, String dstNote) {}
}
