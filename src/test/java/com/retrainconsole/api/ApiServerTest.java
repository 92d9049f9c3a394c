package com.retrainconsole.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.access.Actor;
import com.retrainconsole.access.Role;
import com.retrainconsole.retrain.RetrainRequest;
import com.retrainconsole.runs.Enqueued;
import com.retrainconsole.store.Collections;
import com.retrainconsole.training.TrainerKind;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The API over real HTTP on loopback against a real in-memory store and real models. */
class ApiServerTest extends ApiTestBase {
  @Test
  void health_answers_without_a_token_with_store_scheduler_and_version() throws Exception {
    Res r = call("GET", "/health", null, null);
    assertEquals(200, r.status());
    assertEquals("reachable", r.json().get("store").asText());
    assertEquals("running, 0 active run(s)", r.json().get("scheduler").asText());
    assertTrue(r.json().get("version").asText().startsWith("Retrain Console "), r.json().toString());
  }

  @Test
  void no_token_or_a_wrong_or_revoked_token_gets_401_and_nothing_is_queued() throws Exception {
    String body = "{\"device_id\":\"t1\"}";
    assertError(call("POST", "/api/retrain", null, body), 401, "missing bearer token");
    assertError(call("POST", "/api/retrain", "rc_notatoken", body), 401, "unknown or revoked token");
    String id = tokens.list().stream().filter(t -> t.name().equals("cron")).findFirst().orElseThrow().id();
    tokens.revoke(admin, id);
    assertError(call("POST", "/api/retrain", operatorToken, body), 401, "unknown or revoked token");
    assertEquals(0, queued());
  }

  @Test
  void an_analyst_token_may_read_but_its_retrain_is_refused_with_403_and_nothing_is_queued() throws Exception {
    assertEquals(200, call("GET", "/api/runs", analystToken, null).status());
    Res r = call("POST", "/api/retrain", analystToken, "{\"device_id\":\"t1\"}");
    assertError(r, 403, "token:dashboard has the analyst role and may not start a retrain");
    assertEquals(0, queued());
  }

  @Test
  void an_operator_token_queues_a_retrain_with_202_and_the_run_is_pending_for_that_device() throws Exception {
    Res r = call("POST", "/api/retrain", operatorToken, "{\"device_id\":\"t1\",\"days\":7,\"trainer\":\"cart\"}");
    assertEquals(202, r.status(), r.json().toString());
    String runId = r.json().get("run_id").asText();
    Document run = ctx.runs().find(runId).orElseThrow();
    assertEquals("pending", run.getString("status"));
    assertEquals("t1", run.getString("device_id"));
    assertEquals(7, run.get("params", Document.class).getInteger("days"));
    assertEquals("cart", run.get("params", Document.class).getString("trainer"));
    assertEquals("token:cron", run.get("trigger", Document.class).getString("actor"));
  }

  @Test
  void an_operator_may_not_promote_but_an_admin_promotes_and_rolls_back_and_the_pointer_moves() throws Exception {
    String promote = "{\"version\":\"" + v2.version() + "\",\"reason\":\"lower MAE\"}";
    assertError(call("POST", "/api/models/t1/promote", operatorToken, promote), 403, "may not promote");
    assertEquals(v1.version(), ctx.registry().current("t1").orElseThrow().version());

    Res p = call("POST", "/api/models/t1/promote", adminToken, promote);
    assertEquals(200, p.status(), p.json().toString());
    assertEquals(v2.version(), p.json().get("pointer").get("version").asText());
    assertEquals(v2.version(), ctx.registry().current("t1").orElseThrow().version());
    assertEquals("token:ops-admin", ctx.registry().current("t1").orElseThrow().promotedBy());

    Res cur = call("GET", "/api/models/t1/current", analystToken, null);
    assertEquals(v2.version(), cur.json().get("pointer").get("version").asText());
    assertEquals(9.0, cur.json().get("model").get("metrics").get("mae").asDouble(), 1e-9);
    Res versions = call("GET", "/api/models/t1/versions", analystToken, null);
    assertEquals(2, versions.json().get("versions").size());
    assertEquals(v2.version(), versions.json().get("current_version").asText());

    Res rb = call("POST", "/api/models/t1/rollback", adminToken, "{\"reason\":\"customer complaint\"}");
    assertEquals(200, rb.status(), rb.json().toString());
    assertEquals(v1.version(), ctx.registry().current("t1").orElseThrow().version());
  }

