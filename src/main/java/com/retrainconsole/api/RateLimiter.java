package com.retrainconsole.api;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per key (the API token's name): {@code perMinute} calls, refilled continuously.
 * decision: in memory per process; a restart forgives, which is fine for a guard against runaway scripts.
 */
final class RateLimiter {
  private final int perMinute;
  private final Clock clock;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  RateLimiter(int perMinute, Clock clock) {
    this.perMinute = perMinute;
    this.clock = clock;
  }

  /** 0 when the call may go ahead (and is counted), else the seconds until one is allowed. */
  long acquire(String key) {
    Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(perMinute, clock.millis()));
    synchronized (b) {
      long now = clock.millis();
      double perMs = perMinute / 60_000.0;
      b.tokens = Math.min(perMinute, b.tokens + (now - b.lastMs) * perMs);
      b.lastMs = now;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - b.tokens) / perMs / 1000.0));
    }
  }

  private static final class Bucket {
    double tokens;
    long lastMs;

    Bucket(double tokens, long lastMs) {
      this.tokens = tokens;
      this.lastMs = lastMs;
    }
  }
}
