package com.retrainconsole.triggers;

import com.retrainconsole.common.UserException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** Every {@code every}, at {@code anchor + k·every}; absolute instants, so DST does not move them. */
public record IntervalSchedule(Duration every, Instant anchor) implements Schedule {
  public IntervalSchedule {
    if (every == null || every.isZero() || every.isNegative()) {
      throw new UserException("--every must be a positive duration such as 6h (got " + every + ")");
    }
    if (every.toMillis() < 60_000) {
      throw new UserException("--every must be at least 1 minute (got " + every + ")");
    }
    anchor = anchor == null ? Instant.EPOCH : anchor;
  }

  @Override
  public Optional<Fire> nextAfter(Instant t) {
    long e = every.toMillis();
    long k = Math.floorDiv(t.toEpochMilli() - anchor.toEpochMilli(), e) + 1;
    return Optional.of(fire(anchor.plusMillis(k * e)));
  }

  @Override
  public Optional<Fire> latestAtOrBefore(Instant t) {
    long e = every.toMillis();
    long k = Math.floorDiv(t.toEpochMilli() - anchor.toEpochMilli(), e);
    return Optional.of(fire(anchor.plusMillis(k * e)));
  }

  private static Fire fire(Instant at) {
    return new Fire(at, LocalDateTime.ofInstant(at, ZoneOffset.UTC), null);
  }
}
