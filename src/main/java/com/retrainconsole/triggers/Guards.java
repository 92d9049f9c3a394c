package com.retrainconsole.triggers;

import com.retrainconsole.common.UserException;
import java.time.Duration;
import org.bson.Document;

/**
 * Checked on every fire: no run of the device queued within {@code cooldown}; at most {@code maxPerDay}
 * scheduler runs of the device in the last 24 h (null = no limit); at least {@code minNewRows} readings newer
 * than the last successful run's data (null = no minimum).
 */
public record Guards(Duration cooldown, Integer maxPerDay, Long minNewRows) {
  public static final Duration DEFAULT_COOLDOWN = Duration.ofHours(6);

  public Guards {
    cooldown = cooldown == null ? DEFAULT_COOLDOWN : cooldown;
    if (cooldown.isNegative()) {
      throw new UserException("--cooldown must not be negative (got " + cooldown + ")");
    }
    if (maxPerDay != null && maxPerDay < 1) {
      throw new UserException("--max-per-day must be at least 1 (got " + maxPerDay + ")");
    }
    if (minNewRows != null && minNewRows < 1) {
      throw new UserException("--min-new-rows must be at least 1 (got " + minNewRows + ")");
    }
  }

  public static Guards defaults() {
    return new Guards(null, null, null);
  }

  /** This guard set with the non-null fields of {@code changes} applied. */
  public Guards merge(Duration newCooldown, Integer newMaxPerDay, Long newMinNewRows) {
    return new Guards(newCooldown != null ? newCooldown : cooldown,
        newMaxPerDay != null ? newMaxPerDay : maxPerDay, newMinNewRows != null ? newMinNewRows : minNewRows);
  }

  Document toDocument() {
    return new Document("cooldown", cooldown.toString()).append("max_per_day", maxPerDay)
        .append("min_new_rows", minNewRows);
  }

  static Guards fromDocument(Document d) {
    if (d == null) {
      return defaults();
    }
    Number max = d.get("max_per_day", Number.class);
    Number min = d.get("min_new_rows", Number.class);
    String cd = d.getString("cooldown");
    return new Guards(cd == null ? null : Duration.parse(cd), max == null ? null : max.intValue(),
        min == null ? null : min.longValue());
  }
}
