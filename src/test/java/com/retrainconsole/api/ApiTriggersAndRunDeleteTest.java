package com.retrainconsole.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.retrainconsole.registry.ModelMeta;
import com.retrainconsole.retrain.RetrainRequest;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.store.Collections;
import com.retrainconsole.telemetry.DeviceConfig;
import com.retrainconsole.testing.TestModels;
import com.retrainconsole.training.TrainerKind;
import com.retrainconsole.triggers.Trigger;
import java.time.ZoneId;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** /api/triggers and DELETE /api/runs/{id} over real HTTP, a real store and the same core services as the CLI. */
class ApiTriggersAndRunDeleteTest extends ApiTestBase {

  long triggerCount() {
    return ctx.store().collection(Collections.TRIGGERS).countDocuments();
  }

  String createCron(String token) throws Exception {
    Res r = call("POST", "/api/triggers", token, "{\"device_id\":\"t1\",\"type\":\"cron\",\"spec\":{\"cron\":\"30 2 * * *\"},"
        + "\"guards\":{\"cooldown\":\"2h\",\"max_per_day\":3}}");
    assertEquals(201, r.status(), String.valueOf(r.json()));
    return r.json().get("trigger_id").asText();
  }

  @Test
  void an_admin_creates_a_cron_trigger_in_the_device_zone_and_reads_it_back_with_its_next_fire() throws Exception {
    ctx.devices().replace(ctx.devices().find("t1").orElseThrow().withZone(ZoneId.of("Europe/Berlin")));
    String id = createCron(adminToken);
    Res r = call("GET", "/api/triggers/" + id, analystToken, null);
    assertEquals(200, r.status(), r.json().toString());
    JsonNode t = r.json();
    assertEquals("t1", t.get("device_id").asText());
    assertEquals("cron", t.get("type").asText());
    assertTrue(t.get("enabled").asBoolean());
    assertEquals("Europe/Berlin", t.at("/spec/zone").asText(), "a cron without a zone runs on the site's clock");
    assertEquals("PT2H", t.at("/guards/cooldown").asText());
    assertEquals(3, t.at("/guards/max_per_day").asInt());
    assertFalse(t.get("next_fire_at").isNull());
    assertTrue(t.get("description").asText().contains("30 2 * * *"), t.toString());
    // the same trigger the scheduler reads
    Trigger stored = ctx.triggers().require(id);
    assertEquals(stored.nextFireAt().toString(), t.get("next_fire_at").asText());
  }

  @Test
  void triggers_are_listed_by_device_and_type_and_an_unknown_id_is_404() throws Exception {
    ctx.devices().upsert(DeviceConfig.of("t2"));
    createCron(adminToken);
    assertEquals(201, call("POST", "/api/triggers", adminToken,
        "{\"device_id\":\"t2\",\"type\":\"new_data\",\"spec\":{\"min_rows\":500}}").status());
    assertEquals(2, call("GET", "/api/triggers", analystToken, null).json().get("triggers").size());
    JsonNode t2 = call("GET", "/api/triggers?device_id=t2", analystToken, null).json().get("triggers");
    assertEquals(1, t2.size());
    assertEquals("new_data", t2.get(0).get("type").asText());
    assertEquals("PT1H", t2.get(0).at("/spec/check_every").asText());
    assertEquals(1, call("GET", "/api/triggers?type=cron", analystToken, null).json().get("triggers").size());
    assertError(call("GET", "/api/triggers?type=sometimes", analystToken, null), 400, "type:");
    assertError(call("GET", "/api/triggers/trg-nope", analystToken, null), 404, "unknown trigger 'trg-nope'");
  }

