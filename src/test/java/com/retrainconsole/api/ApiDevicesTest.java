package com.retrainconsole.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.retrainconsole.retrain.RetrainRequest;
import com.retrainconsole.telemetry.DeviceConfig;
import com.retrainconsole.training.TrainerKind;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * /api/devices over real HTTP on a real server and in-memory store: the site's own per-reading collection
 * {@code site_readings} (inverters INV-7 and INV-8, every 5 min for two days: P_AC, POA, T_amb numbers and a
 * text status) is what mappings are judged against.
 */
class ApiDevicesTest extends ApiTestBase {
  static final String SOURCE = "{\"collection\":\"site_readings\",\"device_field\":\"inverter\","
      + "\"device_value\":\"INV-7\",\"ts_field\":\"time\",\"fields\":{\"P_AC\":\"power_w\",\"POA\":\"irradiance_wm2\","
      + "\"T_amb\":\"ambient_temp_c\"}}";

  @BeforeEach
  void siteCollectionAndRoomyRateLimit() {
    server.stop(); // the suite makes more writes than the default 30 a minute allows one token
    server = startServer(ApiServer.Config.defaults().withPort(0).withWritesPerMinute(1000));
    Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
    List<Document> docs = new ArrayList<>();
    for (Instant t = end.minus(Duration.ofDays(2)); t.isBefore(end); t = t.plus(Duration.ofMinutes(5))) {
      double hour = t.atZone(java.time.ZoneOffset.UTC).getHour() + t.atZone(java.time.ZoneOffset.UTC).getMinute() / 60.0;
      double sun = Math.max(0, Math.sin(Math.PI * (hour - 6) / 12));
      for (String inv : List.of("INV-7", "INV-8")) {
        docs.add(new Document("inverter", inv).append("time", Date.from(t)).append("P_AC", 4000 * sun)
            .append("POA", 900 * sun).append("T_amb", 15 + 10 * sun).append("status", sun > 0 ? "on" : "idle"));
      }
    }
    ctx.store().collection("site_readings").insertMany(docs);
  }

  Res create(String token, String body) throws Exception {
    return call("POST", "/api/devices", token, body);
  }

  String inv7() throws Exception {
    Res r = create(adminToken, "{\"device_id\":\"inv7\",\"site\":\"Almería north\",\"display_name\":\"Inverter 7\","
        + "\"zone\":\"Europe/Madrid\",\"lat\":37.1,\"lon\":-2.4,\"notes\":\"row 4\",\"source\":" + SOURCE + "}");
    assertEquals(201, r.status(), String.valueOf(r.json()));
    return "inv7";
  }

  List<String> ids() {
    return ctx.devices().ids();
  }

  @Test
  void devices_are_listed_and_read_with_their_effective_feature_spec_by_any_role() throws Exception {
    Res list = call("GET", "/api/devices", analystToken, null);
    assertEquals(200, list.status(), String.valueOf(list.json()));
    JsonNode t1 = list.json().get("devices").get(0);
    assertEquals("t1", t1.get("device_id").asText());
    assertEquals("power_w", t1.get("target").asText());
    assertEquals("UTC", t1.get("zone").asText());
    assertEquals("buckets", t1.at("/source/kind").asText());
    assertTrue(t1.get("feature_spec").isNull());
    assertTrue(t1.get("feature_spec_derived").asBoolean());
    assertTrue(t1.get("enabled").asBoolean());
    assertFalse(t1.get("created_at").isNull());

    Res one = call("GET", "/api/devices/t1", analystToken, null);
    assertEquals(200, one.status());
    assertEquals("power_w", one.json().at("/effective_feature_spec/target").asText());
    assertEquals(0, one.json().get("fields").size(), "no telemetry yet");
    assertError(call("GET", "/api/devices/nope", analystToken, null), 404, "unknown device 'nope'");
    assertError(call("GET", "/api/devices/nope/check", analystToken, null), 404, "unknown device 'nope'");
  }

