package com.retrainconsole.triggers;

import java.time.Instant;

/**
 * One evaluation pass of the triggers at {@code now}. decision: a copy of {@code scheduler.TriggerTick},
 * which is written in parallel; the two are identical and are unified when the branches merge.
 */
public interface TriggerTick {
  void tick(Instant now);
}