  @Test
  void runs_are_listed_filtered_and_paged_fetched_by_id_and_an_unknown_id_is_404() throws Exception {
    Enqueued a = ctx.operations().enqueueRetrain(admin, RetrainRequest.manual("t1", TrainerKind.DEFAULT, "ada"));
    Enqueued b = ctx.operations().enqueueRetrain(admin, RetrainRequest.manual("t1", TrainerKind.DEFAULT, "ada"));
    ctx.operations().enqueueRetrain(admin, RetrainRequest.manual("t2", TrainerKind.DEFAULT, "ada"));

    Res all = call("GET", "/api/runs?device_id=t1&status=pending&limit=1", analystToken, null);
    assertEquals(200, all.status());
    assertEquals(2, all.json().get("total").asInt());
    assertEquals(1, all.json().get("runs").size());
    Res page2 = call("GET", "/api/runs?device_id=t1&limit=1&offset=1", analystToken, null);
    String first = all.json().get("runs").get(0).get("run_id").asText();
    String second = page2.json().get("runs").get(0).get("run_id").asText();
    assertEquals(java.util.Set.of(a.runId(), b.runId()), java.util.Set.of(first, second));
    assertEquals(0, call("GET", "/api/runs?limit=5&offset=10", analystToken, null).json().get("runs").size());

    Res one = call("GET", "/api/runs/" + a.runId(), analystToken, null);
    assertEquals(200, one.status());
    assertEquals(a.runId(), one.json().get("run_id").asText());
    assertFalse(one.json().has("_id"));
    assertTrue(one.json().get("queued_at").asText().endsWith("Z"), one.json().toString());
    assertError(call("GET", "/api/runs/run-nope", analystToken, null), 404, "unknown run 'run-nope'");

    Res cancel = call("POST", "/api/runs/" + b.runId() + "/cancel", operatorToken, null);
    assertEquals(200, cancel.status(), cancel.json().toString());
    assertEquals("cancelled", ctx.runs().find(b.runId()).orElseThrow().getString("status"));
    assertError(call("POST", "/api/runs/" + b.runId() + "/cancel", operatorToken, null), 409, "");
  }

  @Test
  void validation_errors_are_400_and_name_the_field() throws Exception {
    assertError(call("POST", "/api/retrain", operatorToken, "{}"), 400, "device_id: required");
    assertError(call("POST", "/api/retrain", operatorToken, "{\"device_id\":\"t9\"}"), 400,
        "device_id: unknown device 't9'");
    assertError(call("POST", "/api/retrain", operatorToken, "{\"device_id\":\"t1\",\"days\":-3}"), 400, "days:");
    assertError(call("POST", "/api/retrain", operatorToken, "{\"device_id\":\"t1\",\"trainer\":\"magic\"}"), 400,
        "trainer:");
    assertError(call("POST", "/api/retrain", operatorToken, "{\"device\":\"t1\"}"), 400, "device: unknown field");
    assertError(call("POST", "/api/retrain", operatorToken, "not json"), 400, "not valid JSON");
    assertError(call("GET", "/api/runs?status=lost", analystToken, null), 400, "status:");
    assertError(call("GET", "/api/runs?limit=0", analystToken, null), 400, "limit:");
    assertError(call("POST", "/api/models/t1/promote", adminToken, "{\"version\":\"x\"}"), 400, "reason: required");
    assertError(call("POST", "/api/models/t1/promote", adminToken, "{\"version\":\"x\",\"reason\":\"r\"}"), 404,
        "version: device 't1' has no version 'x'");
    assertEquals(0, queued());
    assertEquals(v1.version(), ctx.registry().current("t1").orElseThrow().version());
  }