  @Test
  void an_admin_adds_a_device_on_a_site_collection_and_reads_its_fields_and_readiness() throws Exception {
    Res r = create(adminToken, "{\"device_id\":\"inv7\",\"site\":\"Almería north\",\"display_name\":\"Inverter 7\","
        + "\"zone\":\"Europe/Madrid\",\"lat\":37.1,\"lon\":-2.4,\"target_unit\":\"W\",\"source\":" + SOURCE + "}");
    assertEquals(201, r.status(), String.valueOf(r.json()));
    JsonNode d = r.json();
    assertEquals("Inverter 7", d.get("display_name").asText());
    assertEquals("Europe/Madrid", d.get("zone").asText());
    assertEquals(37.1, d.get("lat").asDouble());
    assertEquals("collection", d.at("/source/kind").asText());
    assertEquals("power_w", d.at("/source/fields/P_AC").asText());
    assertEquals(List.of("power_w", "irradiance_wm2", "ambient_temp_c"),
        texts(d.at("/source_preview/columns")), "the preview shows what the model reads");
    assertEquals(5, d.at("/source_preview/rows").size());
    // stored as the CLI and the console see it, both steps audited
    DeviceConfig stored = ctx.devices().require("inv7");
    assertEquals("INV-7", stored.source().deviceValue());
    assertEquals("W", stored.targetUnit());
    assertEquals(List.of("set_device_source", "add_device"), ctx.audit().recent("inv7", 5).stream()
        .map(e -> e.getString("action")).toList());

    JsonNode one = call("GET", "/api/devices/inv7", analystToken, null).json();
    assertEquals(List.of("ambient_temp_c", "irradiance_wm2", "power_w"), texts(one.get("fields")));
    assertEquals(List.of("irradiance_wm2", "ambient_temp_c"), texts(one.at("/effective_feature_spec/inputs")));
    assertEquals("PT1H", one.at("/effective_feature_spec/lags/0/lag").asText(), "durations as ISO-8601");

    Res check = call("GET", "/api/devices/inv7/check?days=2", analystToken, null);
    assertEquals(200, check.status(), String.valueOf(check.json()));
    JsonNode c = check.json();
    assertEquals("inv7", c.get("device_id").asText());
    assertEquals(2, c.get("days").asInt());
    assertEquals("PT5M", c.get("sampling_interval").asText());
    assertTrue(c.get("rows").asInt() > 500, c.toString());
    assertTrue(c.get("coverage_pct").asDouble() > 99, c.toString());
    assertEquals(0, c.get("feature_spec_lacks").size());
    assertTrue(c.get("feature_spec_derived").asBoolean());
    assertTrue(c.get("source").asText().contains("site_readings"));
    List<String> covered = new ArrayList<>();
    c.get("fields").forEach(f -> covered.add(f.get("field").asText() + (f.get("readings").asInt() > 0 ? "" : "?")));
    assertTrue(covered.containsAll(List.of("power_w", "irradiance_wm2", "ambient_temp_c")), covered.toString());
    assertTrue(c.has("gate_passed") && c.has("ready") && c.get("advice").isArray(), c.toString());
    assertError(call("GET", "/api/devices/inv7/check?days=0", analystToken, null), 400, "days:");

    JsonNode empty = call("GET", "/api/devices/t1/check", analystToken, null).json();
    assertTrue(empty.get("from").isNull());
    assertEquals("no telemetry", empty.at("/gate_reasons/0").asText());
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(x -> out.add(x.asText()));
    return out;
  }

