package com.retrainconsole.api;

import static com.retrainconsole.api.ApiServer.map;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.retrainconsole.access.Actor;
import com.retrainconsole.access.Operations;
import com.retrainconsole.access.Permission;
import com.retrainconsole.api.ApiServer.Reply;
import com.retrainconsole.common.Durations;
import com.retrainconsole.common.FieldException;
import com.retrainconsole.common.Json;
import com.retrainconsole.common.UserException;
import com.retrainconsole.devices.CollectionProbe;
import com.retrainconsole.devices.DeviceChanges;
import com.retrainconsole.devices.DeviceService;
import com.retrainconsole.devices.ReadinessReport;
import com.retrainconsole.devices.RemovalReport;
import com.retrainconsole.features.FeatureSpec;
import com.retrainconsole.telemetry.DeviceConfig;
import com.retrainconsole.telemetry.DeviceRepository;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * {@code /api/devices}: list, read, add, change, check and remove devices. Reads are open to every role;
 * writes go through {@link Operations} (EDIT_DEVICES, admin), the permission checked before the body is
 * even read. Bodies are turned into {@link DeviceChanges} field by field (a JSON type error names the
 * field), then judged whole by {@link DeviceService#checkAdd} / {@link DeviceService#checkEdit} — the same
 * rules the CLI and the console use, their {@link FieldException} answered as 400 {@code invalid_<field>}
 * by ApiServer — before the first write, so a refused request leaves nothing behind.
 *
 * <p>Body semantics: a field left out keeps its value; {@code null} is refused; {@code ""} clears an
 * optional text field (site, display_name, target_unit, notes). Durations in {@code lags}/{@code rolling}
 * may be short ({@code "1h"}) or ISO-8601; responses give every duration as ISO-8601, like the rest of the
 * API.
 */
final class DeviceEndpoints {
  /** Settings shared by create and change. */
  private static final List<String> SETTINGS = List.of("site", "display_name", "zone", "lat", "lon", "target",
      "target_unit", "forecast", "enabled", "notes", "feature_spec", "source");
  static final Set<String> CREATE_FIELDS = with(SETTINGS, "device_id");
  static final Set<String> PATCH_FIELDS = with(SETTINGS, "inputs", "lags", "rolling", "time_features",
      "reset_feature_spec");
  private static final List<String> SOURCE_FIELDS = List.of("kind", "collection", "device_field", "device_value",
      "ts_field", "fields");
  private static final List<String> SPEC_FIELDS = List.of("target", "inputs", "time_of_day", "day_of_year", "lags",
      "rolling", "lag_tolerance");
  private static final List<String> SPEC_PARTS = List.of("feature_spec", "inputs", "lags", "rolling",
      "time_features");

  private final Operations operations;
  private final DeviceService devices;
  private final DeviceRepository repository;

  DeviceEndpoints(Operations operations, DeviceService devices, DeviceRepository repository) {
    this.operations = operations;
    this.devices = devices;
    this.repository = repository;
  }

  /** Called by the router before the body is read: a refused caller learns nothing about devices. */
  static void requireWrite(Actor actor) {
    actor.requireSomewhere(Permission.EDIT_DEVICES);
  }

  Reply list(Actor actor) {
    List<Object> out = new ArrayList<>();
    for (DeviceConfig d : operations.visibility().devices(actor)) {
      out.add(json(d));
    }
    return new Reply(200, map("devices", out));
  }

  Reply get(Actor actor, String id) {
    DeviceConfig d = require(actor, id);
    DeviceService.EffectiveSpec eff = devices.effectiveSpec(d);
    Map<String, Object> m = json(d);
    m.put("effective_feature_spec", eff.spec());
    m.put("fields", new TreeSet<>(eff.fields()));
    return new Reply(200, m);
  }

  Reply create(Actor actor, JsonNode b) {
    requireWrite(actor);
    String id = ApiServer.requiredText(b, "device_id");
    DeviceChanges changes = settings(b, DeviceChanges.none());
    DeviceConfig.Source source = b.has("source") ? source(b.get("source")) : null;
    // decision: check first. The add and the source are two guarded writes (each audited as in the console);
    // checkAdd judges both exactly as they will, so a bad mapping is refused before the device exists. Only a
    // collection changed between the check and the write could still fail the second step; then the device
    // is removed again (audited too) rather than left half-configured.
    devices.checkAdd(id, changes, source);
    DeviceConfig added = operations.addDevice(actor, id, changes);
    CollectionProbe.Preview preview = null;
    if (source != null && !source.equals(added.source())) {
      try {
        preview = operations.setDeviceSource(actor, id, source);
      } catch (UserException e) {
        operations.removeDevice(actor, id);
        throw e;
      }
    }
    return new Reply(201, withPreview(json(devices.require(id)), preview));
  }

  /** Changes only what the body names; all of it is checked before anything is written. */
  Reply patch(Actor actor, String id, JsonNode b) {
    requireWrite(actor);
    require(actor, id);
    if (b.size() == 0) {
      throw new ApiException(400, "bad_request", "nothing to change; send at least one of "
          + String.join(", ", new TreeSet<>(PATCH_FIELDS)));
    }
    DeviceChanges changes = settings(b, DeviceChanges.none());
    changes = specParts(b, changes);
    DeviceConfig.Source source = b.has("source") ? source(b.get("source")) : null;
    devices.checkEdit(id, changes, source);
    if (!changes.isEmpty()) {
      operations.editDevice(actor, id, changes);
    }
    CollectionProbe.Preview preview = null;
    if (source != null) {
      // checked above together with the edit; a failure here means the collection changed in between
      preview = operations.setDeviceSource(actor, id, source);
    }
    return new Reply(200, withPreview(json(devices.require(id)), preview));
  }

  Reply check(Actor actor, String id, int days) {
    require(actor, id);
    return new Reply(200, json(devices.check(id, days)));
  }

  Reply delete(Actor actor, String id) {
    requireWrite(actor);
    require(actor, id);
    RemovalReport r = operations.removeDevice(actor, id);
    return new Reply(200, map("device_id", r.deviceId(), "deleted", true, "triggers_removed", r.triggersRemoved(),
        "readings_kept", r.readingsKept(), "model_versions_kept", r.modelVersionsKept(), "runs_kept", r.runsKept(),
        "message", r.describe()));
  }

  private DeviceConfig require(Actor actor, String id) {
    return repository.find(id).filter(d -> actor.canSee(d.siteOrDefault())).orElseThrow(() -> ApiException.notFound("unknown device '" + id
        + "'; list them with GET /api/devices"));
  }

  // ---- JSON out

  static Map<String, Object> json(DeviceConfig d) {
    DeviceConfig.Source s = d.source();
    Map<String, Object> source = map("kind", s.kind(), "collection", s.collection(), "device_field",
        s.deviceField(), "device_value", s.deviceValue(), "ts_field", s.tsField(), "fields", s.fields());
    return map("device_id", d.id(), "display_name", d.displayName(), "site", d.site(), "target", d.target(),
        "target_unit", d.targetUnit(), "zone", d.zone().getId(), "lat", d.lat(), "lon", d.lon(), "source", source,
        "enabled", d.enabled(), "forecast", d.forecast(), "notes", d.notes(),
        "created_at", d.createdAt() == null ? null : d.createdAt().toString(),
        "feature_spec", d.featureSpec() == null ? null : FeatureSpec.fromDocument(d.featureSpec()),
        "feature_spec_derived", d.featureSpec() == null);
  }

  private static Map<String, Object> withPreview(Map<String, Object> device, CollectionProbe.Preview p) {
    if (p != null) {
      List<Object> rows = new ArrayList<>();
      p.rows().forEach(r -> rows.add(map("ts", r.ts().toString(), "values", r.values())));
      device.put("source_preview", map("columns", p.columns(), "rows", rows, "readings_in_last_day",
          p.readingsInLastDay()));
    }
    return device;
  }

  static Map<String, Object> json(ReadinessReport r) {
    List<Object> fields = new ArrayList<>();
    r.fields().forEach(f -> fields.add(map("field", f.field(), "readings", f.readings(), "coverage_pct",
        f.coveragePct(), "min", f.min(), "max", f.max())));
    List<Object> gaps = new ArrayList<>();
    r.gaps().forEach(g -> gaps.add(map("from", g.from().toString(), "to", g.to().toString(), "length",
        g.length().toString())));
    return map("device_id", r.deviceId(), "source", r.source(), "days", r.days(),
        "from", r.from() == null ? null : r.from().toString(), "to", r.to() == null ? null : r.to().toString(),
        "rows", r.rows(), "sampling_interval", r.samplingInterval() == null ? null : r.samplingInterval().toString(),
        "coverage_pct", r.coveragePct(), "fields", fields, "gap_count", r.gapCount(), "gaps", gaps,
        "feature_spec", r.spec(), "feature_spec_derived", r.specDerived(), "feature_spec_needs", r.specNeeds(),
        "feature_spec_lacks", r.specLacks(), "gate_passed", r.gatePassed(), "gate_reasons", r.gateReasons(),
        "gate_warnings", r.gateWarnings(), "ready", r.ready(), "advice", r.advice());
  }

  // ---- JSON in: kinds checked per field; meaning judged by the core

  private static DeviceChanges settings(JsonNode b, DeviceChanges c) {
    c = c.withSite(text(b, "site")).withDisplayName(text(b, "display_name")).withZone(text(b, "zone"))
        .withNotes(text(b, "notes"));
    if (b.has("target") || b.has("target_unit")) {
      c = c.withTarget(text(b, "target"), text(b, "target_unit"));
    }
    Double lat = number(b, "lat");
    Double lon = number(b, "lon");
    if (lat != null || lon != null) {
      c = c.withLocation(lat, lon);
    }
    c = c.withForecast(bool(b, "forecast")).withEnabled(bool(b, "enabled"));
    if (b.has("feature_spec")) {
      c = c.withFeatureSpec(featureSpec(b.get("feature_spec")));
    }
    return c;
  }

  private static DeviceChanges specParts(JsonNode b, DeviceChanges c) {
    Boolean reset = bool(b, "reset_feature_spec");
    if (Boolean.TRUE.equals(reset)) {
      for (String part : SPEC_PARTS) {
        if (b.has(part)) {
          throw ApiException.badRequest("reset_feature_spec", "cannot be combined with " + part + ": the reset"
              + " drops the stored spec so the one derived from the device's fields applies");
        }
      }
      c = c.withResetFeatureSpec(true);
    }
    if (b.has("inputs")) {
      c = c.withInputs(textList(b.get("inputs"), "inputs"));
    }
    if (b.has("lags")) {
      c = c.withLags(windows(b.get("lags"), "lags", "lag", FeatureSpec.Lag::new));
    }
    if (b.has("rolling")) {
      c = c.withRolling(windows(b.get("rolling"), "rolling", "window", FeatureSpec.Rolling::new));
    }
    return c.withTimeFeatures(bool(b, "time_features"));
  }

  private static JsonNode present(JsonNode b, String field) {
    JsonNode v = b.get(field);
    if (v != null && v.isNull()) {
      throw ApiException.badRequest(field, "must not be null; leave the field out to keep its value"
          + (List.of("site", "display_name", "target_unit", "notes").contains(field) ? " or send \"\" to clear it"
          : ""));
    }
    return v;
  }

  private static String text(JsonNode b, String field) {
    JsonNode v = present(b, field);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      throw ApiException.badRequest(field, "must be a string (got " + v + ")");
    }
    return v.asText();
  }

  private static Double number(JsonNode b, String field) {
    JsonNode v = present(b, field);
    if (v == null) {
      return null;
    }
    if (!v.isNumber()) {
      throw ApiException.badRequest(field, "must be a number of degrees (got " + v + ")");
    }
    return v.asDouble();
  }

  private static Boolean bool(JsonNode b, String field) {
    JsonNode v = present(b, field);
    if (v == null) {
      return null;
    }
    if (!v.isBoolean()) {
      throw ApiException.badRequest(field, "must be true or false (got " + v + ")");
    }
    return v.asBoolean();
  }

  private static List<String> textList(JsonNode v, String field) {
    if (v.isNull() || !v.isArray()) {
      throw ApiException.badRequest(field, "must be a list of field names, e.g. [\"irradiance_wm2\"]");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode x : v) {
      if (!x.isTextual()) {
        throw ApiException.badRequest(field, "must be a list of field names (strings), got " + x);
      }
      out.add(x.asText().trim());
    }
    return out;
  }

  /** [{field, <durationKey>: "1h" | "PT1H"}] as lags or rolling windows. */
  private static <T> List<T> windows(JsonNode v, String field, String durationKey,
      BiFunction<String, Duration, T> make) {
    String shape = "must be a list of {\"field\": \"irradiance_wm2\", \"" + durationKey + "\": \"1h\"}";
    if (v.isNull() || !v.isArray()) {
      throw ApiException.badRequest(field, shape);
    }
    List<T> out = new ArrayList<>();
    for (JsonNode x : v) {
      if (!x.isObject() || !x.path("field").isTextual() || !x.path(durationKey).isTextual() || x.size() != 2) {
        throw ApiException.badRequest(field, shape + ", got " + x);
      }
      try {
        out.add(make.apply(x.get("field").asText().trim(), Durations.parse(x.get(durationKey).asText())));
      } catch (UserException e) {
        throw ApiException.badRequest(field, e.getMessage());
      }
    }
    return out;
  }

  /**
   * A whole feature spec as stored (see GET), durations short ("1h") or ISO-8601; the error names the part
   * that is wrong ({@code feature_spec.lags}).
   */
  private static FeatureSpec featureSpec(JsonNode v) {
    if (v.isNull() || !v.isObject()) {
      throw ApiException.badRequest("feature_spec", "must be a JSON object with " + String.join(", ", SPEC_FIELDS));
    }
    ObjectNode spec = ((ObjectNode) v).deepCopy();
    for (Iterator<String> it = spec.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!SPEC_FIELDS.contains(f)) {
        throw ApiException.badRequest("feature_spec." + f, "unknown field; expected " + String.join(", ", SPEC_FIELDS));
      }
    }
    isoDuration(spec, "lag_tolerance", "feature_spec.lag_tolerance");
    for (String part : List.of("lags", "rolling")) {
      if (spec.get(part) instanceof ArrayNode list) {
        for (JsonNode x : list) {
          if (x instanceof ObjectNode o) {
            isoDuration(o, part.equals("lags") ? "lag" : "window", "feature_spec." + part);
          }
        }
      }
    }
    try {
      return Json.MAPPER.treeToValue(spec, FeatureSpec.class);
    } catch (JsonMappingException e) {
      String part = e.getPath().isEmpty() ? null : e.getPath().get(0).getFieldName();
      String message = e.getCause() instanceof UserException u ? u.getMessage() : e.getOriginalMessage();
      if (part == null) {
        part = partNamedBy(message);
      }
      throw new FieldException(part == null ? "feature_spec" : "feature_spec." + part, message);
    } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
      throw ApiException.badRequest("feature_spec", e.getMessage());
    }
  }

  private static void isoDuration(ObjectNode o, String key, String field) {
    if (o.get(key) instanceof TextNode t) {
      try {
        o.put(key, Durations.parse(t.asText()).toString());
      } catch (UserException e) {
        throw ApiException.badRequest(field, e.getMessage());
      }
    }
  }

  /** Which part of a spec a FeatureSpec constructor message is about. */
  private static String partNamedBy(String message) {
    if (message == null) {
      return null;
    }
    if (message.contains("among its inputs")) {
      return "inputs";
    }
    if (message.contains("lag_tolerance")) {
      return "lag_tolerance";
    }
    if (message.contains("needs a target")) {
      return "target";
    }
    return null;
  }

  /** A source object: every key checked for its kind, the whole judged by DeviceConfig.Source and the probe. */
  private static DeviceConfig.Source source(JsonNode v) {
    if (v.isNull() || !v.isObject()) {
      throw ApiException.badRequest("source", "must be {\"kind\": \"buckets\"} or {\"kind\": \"collection\","
          + " \"collection\", \"device_field\", \"device_value\", \"ts_field\", \"fields\": {\"P_AC\": \"power_w\"}}");
    }
    for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!SOURCE_FIELDS.contains(f)) {
        throw ApiException.badRequest("source." + f, "unknown field; expected " + String.join(", ", SOURCE_FIELDS));
      }
    }
    String kind = sourceText(v, "kind", false);
    if (kind == null) {
      kind = v.has("collection") ? DeviceConfig.Source.COLLECTION : null;
      if (kind == null) {
        throw ApiException.badRequest("source.kind", "required: 'buckets' or 'collection'");
      }
    }
    Map<String, String> fields = new LinkedHashMap<>();
    JsonNode f = v.get("fields");
    if (f != null) {
      if (!f.isObject()) {
        throw ApiException.badRequest("source.fields", "must be an object of site field → canonical field, e.g."
            + " {\"P_AC\": \"power_w\"}");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = f.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isTextual()) {
          throw ApiException.badRequest("source.fields." + e.getKey(), "must name a canonical field (a string),"
              + " got " + e.getValue());
        }
        fields.put(e.getKey(), e.getValue().asText().trim());
      }
    }
    return new DeviceConfig.Source(kind, sourceText(v, "collection", false), sourceText(v, "device_field", false),
        sourceText(v, "device_value", true), sourceText(v, "ts_field", false), fields);
  }

  private static String sourceText(JsonNode v, String key, boolean numberToo) {
    JsonNode x = v.get(key);
    if (x == null || x.isNull()) {
      return null;
    }
    if (x.isTextual() || numberToo && x.isNumber()) {
      return x.asText().trim();
    }
    throw ApiException.badRequest("source." + key, "must be a string" + (numberToo ? " or a number" : "")
        + " (got " + x + ")");
  }

  private static Set<String> with(List<String> base, String... more) {
    Set<String> out = new java.util.HashSet<>(base);
    out.addAll(List.of(more));
    return Set.copyOf(out);
  }
}
