package com.retrainconsole.api;

import static com.retrainconsole.api.ApiServer.map;
import static com.retrainconsole.api.ApiServer.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import com.retrainconsole.access.Actor;
import com.retrainconsole.access.Operations;
import com.retrainconsole.access.Permission;
import com.retrainconsole.api.ApiServer.Reply;
import com.retrainconsole.common.Durations;
import com.retrainconsole.common.UserException;
import com.retrainconsole.telemetry.DeviceConfig;
import com.retrainconsole.telemetry.DeviceRepository;
import com.retrainconsole.triggers.Guards;
import com.retrainconsole.triggers.Trigger;
import com.retrainconsole.triggers.TriggerRepository;
import com.retrainconsole.triggers.TriggerSpecs;
import com.retrainconsole.triggers.TriggerSpecs.FieldKind;
import com.retrainconsole.triggers.TriggerType;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bson.Document;

/**
 * {@code /api/triggers}: list, read, create, change and delete triggers. Reads are open to every role;
 * writes go through {@link Operations} (EDIT_TRIGGERS). Bodies are checked field by field before anything
 * is written, so a refusal names the field ({@code spec.alpha}, {@code guards.cooldown}) and nothing is
 * half-saved; the spec as a whole is then validated by the same {@link TriggerSpecs#normalize} the CLI
 * and the console use.
 */
final class TriggerEndpoints {
  static final Set<String> CREATE_FIELDS = Set.of("device_id", "type", "spec", "guards", "enabled");
  static final Set<String> PATCH_FIELDS = Set.of("spec", "guards", "enabled");
  private static final List<String> GUARD_FIELDS = List.of("cooldown", "max_per_day", "min_new_rows");
  // core messages name CLI flags ("--min-effect"); an API client knows the JSON field ("min_effect")
  private static final Pattern FLAG = Pattern.compile("--([a-z][a-z-]*)");

  private final Operations operations;
  private final TriggerRepository triggers;
  private final DeviceRepository devices;
  private final Clock clock;

  TriggerEndpoints(Operations operations, TriggerRepository triggers, DeviceRepository devices, Clock clock) {
    this.operations = operations;
    this.triggers = triggers;
    this.devices = devices;
    this.clock = clock;
  }

  Reply list(Actor actor, Map<String, String> q) {
    String device = q.get("device_id");
    // one read of the caller's devices, not one site lookup per trigger
    java.util.Set<String> visible = operations.visibility().deviceFilter(actor).orElse(null);
    TriggerType type = null;
    if (q.containsKey("type")) {
      try {
        type = TriggerType.parse(q.get("type"));
      } catch (UserException e) {
        throw ApiException.badRequest("type", e.getMessage());
      }
    }
    List<Object> out = new ArrayList<>();
    for (Trigger t : triggers.list(device)) {
      if ((type == null || t.type() == type) && (visible == null || visible.contains(t.deviceId()))) {
        out.add(json(t));
      }
    }
    return new Reply(200, map("triggers", out));
  }

  Reply get(Actor actor, String id) {
    return new Reply(200, json(require(actor, id)));
  }

  Reply create(Actor actor, JsonNode b) {
    actor.requireSomewhere(Permission.EDIT_TRIGGERS); // before validation: a refused caller learns nothing
    String device = requiredText(b, "device_id");
    DeviceConfig config = devices.find(device).filter(d -> actor.canSee(d.siteOrDefault()))
        .orElseThrow(() -> ApiException.badRequest("device_id", "unknown device '" + device + "'"));
    TriggerType type;
    try {
      type = TriggerType.parse(requiredText(b, "type"));
    } catch (UserException e) {
      throw ApiException.badRequest("type", e.getMessage());
    }
    Document spec = spec(type, b.get("spec"), new Document());
    if (type == TriggerType.CRON && !spec.containsKey("zone")) {
      spec.put("zone", config.zone().getId()); // decision: "02:30" means the site's clock unless told otherwise
    }
    for (String f : TriggerSpecs.requiredFields(type)) {
      if (!spec.containsKey(f)) {
        throw ApiException.badRequest("spec." + f, "required for a " + type.wire() + " trigger");
      }
    }
    validateWhole(type, spec);
    Guards guards = guards(b.get("guards"), Guards.defaults());
    boolean enabled = bool(b, "enabled", true);
    Trigger t = operations.addTrigger(actor, device, type, spec, guards);
    if (!enabled) {
      t = operations.setTriggerEnabled(actor, t.triggerId(), false);
    }
    return new Reply(201, json(t));
  }