  @Test
  void patch_merges_what_it_names_and_takes_short_and_iso_lags() throws Exception {
    inv7();
    Res r = call("PATCH", "/api/devices/inv7", adminToken, "{\"inputs\":[\"irradiance_wm2\"],"
        + "\"lags\":[{\"field\":\"power_w\",\"lag\":\"1h\"},{\"field\":\"irradiance_wm2\",\"lag\":\"PT15M\"}],"
        + "\"rolling\":[{\"field\":\"irradiance_wm2\",\"window\":\"3h\"}],\"time_features\":false,\"site\":\"\"}");
    assertEquals(200, r.status(), String.valueOf(r.json()));
    JsonNode d = r.json();
    assertFalse(d.get("feature_spec_derived").asBoolean());
    assertEquals(List.of("irradiance_wm2"), texts(d.at("/feature_spec/inputs")));
    assertEquals("PT1H", d.at("/feature_spec/lags/0/lag").asText());
    assertEquals("PT15M", d.at("/feature_spec/lags/1/lag").asText());
    assertEquals("PT3H", d.at("/feature_spec/rolling/0/window").asText());
    assertFalse(d.at("/feature_spec/time_of_day").asBoolean());
    assertTrue(d.get("site").isNull(), "\"\" clears a text field");
    assertEquals("row 4", d.get("notes").asText(), "fields left out keep their value");
    assertEquals("Europe/Madrid", d.get("zone").asText());
    assertEquals(List.of("site", "feature_spec"), ctx.audit().recent("inv7", 1).get(0).get("details",
        Document.class).getList("changed", String.class));

    Res whole = call("PATCH", "/api/devices/inv7", adminToken, "{\"feature_spec\":{\"target\":\"power_w\","
        + "\"inputs\":[\"ambient_temp_c\"],\"lags\":[{\"field\":\"power_w\",\"lag\":\"24h\"}]}}");
    assertEquals(200, whole.status(), String.valueOf(whole.json()));
    assertEquals("PT24H", whole.json().at("/feature_spec/lags/0/lag").asText());

    Res reset = call("PATCH", "/api/devices/inv7", adminToken, "{\"reset_feature_spec\":true,\"enabled\":false}");
    assertEquals(200, reset.status(), String.valueOf(reset.json()));
    assertTrue(reset.json().get("feature_spec_derived").asBoolean());
    assertFalse(ctx.devices().require("inv7").enabled());

    Res moved = call("PATCH", "/api/devices/inv7", adminToken, "{\"source\":{\"kind\":\"collection\","
        + "\"collection\":\"site_readings\",\"device_field\":\"inverter\",\"device_value\":\"INV-8\",\"ts_field\":\"time\","
        + "\"fields\":{\"P_AC\":\"power_w\"}}}");
    assertEquals(200, moved.status(), String.valueOf(moved.json()));
    assertEquals("INV-8", ctx.devices().require("inv7").source().deviceValue());
    assertEquals(List.of("power_w"), texts(moved.json().at("/source_preview/columns")));
  }

  @Test
  void invalid_creates_are_400_naming_the_field_and_nothing_is_written() throws Exception {
    String base = "{\"device_id\":\"inv7\",";
    String[][] cases = {
        {base + "\"zone\":\"Europe/Madird\"}", "invalid_zone", "Did you mean Europe/Madrid?"},
        {base + "\"lat\":123,\"lon\":0}", "invalid_lat", "between -90 and 90"},
        {base + "\"lat\":\"37.1\",\"lon\":-2.4}", "invalid_lat", "must be a number"},
        {base + "\"lat\":37.1}", "invalid_lon", "together"},
        {base + "\"enabled\":\"yes\"}", "invalid_enabled", "true or false"},
        {base + "\"notes\":null}", "invalid_notes", "must not be null"},
        {base + "\"target\":\"power_ww\"}", "invalid_target", "Did you mean power_w?"},
        {base + "\"colour\":\"red\"}", "invalid_colour", "unknown field"},
        {"{\"device_id\":\"bad id!\"}", "invalid_device_id", "not a valid device id"},
        {"{\"site\":\"x\"}", "invalid_device_id", "required"},
        {base + "\"source\":" + SOURCE.replace("\"POA\":\"irradiance_wm2\"", "\"POA\":\"irradiance_wn2\"") + "}",
            "invalid_source.fields.POA", "Did you mean irradiance_wm2?"},
        {base + "\"source\":" + SOURCE.replace("\"POA\"", "\"GHI\"") + "}", "invalid_source.fields.GHI",
            "have no field 'GHI'"},
        {base + "\"source\":" + SOURCE.replace("\"POA\"", "\"status\"") + "}", "invalid_source.fields.status",
            "holds text"},
        {base + "\"source\":" + SOURCE.replace("INV-7", "INV-9") + "}", "invalid_source.device_value",
            "values seen: INV-7, INV-8"},
        {base + "\"source\":" + SOURCE.replace("site_readings", "site_reading") + "}", "invalid_source.collection",
            "collections: site_readings"},
        {base + "\"source\":" + SOURCE.replace("\"P_AC\":\"power_w\",", "") + "}", "invalid_source.fields",
            "no field is mapped to the target 'power_w'"},
        {base + "\"source\":{\"kind\":\"collection\",\"collection\":\"site_readings\"}}", "invalid_source.device_field",
            "required for a collection source"},
        {base + "\"source\":{\"kind\":\"ftp\"}}", "invalid_source.kind", "'buckets' or 'collection'"},
        {base + "\"source\":{\"kind\":\"buckets\",\"path\":\"/x\"}}", "invalid_source.path", "unknown field"},
        {base + "\"feature_spec\":{\"target\":\"power_w\",\"inputs\":[\"power_w\"]}}", "invalid_feature_spec.inputs",
            "among its inputs"},
        {base + "\"feature_spec\":{\"target\":\"power_w\",\"lags\":[{\"field\":\"power_w\",\"lag\":\"soon\"}]}}",
            "invalid_feature_spec.lags", "'soon' is not a duration"},
        {base + "\"feature_spec\":{\"target\":\"power_w\",\"extra\":1}}", "invalid_feature_spec.extra", "unknown field"},
        {base + "\"feature_spec\":{\"target\":\"ac_power_w\"}}", "invalid_feature_spec.target", "the device's target"},
        // a spec that the new source cannot feed: refused before the device exists, not after
        {base + "\"feature_spec\":{\"target\":\"power_w\",\"inputs\":[\"module_temp_c\"]},\"source\":" + SOURCE + "}",
            "invalid_feature_spec.inputs", "no field 'module_temp_c'"},
    };
    for (String[] c : cases) {
      Res r = create(adminToken, c[0]);
      assertError(r, 400, c[2]);
      assertEquals(c[1], r.json().get("error").asText(), c[0] + " -> " + r.json());
    }
    assertEquals(List.of("t1"), ids());
    assertTrue(ctx.audit().recent("inv7", 5).isEmpty(), "nothing written, nothing audited");
  }

