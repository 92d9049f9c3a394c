package com.retrainconsole.runs;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Retries of runs that died for reasons outside the data (worker lost, timed out): at most {@code
 * maxAttempts} attempts in all, waiting {@code backoff[attempt-1]} (the last entry repeats), capped at
 * {@code cap}, then spread by ±{@code jitter} so retries of many devices do not start in one burst.
 */
public record RetryPolicy(int maxAttempts, List<Duration> backoff, Duration cap, double jitter) {
  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
    }
    if (backoff.isEmpty()) {
      throw new IllegalArgumentException("backoff needs at least one delay");
    }
    if (jitter < 0 || jitter >= 1) {
      throw new IllegalArgumentException("jitter must be in [0, 1), not " + jitter);
    }
    backoff = List.copyOf(backoff);
  }

  /** 3 attempts, 5 / 15 / 45 minutes, capped at 2 h, ±10%. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(3, List.of(Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(45)),
        Duration.ofHours(2), 0.10);
  }

  /** The wait before attempt {@code failedAttempt + 1}, or empty when the attempts are used up. */
  public Optional<Duration> delayAfter(int failedAttempt, RandomGenerator random) {
    if (failedAttempt >= maxAttempts) {
      return Optional.empty();
    }
    Duration base = backoff.get(Math.min(Math.max(failedAttempt, 1), backoff.size()) - 1);
    if (base.compareTo(cap) > 0) {
      base = cap;
    }
    double factor = 1 + jitter * (2 * random.nextDouble() - 1);
    return Optional.of(Duration.ofMillis(Math.round(base.toMillis() * factor)));
  }
}
