package com.retrainconsole.alerts;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.retrainconsole.common.UserException;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alerts in the {@code alerts} collection: {@code {alert_id, type, device_id, incident_key, status:
 * open|acknowledged|resolved, message, details, first_seen, last_seen, count, run_ids[], acked_by,
 * acked_at, ack_reason, resolved_by, resolved_at, resolve_reason}} plus {@code open_key} while open.
 *
 * <p>Dedupe: {@code open_key} (= incident_key, only while open) is under a sparse unique index, so two
 * scheduler instances raising the same incident at once create one document; the loser of the insert race
 * updates it (count, last_seen) instead.
 *
 * <p>Lifecycle: open → acknowledged → resolved. decision: a raise on an incident that is acknowledged but
 * not yet resolved updates that alert (count, last_seen) and does not open a new one, so an operator's ack
 * silences a condition that persists; detectors resolve an incident when its condition clears, and the
 * next occurrence opens a new alert.
 */
public final class AlertService implements AlertSink {
  public static final String OPEN = "open";
  public static final String ACKNOWLEDGED = "acknowledged";
  public static final String RESOLVED = "resolved";

  private static final Logger log = LoggerFactory.getLogger(AlertService.class);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final MongoCollection<Document> alerts;
  private final Clock clock;

  public AlertService(Store store, Clock clock) {
    this.alerts = store.collection(Collections.ALERTS);
    this.clock = clock;
  }

  /** Which alerts {@link #list} returns. */
  public enum StatusFilter {
    OPEN, ACKNOWLEDGED, RESOLVED, ACTIVE, ALL;

    public static StatusFilter parse(String s) {
      for (StatusFilter f : values()) {
        if (f.name().equalsIgnoreCase(s)) {
          return f;
        }
      }
      throw new UserException("Unknown alert status '" + s + "'. Valid: open, acknowledged, resolved, active"
          + " (open or acknowledged), all");
    }
  }

  /**
   * {@link AlertSink#raise}: details may carry {@code run_id} (a String) or {@code run_ids} (a collection
   * of Strings); they are added to the alert's {@code run_ids}.
   */
  @Override
  public void raise(String type, String deviceId, String incidentKey, String message, Map<String, Object> details) {
    raiseAlert(type, deviceId, incidentKey, message, details);
  }