  /** Changes only what the body names: spec fields are merged over the stored spec, guards likewise. */
  Reply patch(Actor actor, String id, JsonNode b) {
    actor.requireSomewhere(Permission.EDIT_TRIGGERS);
    Trigger t = require(actor, id);
    if (b.size() == 0) {
      throw new ApiException(400, "bad_request", "nothing to change; send spec, guards or enabled");
    }
    Document changes = spec(t.type(), b.get("spec"), t.spec());
    Document merged = new Document(t.spec());
    merged.putAll(changes);
    validateWhole(t.type(), merged);
    Guards guards = guards(b.get("guards"), t.guards());
    Boolean enabled = b.has("enabled") ? bool(b, "enabled", t.enabled()) : null;
    if (b.has("spec") || b.has("guards")) {
      t = operations.editTrigger(actor, id, changes, guards);
    }
    if (enabled != null && enabled != t.enabled()) {
      t = operations.setTriggerEnabled(actor, id, enabled);
    }
    return new Reply(200, json(t));
  }

  Reply delete(Actor actor, String id) {
    actor.requireSomewhere(Permission.EDIT_TRIGGERS);
    require(actor, id);
    Trigger t = operations.removeTrigger(actor, id);
    return new Reply(200, map("trigger_id", t.triggerId(), "device_id", t.deviceId(), "deleted", true));
  }

  private Trigger require(Actor actor, String id) {
    return triggers.find(id).filter(t -> operations.visibility().canSee(actor, t.deviceId())).orElseThrow(() -> ApiException.notFound("unknown trigger '" + id
        + "'; list them with GET /api/triggers"));
  }

