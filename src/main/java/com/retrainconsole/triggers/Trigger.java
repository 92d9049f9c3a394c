package com.retrainconsole.triggers;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/**
 * A trigger as stored in {@code triggers}:
 *
 * <pre>
 * {trigger_id, device_id, type, enabled, spec {...}, guards {cooldown, max_per_day, min_new_rows},
 *  created_at, updated_at,
 *  next_fire_at,              // the next slot to evaluate: cron/interval slot, or data check (every check_every)
 *  last_evaluated_at, last_fired_at,
 *  circuit {open, opened_at, consecutive_failures, closed_at},
 *  history [bool]}            // drift: whether the condition held at the last N checks (newest last)
 * </pre>
 *
 * decision: data triggers keep their next check in {@code next_fire_at} as well: one field, one claim
 * (compare-and-set on it) for every type.
 */
public record Trigger(
    String triggerId,
    String deviceId,
    TriggerType type,
    boolean enabled,
    Document spec,
    Guards guards,
    Instant createdAt,
    Instant updatedAt,
    Instant nextFireAt,
    Instant lastEvaluatedAt,
    Instant lastFiredAt,
    Circuit circuit,
    List<Boolean> history) {

  /** The slots this trigger is evaluated at: cron, interval, or data checks every check_every (UTC-aligned). */
  public Schedule schedule() {
    return switch (type) {
      case CRON -> CronSchedule.parse(spec.getString("cron"), spec.getString("zone"));
      case INTERVAL -> new IntervalSchedule(Duration.parse(spec.getString("every")),
          TriggerSpecs.instant(spec.get("anchor")));
      default -> new IntervalSchedule(checkEvery(), Instant.EPOCH);
    };
  }

  public Duration checkEvery() {
    return TriggerSpecs.duration(spec, "check_every", TriggerSpecs.DEFAULT_CHECK_EVERY, "check_every");
  }

  public Duration window() {
    return TriggerSpecs.duration(spec, "window", TriggerSpecs.DEFAULT_WINDOW, "window");
  }

  public double number(String key) {
    return ((Number) spec.get(key)).doubleValue();
  }

  public int integer(String key) {
    return ((Number) spec.get(key)).intValue();
  }

  @SuppressWarnings("unchecked")
  public List<String> features() {
    return (List<String>) spec.get("features", List.class);
  }

  /** One line: "cron 30 2 * * * Europe/Berlin", "drift irradiance_wm2,module_temp_c α=0.01 ...". */
  public String describe() {
    return switch (type) {
      case CRON -> "cron \"" + spec.getString("cron") + "\" " + spec.getString("zone");
      case INTERVAL -> "every " + Duration.parse(spec.getString("every")).toString().substring(2).toLowerCase()
          + " from " + TriggerSpecs.instant(spec.get("anchor"));
      case NEW_DATA -> ">= " + spec.get("min_rows") + " new readings";
      case DRIFT -> "drift " + String.join(",", features()) + " alpha=" + spec.get("alpha") + " ("
          + spec.get("correction") + ") D>=" + spec.get("min_effect") + " n>=" + spec.get("min_sample")
          + " persistence " + spec.get("persistence_m") + "/" + spec.get("persistence_n");
      case PERFORMANCE -> "MAE > promotion MAE +" + spec.get("threshold_pct") + "% over "
          + window().toString().substring(2).toLowerCase() + " n>=" + spec.get("min_sample");
    };
  }

  public Document toDocument() {
    return new Document("trigger_id", triggerId).append("device_id", deviceId).append("type", type.wire())
        .append("enabled", enabled).append("spec", spec).append("guards", guards.toDocument())
        .append("created_at", Circuit.date(createdAt)).append("updated_at", Circuit.date(updatedAt))
        .append("next_fire_at", Circuit.date(nextFireAt)).append("last_evaluated_at", Circuit.date(lastEvaluatedAt))
        .append("last_fired_at", Circuit.date(lastFiredAt)).append("circuit", circuit.toDocument())
        .append("history", history);
  }

  @SuppressWarnings("unchecked")
  public static Trigger fromDocument(Document d) {
    List<Boolean> history = d.get("history") instanceof List<?> l ? new ArrayList<>((List<Boolean>) l) : List.of();
    return new Trigger(d.getString("trigger_id"), d.getString("device_id"), TriggerType.parse(d.getString("type")),
        Boolean.TRUE.equals(d.getBoolean("enabled")), d.get("spec", Document.class),
        Guards.fromDocument(d.get("guards", Document.class)), Circuit.instant(d.getDate("created_at")),
        Circuit.instant(d.getDate("updated_at")), Circuit.instant(d.getDate("next_fire_at")),
        Circuit.instant(d.getDate("last_evaluated_at")), Circuit.instant(d.getDate("last_fired_at")),
        Circuit.fromDocument(d.get("circuit", Document.class)), history);
  }
}