  @Test
  void a_duplicate_id_is_409_and_the_existing_device_is_untouched() throws Exception {
    DeviceConfig before = ctx.devices().require("t1");
    Res r = create(adminToken, "{\"device_id\":\"t1\",\"zone\":\"Europe/Madrid\"}");
    assertError(r, 409, "device 't1' already exists");
    assertEquals("conflict", r.json().get("error").asText());
    assertEquals(before, ctx.devices().require("t1"));
  }

  @Test
  void invalid_patches_are_400_naming_the_field_and_write_nothing() throws Exception {
    inv7();
    assertEquals(200, call("PATCH", "/api/devices/inv7", adminToken, "{\"inputs\":[\"irradiance_wm2\"]}").status());
    DeviceConfig before = ctx.devices().require("inv7");
    int audited = ctx.audit().recent("inv7", 50).size();
    String[][] cases = {
        {"{\"lags\":[{\"field\":\"module_temp_c\",\"lag\":\"1h\"}]}", "invalid_feature_spec.lags",
            "lag on 'module_temp_c', which the telemetry of inv7 lacks"},
        {"{\"inputs\":[\"power_w\"]}", "invalid_feature_spec.inputs", "among its inputs"},
        {"{\"inputs\":[\"module_temp_c\"],\"notes\":\"changed\"}", "invalid_feature_spec.inputs",
            "no field 'module_temp_c'"},
        {"{\"lags\":[{\"field\":\"power_w\",\"lag\":\"soon\"}]}", "invalid_lags", "'soon' is not a duration"},
        {"{\"lags\":[{\"field\":\"power_w\"}]}", "invalid_lags", "must be a list of"},
        {"{\"rolling\":\"irradiance_wm2\"}", "invalid_rolling", "must be a list of"},
        {"{\"zone\":\"Europe/Madird\",\"notes\":\"changed\"}", "invalid_zone", "Did you mean Europe/Madrid?"},
        {"{\"lat\":123}", "invalid_lat", "between -90 and 90"},
        {"{\"reset_feature_spec\":true,\"inputs\":[]}", "invalid_reset_feature_spec", "cannot be combined"},
        {"{\"device_id\":\"inv8\"}", "invalid_device_id", "unknown field"},
        // the edit is valid, the source is not: neither is written
        {"{\"notes\":\"changed\",\"source\":" + SOURCE.replace("\"POA\"", "\"GHI\"") + "}", "invalid_source.fields.GHI",
            "have no field 'GHI'"},
        // the stored spec reads irradiance, which the new mapping drops
        {"{\"source\":" + SOURCE.replace(",\"POA\":\"irradiance_wm2\"", "") + "}", "invalid_feature_spec.inputs",
            "no field 'irradiance_wm2'"},
    };
    for (String[] c : cases) {
      Res r = call("PATCH", "/api/devices/inv7", adminToken, c[0]);
      assertError(r, 400, c[2]);
      assertEquals(c[1], r.json().get("error").asText(), c[0] + " -> " + r.json());
    }
    assertEquals(before, ctx.devices().require("inv7"));
    assertEquals(audited, ctx.audit().recent("inv7", 50).size());
    assertError(call("PATCH", "/api/devices/inv7", adminToken, "{}"), 400, "nothing to change");
    assertError(call("PATCH", "/api/devices/nope", adminToken, "{\"notes\":\"x\"}"), 404, "unknown device 'nope'");
  }