  /** As {@link #raise}, returning the alert as stored after this raise. */
  public Document raiseAlert(
      String type, String deviceId, String incidentKey, String message, Map<String, Object> details) {
    if (incidentKey == null || incidentKey.isBlank()) {
      throw new IllegalArgumentException("incident key is required");
    }
    Date now = Date.from(clock.instant());
    Document detailDoc = details == null ? new Document() : toDocument(details);
    List<String> runIds = runIdsOf(details);
    Document update = new Document("$set", new Document("last_seen", now).append("message", message)
            .append("details", detailDoc))
        .append("$inc", new Document("count", 1));
    if (!runIds.isEmpty()) {
      update.append("$addToSet", new Document("run_ids", new Document("$each", runIds)));
    }
    FindOneAndUpdateOptions after = new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER);
    for (int attempt = 0; attempt < 5; attempt++) {
      // plain Document filter on the unique index keys: the embedded server's fast equality path
      Document updated = alerts.findOneAndUpdate(new Document("open_key", incidentKey), update, after);
      if (updated != null) {
        return updated;
      }
      updated = alerts.findOneAndUpdate(
          Filters.and(Filters.eq("incident_key", incidentKey), Filters.eq("status", ACKNOWLEDGED)), update, after);
      if (updated != null) {
        return updated;
      }
      Document fresh = new Document("alert_id", newId(clock.instant()))
          .append("type", type)
          .append("device_id", deviceId)
          .append("incident_key", incidentKey)
          .append("open_key", incidentKey)
          .append("status", OPEN)
          .append("message", message)
          .append("details", detailDoc)
          .append("first_seen", now)
          .append("last_seen", now)
          .append("count", 1)
          .append("run_ids", new ArrayList<>(runIds))
          .append("acked_by", null)
          .append("acked_at", null);
      try {
        alerts.insertOne(fresh);
        log.info("alert {} {} {}: {}", fresh.getString("alert_id"), type, deviceId, message);
        return fresh;
      } catch (MongoWriteException e) {
        if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
          throw e;
        }
        // another instance opened it between our update and insert: update theirs
      }
    }
    throw new IllegalStateException("could not raise alert " + incidentKey + " (kept colliding)");
  }

  /** Newest activity first; {@code deviceId} null for all devices. */
  public List<Document> list(StatusFilter status, String deviceId, int limit) {
    return list(status, deviceId, null, limit);
  }

  /**
   * Newest activity first, only alerts of {@code devicesIn} (null: no restriction; alerts about no device
   * are left out by any restriction, they concern the whole fleet): how a reader stays within their sites.
   * decision: filtered in the query, not after it, so the limit counts only alerts the reader may see.
   */
  public List<Document> list(StatusFilter status, String deviceId, Set<String> devicesIn, int limit) {
    List<Bson> filters = new ArrayList<>();
    if (devicesIn != null) {
      filters.add(Filters.in("device_id", devicesIn));
    }
    switch (status) {
      case OPEN -> filters.add(Filters.eq("status", OPEN));
      case ACKNOWLEDGED -> filters.add(Filters.eq("status", ACKNOWLEDGED));
      case RESOLVED -> filters.add(Filters.eq("status", RESOLVED));
      case ACTIVE -> filters.add(Filters.in("status", OPEN, ACKNOWLEDGED));
      case ALL -> { }
    }
    if (deviceId != null) {
      filters.add(Filters.eq("device_id", deviceId));
    }
    Bson filter = filters.isEmpty() ? new Document() : Filters.and(filters);
    return alerts.find(filter).sort(Sorts.descending("last_seen")).limit(limit).into(new ArrayList<>());
  }

  public Optional<Document> find(String alertId) {
    return Optional.ofNullable(alerts.find(new Document("alert_id", alertId)).first());
  }

  /**
   * Acknowledges an open alert (idempotent for one already acknowledged).
   *
   * @throws UserException for an unknown id (listing the open ones) or a resolved alert
   */
  public Document ack(String alertId, String actor, String reason) {
    Document current = find(alertId).orElseThrow(() -> unknown(alertId));
    if (RESOLVED.equals(current.getString("status"))) {
      throw new UserException("Alert " + alertId + " is already resolved (" + current.getString("resolve_reason")
          + "); nothing to acknowledge");
    }
    Document updated = alerts.findOneAndUpdate(
        Filters.and(Filters.eq("alert_id", alertId), Filters.eq("status", OPEN)),
        new Document("$set", new Document("status", ACKNOWLEDGED)
                .append("acked_by", actor)
                .append("acked_at", Date.from(clock.instant()))
                .append("ack_reason", reason))
            .append("$unset", new Document("open_key", "")),
        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
    return updated != null ? updated : find(alertId).orElseThrow(() -> unknown(alertId));
  }

  /** Resolves one alert by id (open or acknowledged). */
  public Document resolve(String alertId, String actor, String reason) {
    find(alertId).orElseThrow(() -> unknown(alertId));
    Document updated = alerts.findOneAndUpdate(
        Filters.and(Filters.eq("alert_id", alertId), Filters.in("status", OPEN, ACKNOWLEDGED)),
        resolution(actor, reason), new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
    return updated != null ? updated : find(alertId).orElseThrow();
  }

  /** Resolves the active alert of an incident, if any (detectors call this when the condition clears). */
  public boolean resolveIncident(String incidentKey, String actor, String reason) {
    long n = alerts.updateMany(
            Filters.and(Filters.eq("incident_key", incidentKey), Filters.in("status", OPEN, ACKNOWLEDGED)),
            resolution(actor, reason))
        .getModifiedCount();
    if (n > 0) {
      log.info("alert incident {} resolved: {}", incidentKey, reason);
    }
    return n > 0;
  }

  /** Active (open or acknowledged) alerts of one type, for detectors that resolve what cleared. */
  public List<Document> active(String type) {
    return alerts.find(Filters.and(Filters.eq("type", type), Filters.in("status", OPEN, ACKNOWLEDGED)))
        .into(new ArrayList<>());
  }

  private Document resolution(String actor, String reason) {
    return new Document("$set", new Document("status", RESOLVED)
            .append("resolved_by", actor)
            .append("resolved_at", Date.from(clock.instant()))
            .append("resolve_reason", reason))
        .append("$unset", new Document("open_key", ""));
  }

  private UserException unknown(String alertId) {
    List<String> open = list(StatusFilter.OPEN, null, 10).stream()
        .map(d -> d.getString("alert_id") + " (" + d.getString("type") + " " + d.getString("device_id") + ")")
        .collect(Collectors.toList());
    return new UserException("Unknown alert '" + alertId + "'. "
        + (open.isEmpty() ? "There are no open alerts." : "Open alerts: " + String.join(", ", open)));
  }

  static String newId(Instant now) {
    byte[] b = new byte[3];
    RANDOM.nextBytes(b);
    return "alert-" + STAMP.format(now) + "-" + HexFormat.of().formatHex(b);
  }

  private static Document toDocument(Map<String, Object> details) {
    Document d = new Document();
    details.forEach((k, v) -> d.append(k, v instanceof Instant i ? Date.from(i) : v));
    return d;
  }

  private static List<String> runIdsOf(Map<String, Object> details) {
    if (details == null) {
      return List.of();
    }
    Set<String> ids = new LinkedHashSet<>();
    if (details.get("run_id") instanceof String s) {
      ids.add(s);
    }
    if (details.get("run_ids") instanceof Collection<?> c) {
      c.forEach(o -> ids.add(String.valueOf(o)));
    }
    return new ArrayList<>(ids);
  }
}
