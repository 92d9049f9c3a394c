package com.retrainconsole.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.retrainconsole.access.AccessDeniedException;
import com.retrainconsole.access.Actor;
import com.retrainconsole.access.Role;
import com.retrainconsole.devices.DeviceChanges;
import com.retrainconsole.registry.ModelMeta;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.testing.TestModels;
import com.retrainconsole.triggers.TriggerType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sites through the API: a token scoped to one site sees that site's devices, runs, versions, alerts,
 * triggers and metrics only, gets 404 (not 403) for everything of another site, and its role counts on its
 * own site only. The fleet-wide admin token sees both.
 */
class ApiSitesTest extends ApiTestBase {
  String northAnalyst;
  String northOperator;
  String northAdmin;
  String southRun;
  String southTrigger;
  String southAlert;
  ModelMeta southV1;

  @BeforeEach
  void sites() {
    ctx.operations().addDevice(admin, "n1", DeviceChanges.none().withSite("north"));
    ctx.operations().addDevice(admin, "s1", DeviceChanges.none().withSite("south"));
    for (String d : List.of("n1", "s1")) {
      ModelMeta m = ctx.registry().saveCandidate(d, TestModels.train(1), TestModels.draft(d, "run-" + d, 10));
      ctx.registry().saveCandidate(d, TestModels.train(2), TestModels.draft(d, "run2-" + d, 9));
      ctx.registry().promote(d, m.version(), "ada", "first");
      if (d.equals("s1")) {
        southV1 = m;
      }
      String run = ctx.runs().startInline(d, new Document("type", "manual"), new Document("days", 7))
          .getString("run_id");
      ctx.runs().finish(run, RunStatus.FAILED, new Document("error", "boom " + d));
      if (d.equals("s1")) {
        southRun = run;
        southTrigger = ctx.operations().addTrigger(admin, d, TriggerType.INTERVAL, new Document("every", "PT6H"),
            null).triggerId();
        southAlert = ctx.alerts().raiseAlert("stale_data", d, "stale:" + d, "no data", Map.of())
            .getString("alert_id");
      } else {
        ctx.operations().addTrigger(admin, d, TriggerType.INTERVAL, new Document("every", "PT6H"), null);
        ctx.alerts().raiseAlert("stale_data", d, "stale:" + d, "no data", Map.of());
      }
    }
    northAnalyst = tokens.create(admin, "north-dash", Role.ANALYST, List.of("north")).token();
    northOperator = tokens.create(admin, "north-cron", Role.OPERATOR, List.of("north")).token();
    northAdmin = tokens.create(admin, "north-admin", Role.ADMIN, List.of("north")).token();
  }

