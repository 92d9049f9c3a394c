package com.retrainconsole.runs;

import com.mongodb.client.model.Filters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * What the run history shows: every field null means "any". The date range applies to {@code queued_at}
 * (every run has it, from enqueue or inline start), {@code from} inclusive and {@code to} exclusive.
 * {@code promoted} false matches every run that did not promote, including failed and pending ones.
 */
public record RunFilter(String deviceId, RunStatus status, String triggerType, Instant from, Instant to,
    Boolean promoted, Set<String> devicesIn) {

  /** {@code devicesIn}: the devices a caller may see (null: all), applied on top of every other filter. */
  public RunFilter {
    devicesIn = devicesIn == null ? null : Set.copyOf(devicesIn);
  }

  public RunFilter(String deviceId, RunStatus status, String triggerType, Instant from, Instant to,
      Boolean promoted) {
    this(deviceId, status, triggerType, from, to, promoted, null);
  }

  public static RunFilter all() {
    return new RunFilter(null, null, null, null, null, null, null);
  }

  /** Only runs of these devices (null: no restriction): how reads stay within the caller's sites. */
  public RunFilter withDevicesIn(Set<String> v) {
    return new RunFilter(deviceId, status, triggerType, from, to, promoted, v);
  }

  public boolean isAll() {
    return equals(all());
  }

  public RunFilter withDevice(String v) {
    return new RunFilter(v, status, triggerType, from, to, promoted, devicesIn);
  }

  public RunFilter withStatus(RunStatus v) {
    return new RunFilter(deviceId, v, triggerType, from, to, promoted, devicesIn);
  }

  public RunFilter withTriggerType(String v) {
    return new RunFilter(deviceId, status, v, from, to, promoted, devicesIn);
  }

  public RunFilter withRange(Instant newFrom, Instant newTo) {
    return new RunFilter(deviceId, status, triggerType, newFrom, newTo, promoted, devicesIn);
  }

  public RunFilter withPromoted(Boolean v) {
    return new RunFilter(deviceId, status, triggerType, from, to, v, devicesIn);
  }

  /** The store query; an empty document when nothing is filtered. */
  public Bson toBson() {
    List<Bson> f = new ArrayList<>();
    if (deviceId != null) {
      f.add(Filters.eq("device_id", deviceId));
    }
    if (devicesIn != null) {
      f.add(Filters.in("device_id", devicesIn));
    }
    if (status != null) {
      f.add(Filters.eq("status", status.wire()));
    }
    if (triggerType != null) {
      f.add(Filters.eq("trigger.type", triggerType));
    }
    if (from != null) {
      f.add(Filters.gte("queued_at", java.util.Date.from(from)));
    }
    if (to != null) {
      f.add(Filters.lt("queued_at", java.util.Date.from(to)));
    }
    if (promoted != null) {
      f.add(promoted ? Filters.eq("decision.promoted", true) : Filters.ne("decision.promoted", true));
    }
    return f.isEmpty() ? new Document() : f.size() == 1 ? f.get(0) : Filters.and(f);
  }
}
