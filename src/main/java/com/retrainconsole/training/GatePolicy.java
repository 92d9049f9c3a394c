package com.retrainconsole.training;

import java.time.Duration;

/**
 * Thresholds of the data-quality gate.
 *
 * @param minRows fewest readings worth training on
 * @param maxFrozen longest a non-zero value may repeat exactly before the sensor counts as stuck
 * @param maxNanBurst longest run of missing values (NaN) in the target or an input
 * @param maxNanShare largest share of NaN in the target or an input column (0..1)
 */
public record GatePolicy(
    int minRows, Duration maxFrozen, double maxFrozenShare, Duration maxNanBurst, double maxNanShare) {
  public static GatePolicy defaults() {
    return new GatePolicy(100, Duration.ofHours(3), 0.05, Duration.ofHours(12), 0.3);
  }

  public GatePolicy withMinRows(int n) {
    return new GatePolicy(n, maxFrozen, maxFrozenShare, maxNanBurst, maxNanShare);
  }
}
