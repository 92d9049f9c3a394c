package com.retrainconsole.notify;

import java.time.Duration;
import java.util.List;

/**
 * Delivery retry policy: after failed attempt k (1-based) wait {@code delays[k-1]} (the last repeats);
 * after {@code maxAttempts} failures the delivery is failed for good.
 */
public record Backoff(List<Duration> delays, int maxAttempts) {
  public Backoff {
    if (delays.isEmpty() || maxAttempts < 1) {
      throw new IllegalArgumentException("backoff needs delays and at least one attempt");
    }
    delays = List.copyOf(delays);
  }

  /** 10 s, 30 s, 90 s, 270 s; five attempts over about 7 minutes. */
  public static Backoff defaults() {
    return new Backoff(List.of(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(90),
        Duration.ofSeconds(270)), 5);
  }

  public Duration after(int failedAttempts) {
    return delays.get(Math.min(Math.max(failedAttempts, 1), delays.size()) - 1);
  }
}
