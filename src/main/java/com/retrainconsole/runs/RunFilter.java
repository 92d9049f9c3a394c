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
 * {@code text} is a case-insensitive substring of the run id, device, error, trigger type or trigger reason
 * (the in-memory index keeps the first 300 characters of an error); {@code metrics} must all hold.
 */
public record RunFilter(String deviceId, RunStatus status, String triggerType, Instant from, Instant to,
    Boolean promoted, Set<String> devicesIn, String text, List<MetricCondition> metrics) {

  /** {@code devicesIn}: the devices a caller may see (null: all), applied on top of every other filter. */
  public RunFilter {
    devicesIn = devicesIn == null ? null : Set.copyOf(devicesIn);
    text = text == null || text.isBlank() ? null : text.strip();
    metrics = metrics == null ? List.of() : List.copyOf(metrics);
  }

  public RunFilter(String deviceId, RunStatus status, String triggerType, Instant from, Instant to,
      Boolean promoted, Set<String> devicesIn) {
    this(deviceId, status, triggerType, from, to, promoted, devicesIn, null, null);
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
    return new RunFilter(deviceId, status, triggerType, from, to, promoted, v, text, metrics);
  }

  public RunFilter withText(String v) {
    return new RunFilter(deviceId, status, triggerType, from, to, promoted, devicesIn, v, metrics);
  }

  public RunFilter withMetrics(List<MetricCondition> v) {
    return new RunFilter(deviceId, status, triggerType, from, to, promoted, devicesIn, text, v);
  }

  /** The fields {@code text} is looked for in. */
  static final List<String> TEXT_FIELDS = List.of(RunCodec.RUN_ID, RunCodec.DEVICE_ID, RunCodec.ERROR,
      RunCodec.TRIGGER + ".type", RunCodec.TRIGGER + ".reason");

  /** True when {@code text} is null or a case-insensitive part of one of {@code values}. */
  static boolean textIn(String text, String... values) {
    if (text == null) {
      return true;
    }
    for (String v : values) {
      if (v != null && containsIgnoreCase(v, text)) {
        return true;
      }
    }
    return false;
  }

  private static boolean containsIgnoreCase(String haystack, String needle) {
    for (int i = 0; i + needle.length() <= haystack.length(); i++) {
      if (haystack.regionMatches(true, i, needle, 0, needle.length())) {
        return true;
      }
    }
    return false;
  }

  /** A regex matching {@code s} literally (escaped by hand: the store's regex dialect need not know \Q). */
  private static String literal(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if ("\\^$.|?*+()[]{}-/#".indexOf(c) >= 0) {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }

  public boolean isAll() {
    return equals(all());
  }

  public RunFilter withDevice(String v) {
    return new RunFilter(v, status, triggerType, from, to, promoted, devicesIn, text, metrics);
  }

  public RunFilter withStatus(RunStatus v) {
    return new RunFilter(deviceId, v, triggerType, from, to, promoted, devicesIn, text, metrics);
  }

  public RunFilter withTriggerType(String v) {
    return new RunFilter(deviceId, status, v, from, to, promoted, devicesIn, text, metrics);
  }

  public RunFilter withRange(Instant newFrom, Instant newTo) {
    return new RunFilter(deviceId, status, triggerType, newFrom, newTo, promoted, devicesIn, text, metrics);
  }

  public RunFilter withPromoted(Boolean v) {
    return new RunFilter(deviceId, status, triggerType, from, to, v, devicesIn, text, metrics);
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
    if (text != null) {
      String pattern = literal(text);
      f.add(Filters.or(TEXT_FIELDS.stream().map(field -> Filters.regex(field, pattern, "i")).toList()));
    }
    for (MetricCondition m : metrics) {
      f.add(m.toBson());
    }
    return f.isEmpty() ? new Document() : f.size() == 1 ? f.get(0) : Filters.and(f);
  }
}