  @Test
  void a_body_over_the_limit_is_refused_with_413() throws Exception {
    String big = "{\"device_id\":\"" + "x".repeat(70 * 1024) + "\"}";
    assertError(call("POST", "/api/retrain", operatorToken, big), 413, "larger than 65536 bytes");
    assertEquals(0, queued());
  }

  @Test
  void state_changing_calls_over_the_rate_limit_get_429_with_retry_after_while_reads_go_on() throws Exception {
    ApiServer limited = startServer(ApiServer.Config.defaults().withPort(0).withWritesPerMinute(2));
    try {
      String body = "{\"device_id\":\"t1\"}";
      assertEquals(202, call(limited, "POST", "/api/retrain", operatorToken, body).status());
      assertEquals(202, call(limited, "POST", "/api/retrain", operatorToken, body).status());
      Res r = call(limited, "POST", "/api/retrain", operatorToken, body);
      assertError(r, 429, "too many state-changing calls for token:cron");
      long retry = Long.parseLong(r.raw().headers().firstValue("Retry-After").orElseThrow());
      assertTrue(retry >= 1 && retry <= 30, "Retry-After " + retry);
      assertEquals(2, queued());
      assertEquals(200, call(limited, "GET", "/api/runs", operatorToken, null).status());
      // another token has its own bucket
      assertEquals(202, call(limited, "POST", "/api/retrain", adminToken, body).status());
    } finally {
      limited.stop();
    }
  }

  @Test
  void a_token_is_stored_only_as_its_hash_and_only_admins_create_them() throws Exception {
    for (Document d : ctx.store().collection(Collections.API_TOKENS).find()) {
      String stored = d.toJson();
      assertFalse(stored.contains(adminToken.substring(3)), stored);
      assertFalse(stored.contains(operatorToken.substring(3)), stored);
    }
    assertTrue(adminToken.startsWith("rc_") && adminToken.length() == 3 + 43, adminToken);
    assertEquals(Optional.of(new Actor("token:cron", Role.OPERATOR)), tokens.authenticate(operatorToken));
    org.junit.jupiter.api.Assertions.assertThrows(com.retrainconsole.access.AccessDeniedException.class,
        () -> tokens.create(new Actor("otto", Role.OPERATOR), "x", Role.ADMIN));
  }

  @Test
  void alerts_are_listed_and_unknown_paths_and_wrong_methods_get_json_errors() throws Exception {
    ctx.alerts().raise("training_failure", "t1", "k1", "run failed twice", java.util.Map.of());
    Res r = call("GET", "/api/alerts", analystToken, null);
    assertEquals(200, r.status());
    assertEquals("t1", r.json().get("alerts").get(0).get("device_id").asText());
    assertError(call("GET", "/api/nothing", analystToken, null), 404, "no such endpoint");
    assertError(call("DELETE", "/api/retrain", operatorToken, null), 405, "use POST");
    Res put = call("PUT", "/api/triggers", operatorToken, "{}");
    assertError(put, 405, "use GET or POST");
    assertEquals("GET, POST", put.raw().headers().firstValue("Allow").orElse(""));
    assertError(call("GET", "/api/models/nope/current", analystToken, null), 404, "unknown device 'nope'");
  }

  @Test
  void metrics_need_a_token_and_answer_in_the_prometheus_text_format() throws Exception {
    assertError(call("GET", "/metrics", null, null), 401, "");
    server.tickSeconds(() -> 0.25);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
        + "/metrics")).header("Authorization", "Bearer " + analystToken).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
    assertTrue(r.body().contains("# TYPE retrain_runs_total"), r.body());
    assertTrue(r.body().contains("retrain_scheduler_tick_seconds 0.25"), r.body());
  }
}