  private static List<String> deviceIds(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.get("device_id").asText()));
    return out;
  }

  @Test
  void a_site_token_lists_only_its_sites_devices_runs_alerts_and_triggers() throws Exception {
    for (String token : List.of(northAnalyst, northOperator, northAdmin)) {
      assertEquals(List.of("n1"), deviceIds(call("GET", "/api/devices", token, null).json().get("devices")));
      JsonNode runs = call("GET", "/api/runs", token, null).json();
      assertEquals(List.of("n1"), deviceIds(runs.get("runs")));
      assertEquals(1, runs.get("total").asInt());
      assertEquals(List.of("n1"), deviceIds(call("GET", "/api/alerts", token, null).json().get("alerts")));
      assertEquals(List.of("n1"), deviceIds(call("GET", "/api/triggers", token, null).json().get("triggers")));
    }
    JsonNode all = call("GET", "/api/runs", adminToken, null).json();
    assertEquals(2, all.get("total").asInt(), "the fleet-wide token sees both sites");
    assertEquals(List.of("n1", "s1", "t1"),
        deviceIds(call("GET", "/api/devices", adminToken, null).json().get("devices")));
  }

  @Test
  void everything_of_another_site_is_not_found_for_reads_and_writes() throws Exception {
    for (String[] req : List.of(
        new String[] {"GET", "/api/devices/s1", null},
        new String[] {"GET", "/api/devices/s1/check", null},
        new String[] {"GET", "/api/models/s1/current", null},
        new String[] {"GET", "/api/models/s1/versions", null},
        new String[] {"GET", "/api/runs/" + southRun, null},
        new String[] {"GET", "/api/triggers/" + southTrigger, null},
        new String[] {"DELETE", "/api/runs/" + southRun, null},
        new String[] {"POST", "/api/models/s1/rollback", "{\"reason\":\"x\"}"},
        new String[] {"PATCH", "/api/triggers/" + southTrigger, "{\"enabled\":false}"},
        new String[] {"DELETE", "/api/devices/s1", null})) {
      Res r = call(req[0], req[1], northAdmin, req[2]);
      assertEquals(404, r.status(), req[0] + " " + req[1] + " " + r.json());
      assertFalse(r.raw().body().contains("south"), "a 404 names nothing of the other site: " + r.raw().body());
    }
    Res retrain = call("POST", "/api/retrain", northAdmin, "{\"device_id\":\"s1\"}");
    assertEquals(400, retrain.status(), "an unknown device_id in a body is a bad field, as for a missing device");
    assertTrue(retrain.json().get("message").asText().contains("unknown device 's1'"), retrain.json().toString());
    // nothing of south changed
    assertEquals(southV1.version(), ctx.registry().current("s1").orElseThrow().version());
    assertTrue(ctx.runs().find(southRun).isPresent());
    assertTrue(ctx.triggers().find(southTrigger).orElseThrow().enabled());
    assertTrue(ctx.devices().find("s1").isPresent());
    assertEquals("open", ctx.alerts().find(southAlert).orElseThrow().getString("status"));
  }

  @Test
  void a_site_role_counts_on_that_site_only() throws Exception {
    Res queued = call("POST", "/api/retrain", northOperator, "{\"device_id\":\"n1\"}");
    assertEquals(202, queued.status(), queued.json().toString());
    Res refused = call("POST", "/api/models/n1/rollback", northOperator, "{\"reason\":\"x\"}");
    assertEquals(403, refused.status(), refused.json().toString());
    assertTrue(refused.json().get("message").asText().contains("operator on north and may not roll back models"),
        refused.json().toString());
    assertEquals(403, call("POST", "/api/retrain", northAnalyst, "{\"device_id\":\"n1\"}").status());
  }

  @Test
  void metrics_cover_only_the_tokens_sites_and_label_each_device_with_its_site() throws Exception {
    String north = metrics(northAnalyst);
    assertTrue(north.contains("retrain_model_mae_watts{device_id=\"n1\",site=\"north\"}"), north);
    assertFalse(north.contains("s1"), north);
    assertTrue(north.contains("retrain_runs_total{status=\"failed\"} 1"), north);
    String fleet = metrics(adminToken);
    assertTrue(fleet.contains("device_id=\"s1\",site=\"south\""), fleet);
    assertTrue(fleet.contains("retrain_runs_total{status=\"failed\"} 2"), fleet);
  }

  private String metrics(String token) throws Exception {
    java.net.http.HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
        .header("Authorization", "Bearer " + token).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return r.body();
  }

  @Test
  void only_admins_of_a_site_create_tokens_for_it_and_only_fleet_admins_fleet_wide_ones() {
    Actor northAdminUser = new Actor("nora", null, Map.of("north", Role.ADMIN));
    assertEquals(List.of("north"), tokens.create(northAdminUser, "n-script", Role.OPERATOR, List.of("north"))
        .info().sites());
    org.junit.jupiter.api.Assertions.assertThrows(AccessDeniedException.class,
        () -> tokens.create(northAdminUser, "s-script", Role.OPERATOR, List.of("south")));
    org.junit.jupiter.api.Assertions.assertThrows(AccessDeniedException.class,
        () -> tokens.create(northAdminUser, "everything", Role.ANALYST));
  }
}