  @Test
  void analysts_and_operators_read_devices_but_are_refused_writes_before_any_validation() throws Exception {
    inv7();
    DeviceConfig before = ctx.devices().require("inv7");
    for (String token : new String[] {analystToken, operatorToken}) {
      assertEquals(200, call("GET", "/api/devices/inv7", token, null).status());
      assertError(create(token, "{\"device_id\":\"inv8\"}"), 403, "may not add, edit or remove devices");
      // a token's role is fixed: the refusal says to create another token, not to grant the role to this one
      assertError(create(token, "{\"device_id\":\"inv8\"}"), 403, "a token's role is fixed when it is created");
      // a refused caller learns nothing: not even that the body is wrong or the device unknown
      assertError(create(token, "{\"colour\":\"red\"}"), 403, "may not");
      assertError(call("PATCH", "/api/devices/nope", token, "{\"zone\":\"Mars/Olympus\"}"), 403, "may not");
      assertError(call("PATCH", "/api/devices/inv7", token, "{\"notes\":\"x\"}"), 403, "may not");
      assertError(call("DELETE", "/api/devices/inv7", token, null), 403, "may not");
    }
    assertEquals(List.of("inv7", "t1"), ids());
    assertEquals(before, ctx.devices().require("inv7"));
    assertError(call("GET", "/api/devices", null, null), 401, "missing bearer token");
  }

  @Test
  void an_admin_removes_a_device_but_not_while_a_run_of_it_is_pending() throws Exception {
    inv7();
    Res r = call("DELETE", "/api/devices/inv7", adminToken, null);
    assertEquals(200, r.status(), String.valueOf(r.json()));
    assertTrue(r.json().get("deleted").asBoolean());
    assertTrue(r.json().get("message").asText().startsWith("Removed device inv7"));
    assertError(call("GET", "/api/devices/inv7", adminToken, null), 404, "unknown device");
    assertEquals(List.of("t1"), ids());

    ctx.operations().enqueueRetrain(admin, RetrainRequest.manual("t1", TrainerKind.DEFAULT, "ada"));
    assertError(call("DELETE", "/api/devices/t1", adminToken, null), 409, "pending or running run");
    assertTrue(ctx.devices().find("t1").isPresent());
    // removed devices can come back with the same id
    assertEquals(201, create(adminToken, "{\"device_id\":\"inv7\"}").status());
  }

  @Test
  void device_writes_share_the_per_token_rate_limit() throws Exception {
    ApiServer limited = startServer(ApiServer.Config.defaults().withPort(0).withWritesPerMinute(1));
    try {
      assertEquals(200, call(limited, "PATCH", "/api/devices/t1", adminToken, "{\"notes\":\"a\"}").status());
      Res r = call(limited, "PATCH", "/api/devices/t1", adminToken, "{\"notes\":\"b\"}");
      assertError(r, 429, "too many state-changing calls");
      assertTrue(r.raw().headers().firstValue("Retry-After").isPresent());
      assertEquals("a", ctx.devices().require("t1").notes());
    } finally {
      limited.stop();
    }
  }
}