  /** The stored trigger as plain JSON, with its schedule in words. */
  static Object json(Trigger t) {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) ApiServer.plain(t.toDocument());
    m.put("description", t.describe());
    return m;
  }

  // ---- validation

  /**
   * The spec fields of {@code node} as store values, each checked for its kind and then alone against the
   * type's rules (over {@code stored} for the one pair checked together), so the refusal names the field.
   */
  private Document spec(TriggerType type, JsonNode node, Document stored) {
    Document out = new Document();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      throw ApiException.badRequest("spec", "must be a JSON object of " + type.wire() + " settings");
    }
    Map<String, FieldKind> known = TriggerSpecs.fields(type);
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String f = e.getKey();
      FieldKind kind = known.get(f);
      if (kind == null) {
        throw ApiException.badRequest("spec." + f, "not a setting of a " + type.wire() + " trigger; expected one of "
            + String.join(", ", known.keySet()));
      }
      out.put(f, value("spec." + f, kind, e.getValue()));
    }
    Instant now = clock.instant();
    for (String f : out.keySet()) {
      Document alone = new Document(f, out.get(f));
      if (f.startsWith("persistence_")) { // M of N: one is only valid beside the other
        for (String pair : List.of("persistence_m", "persistence_n")) {
          Object v = out.containsKey(pair) ? out.get(pair) : stored.get(pair);
          if (v != null) {
            alone.put(pair, v);
          }
        }
      }
      String problem = TriggerSpecs.problem(type, alone, now);
      if (problem != null) {
        throw ApiException.badRequest("spec." + f, fieldNames(problem));
      }
    }
    return out;
  }

  private void validateWhole(TriggerType type, Document spec) {
    try {
      TriggerSpecs.normalize(type, spec, clock.instant());
    } catch (UserException e) {
      throw ApiException.badRequest("spec", fieldNames(e.getMessage()));
    }
  }

  private static Object value(String field, FieldKind kind, JsonNode v) {
    if (v.isNull()) {
      throw ApiException.badRequest(field, "must not be null; leave the field out for its default");
    }
    switch (kind) {
      case TEXT -> {
        if (!v.isTextual()) {
          throw ApiException.badRequest(field, "must be a string");
        }
        return v.asText();
      }
      case TEXT_LIST -> {
        if (v.isTextual()) {
          return v.asText(); // "a,b" as the CLI takes it
        }
        List<String> out = new ArrayList<>();
        if (v.isArray()) {
          for (JsonNode x : v) {
            if (!x.isTextual()) {
              throw ApiException.badRequest(field, "must be a list of field names (strings)");
            }
            out.add(x.asText());
          }
          return out;
        }
        throw ApiException.badRequest(field, "must be a list of field names, e.g. [\"irradiance_wm2\"]");
      }
      case WHOLE_NUMBER -> {
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
          throw ApiException.badRequest(field, "must be a whole number (got " + v + ")");
        }
        return v.asLong();
      }
      case NUMBER -> {
        if (!v.isNumber()) {
          throw ApiException.badRequest(field, "must be a number (got " + v + ")");
        }
        return v.asDouble();
      }
      case DURATION -> {
        return duration(field, v).toString();
      }
      case INSTANT -> {
        try {
          return Date.from(Instant.parse(v.asText()));
        } catch (DateTimeException e) {
          throw ApiException.badRequest(field, "must be an ISO-8601 instant such as 2026-01-01T00:00:00Z");
        }
      }
      default -> throw new IllegalStateException("kind " + kind);
    }
  }

  private static Duration duration(String field, JsonNode v) {
    if (!v.isTextual()) {
      throw ApiException.badRequest(field, "must be a duration string such as \"6h\" or \"PT6H\"");
    }
    try {
      return Durations.parse(v.asText());
    } catch (UserException e) {
      throw ApiException.badRequest(field, e.getMessage());
    }
  }

  /** {@code base} with the guard fields {@code node} names; null clears a limit (cooldown: back to 6 h). */
  private static Guards guards(JsonNode node, Guards base) {
    if (node == null || node.isNull()) {
      return base;
    }
    if (!node.isObject()) {
      throw ApiException.badRequest("guards", "must be a JSON object with " + String.join(", ", GUARD_FIELDS));
    }
    Duration cooldown = base.cooldown();
    Integer maxPerDay = base.maxPerDay();
    Long minNewRows = base.minNewRows();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String f = "guards." + e.getKey();
      JsonNode v = e.getValue();
      switch (e.getKey()) {
        case "cooldown" -> {
          cooldown = v.isNull() ? null : duration(f, v);
          if (cooldown != null && cooldown.isNegative()) {
            throw ApiException.badRequest(f, "must not be negative (got " + v.asText() + ")");
          }
        }
        case "max_per_day" -> maxPerDay = v.isNull() ? null : (int) atLeastOne(f, v, Integer.MAX_VALUE);
        case "min_new_rows" -> minNewRows = v.isNull() ? null : atLeastOne(f, v, Long.MAX_VALUE);
        default -> throw ApiException.badRequest(f, "unknown guard; expected one of "
            + String.join(", ", GUARD_FIELDS));
      }
    }
    return new Guards(cooldown, maxPerDay, minNewRows);
  }

  private static long atLeastOne(String field, JsonNode v, long max) {
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 1 || v.asLong() > max) {
      throw ApiException.badRequest(field, "must be a whole number of at least 1, or null for no limit (got "
          + v + ")");
    }
    return v.asLong();
  }

  private static boolean bool(JsonNode b, String field, boolean dflt) {
    JsonNode v = b.get(field);
    if (v == null) {
      return dflt;
    }
    if (!v.isBoolean()) {
      throw ApiException.badRequest(field, "must be true or false");
    }
    return v.asBoolean();
  }

  private static String fieldNames(String message) {
    Matcher m = FLAG.matcher(message);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, m.group(1).replace('-', '_'));
    }
    return m.appendTail(out).toString();
  }
}
