package com.retrainconsole.scheduler;

import java.time.Instant;

/**
 * Evaluates due triggers once per scheduler tick (implemented by the triggers package; it enqueues runs
 * with fire keys). Runs after dead leases are recovered and before new runs are claimed.
 */
@FunctionalInterface
public interface TriggerTick {
  TriggerTick NONE = now -> {};

  void tick(Instant now);
}
