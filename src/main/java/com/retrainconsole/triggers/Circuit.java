package com.retrainconsole.triggers;

import java.time.Instant;
import java.util.Date;
import org.bson.Document;

/**
 * The device's circuit breaker as kept on each of its triggers: open after K consecutive failed or rejected
 * runs; {@code closedAt} (set by {@code triggers enable}) makes runs finished before it not count again.
 */
public record Circuit(boolean open, Instant openedAt, int consecutiveFailures, Instant closedAt) {
  public static final Circuit CLOSED = new Circuit(false, null, 0, null);

  Document toDocument() {
    return new Document("open", open).append("opened_at", date(openedAt))
        .append("consecutive_failures", consecutiveFailures).append("closed_at", date(closedAt));
  }

  static Circuit fromDocument(Document d) {
    if (d == null) {
      return CLOSED;
    }
    Number n = d.get("consecutive_failures", Number.class);
    return new Circuit(Boolean.TRUE.equals(d.getBoolean("open")), instant(d.getDate("opened_at")),
        n == null ? 0 : n.intValue(), instant(d.getDate("closed_at")));
  }

  static Date date(Instant i) {
    return i == null ? null : Date.from(i);
  }

  static Instant instant(Date d) {
    return d == null ? null : d.toInstant();
  }
}