  @Test
  void invalid_trigger_bodies_are_400_naming_the_field_and_nothing_is_saved() throws Exception {
    String[][] cases = {
        {"{\"device_id\":\"t1\",\"type\":\"cron\",\"spec\":{\"cron\":\"61 2 * * *\"}}", "invalid_spec.cron", "Cron expression"},
        {"{\"device_id\":\"t1\",\"type\":\"cron\",\"spec\":{\"cron\":\"30 2 * *\"}}", "invalid_spec.cron", "has 4 fields"},
        {"{\"device_id\":\"t1\",\"type\":\"cron\",\"spec\":{\"cron\":\"30 2 * * *\",\"zone\":\"Mars/Olympus\"}}",
            "invalid_spec.zone", "Mars/Olympus"},
        {"{\"device_id\":\"t1\",\"type\":\"cron\"}", "invalid_spec.cron", "required for a cron trigger"},
        {"{\"device_id\":\"t1\",\"type\":\"performance\",\"spec\":{\"threshold_pct\":-5}}", "invalid_spec.threshold_pct",
            "threshold_pct must be a positive percentage"},
        {"{\"device_id\":\"t1\",\"type\":\"drift\",\"spec\":{\"alpha\":2}}", "invalid_spec.alpha", "between 0 and 1"},
        {"{\"device_id\":\"t1\",\"type\":\"drift\",\"spec\":{\"persistence_m\":3,\"persistence_n\":2}}",
            "invalid_spec.persistence_m", "M <= N"},
        {"{\"device_id\":\"t1\",\"type\":\"new_data\",\"spec\":{\"min_rows\":\"500\"}}", "invalid_spec.min_rows",
            "must be a whole number"},
        {"{\"device_id\":\"t1\",\"type\":\"new_data\",\"spec\":{\"min_rows\":500,\"cron\":\"* * * * *\"}}",
            "invalid_spec.cron", "not a setting of a new_data trigger"},
        {"{\"device_id\":\"t1\",\"type\":\"interval\",\"spec\":{\"every\":\"soon\"}}", "invalid_spec.every",
            "'soon' is not a duration"},
        {"{\"device_id\":\"t1\",\"type\":\"interval\",\"spec\":{\"every\":\"6h\"},\"guards\":{\"max_per_day\":0}}",
            "invalid_guards.max_per_day", "at least 1"},
        {"{\"device_id\":\"t1\",\"type\":\"interval\",\"spec\":{\"every\":\"6h\"},\"guards\":{\"cooldown\":\"PT-1H\"}}",
            "invalid_guards.cooldown", "must not be negative"},
        {"{\"device_id\":\"t1\",\"type\":\"interval\",\"spec\":{\"every\":\"6h\"},\"guards\":{\"retries\":2}}",
            "invalid_guards.retries", "unknown guard"},
        {"{\"device_id\":\"nope\",\"type\":\"interval\",\"spec\":{\"every\":\"6h\"}}", "invalid_device_id",
            "unknown device 'nope'"},
        {"{\"device_id\":\"t1\",\"type\":\"hourly\"}", "invalid_type", "hourly"},
        {"{\"device_id\":\"t1\",\"type\":\"interval\",\"spec\":{\"every\":\"6h\"},\"enabled\":\"yes\"}", "invalid_enabled",
            "true or false"},
        {"{\"device_id\":\"t1\",\"type\":\"interval\",\"spec\":[1]}", "invalid_spec", "JSON object"},
    };
    for (String[] c : cases) {
      Res r = call("POST", "/api/triggers", adminToken, c[0]);
      assertError(r, 400, c[2]);
      assertEquals(c[1], r.json().get("error").asText(), c[0] + " -> " + r.json());
    }
    assertEquals(0, triggerCount());
  }

  @Test
  void patch_changes_only_what_it_names_and_an_invalid_patch_leaves_the_trigger_as_it_was() throws Exception {
    String id = createCron(adminToken);
    Trigger before = ctx.triggers().require(id);
    Res bad = call("PATCH", "/api/triggers/" + id, adminToken, "{\"spec\":{\"cron\":\"30 25 * * *\"},\"enabled\":false}");
    assertError(bad, 400, "spec.cron");
    assertEquals(before, ctx.triggers().require(id), "a refused patch writes nothing, not even enabled");

    Res r = call("PATCH", "/api/triggers/" + id, adminToken, "{\"spec\":{\"cron\":\"0 4 * * *\"},"
        + "\"guards\":{\"max_per_day\":null}}");
    assertEquals(200, r.status(), r.json().toString());
    Trigger after = ctx.triggers().require(id);
    assertEquals("0 4 * * *", after.spec().getString("cron"));
    assertEquals(before.spec().getString("zone"), after.spec().getString("zone"));
    assertEquals(before.guards().cooldown(), after.guards().cooldown(), "cooldown kept");
    assertEquals(null, after.guards().maxPerDay(), "null clears the limit");
    assertNotEquals(before.nextFireAt(), after.nextFireAt(), "a new schedule re-plans the next fire");

    assertFalse(call("PATCH", "/api/triggers/" + id, adminToken, "{\"enabled\":false}").json().get("enabled")
        .asBoolean());
    assertFalse(ctx.triggers().require(id).enabled());
    assertTrue(call("PATCH", "/api/triggers/" + id, adminToken, "{\"enabled\":true}").json().get("enabled")
        .asBoolean());
    assertError(call("PATCH", "/api/triggers/" + id, adminToken, "{}"), 400, "nothing to change");
    assertError(call("PATCH", "/api/triggers/" + id, adminToken, "{\"type\":\"drift\"}"), 400, "unknown field");
    assertError(call("PATCH", "/api/triggers/trg-nope", adminToken, "{\"enabled\":false}"), 404, "unknown trigger");
  }

  @Test
  void analysts_and_operators_read_triggers_but_may_not_create_change_or_delete_them() throws Exception {
    String id = createCron(adminToken);
    Trigger before = ctx.triggers().require(id);
    for (String token : new String[] {analystToken, operatorToken}) {
      assertEquals(200, call("GET", "/api/triggers", token, null).status());
      assertError(call("POST", "/api/triggers", token, "{\"device_id\":\"t1\",\"type\":\"interval\",\"spec\":"
          + "{\"every\":\"6h\"}}"), 403, "may not create, edit, enable or disable triggers");
      assertError(call("PATCH", "/api/triggers/" + id, token, "{\"enabled\":false}"), 403, "may not");
      assertError(call("DELETE", "/api/triggers/" + id, token, null), 403, "may not");
    }
    assertEquals(1, triggerCount());
    assertEquals(before, ctx.triggers().require(id));
  }

  @Test
  void an_admin_deletes_a_trigger_and_it_is_gone() throws Exception {
    String id = createCron(adminToken);
    Res r = call("DELETE", "/api/triggers/" + id, adminToken, null);
    assertEquals(200, r.status(), r.json().toString());
    assertTrue(r.json().get("deleted").asBoolean());
    assertEquals(0, triggerCount());
    assertError(call("GET", "/api/triggers/" + id, adminToken, null), 404, "unknown trigger");
    assertError(call("DELETE", "/api/triggers/" + id, adminToken, null), 404, "unknown trigger");
  }

  @Test
  void a_pending_run_cannot_be_deleted_but_once_cancelled_an_admin_deletes_its_record_and_the_ledger_says_who()
      throws Exception {
    String runId = ctx.operations().enqueueRetrain(admin, RetrainRequest.manual("t1", TrainerKind.DEFAULT, "ada"))
        .runId();
    assertError(call("DELETE", "/api/runs/" + runId, adminToken, null), 409, "cancel it first");
    assertEquals(200, call("POST", "/api/runs/" + runId + "/cancel", operatorToken, null).status());
    assertEquals(RunStatus.CANCELLED.wire(), ctx.runs().require(runId).getString("status"));

    assertError(call("DELETE", "/api/runs/" + runId, operatorToken, null), 403, "may not delete run history records");
    assertTrue(ctx.runs().find(runId).isPresent(), "a refused delete keeps the record");

    Res r = call("DELETE", "/api/runs/" + runId, adminToken, null);
    assertEquals(200, r.status(), r.json().toString());
    assertTrue(ctx.runs().find(runId).isEmpty());
    assertError(call("GET", "/api/runs/" + runId, adminToken, null), 404, "unknown run");
    assertError(call("DELETE", "/api/runs/" + runId, adminToken, null), 404, "unknown run");
    Document entry = ctx.audit().recent("t1", 1).get(0);
    assertEquals("delete_run", entry.getString("action"));
    assertEquals("token:ops-admin", entry.getString("actor"));
    assertEquals(runId, entry.get("details", Document.class).getString("run_id"));
  }

  @Test
  void the_run_that_produced_the_model_in_service_keeps_its_record() throws Exception {
    Document run = ctx.runs().startInline("t1", new Document("type", "manual"), new Document());
    String runId = run.getString("run_id");
    ModelMeta v3 = ctx.registry().saveCandidate("t1", TestModels.train(3), TestModels.draft("t1", runId, 8));
    ctx.runs().finish(runId, RunStatus.COMPLETED, new Document());
    ctx.registry().promote("t1", v3.version(), "ada", "better");
    assertError(call("DELETE", "/api/runs/" + runId, adminToken, null), 409, "the model in service");
    assertTrue(ctx.runs().find(runId).isPresent());
    // once another version is in service the record may go
    ctx.registry().rollback("t1", java.util.Optional.of(v1.version()), "ada", "back");
    assertEquals(200, call("DELETE", "/api/runs/" + runId, adminToken, null).status());
  }
}
