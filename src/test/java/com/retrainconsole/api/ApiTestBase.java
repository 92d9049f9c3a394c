package com.retrainconsole.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.retrainconsole.access.Actor;
import com.retrainconsole.access.Role;
import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.app.AppContext;
import com.retrainconsole.common.Json;
import com.retrainconsole.registry.ModelMeta;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import com.retrainconsole.telemetry.DeviceConfig;
import com.retrainconsole.testing.TestModels;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A real API server on loopback over a real in-memory store with device t1 (v1 in service, v2 saved) and a token per role. */
abstract class ApiTestBase {
  @TempDir Path dir;
  AppContext ctx;
  ApiTokens tokens;
  ApiServer server;
  final HttpClient http = HttpClient.newHttpClient();
  final Actor admin = new Actor("ada", Role.ADMIN);
  String adminToken;
  String operatorToken;
  String analystToken;
  ModelMeta v1;
  ModelMeta v2;

  @BeforeEach
  void start() {
    ctx = AppContext.open(new AppConfig(null, dir, dir.resolve("models")), Store.openInMemory(), Clock.systemUTC());
    ctx.devices().upsert(DeviceConfig.of("t1"));
    v1 = ctx.registry().saveCandidate("t1", TestModels.train(1), TestModels.draft("t1", "run-1", 10));
    v2 = ctx.registry().saveCandidate("t1", TestModels.train(2), TestModels.draft("t1", "run-2", 9));
    ctx.registry().promote("t1", v1.version(), "ada", "first");
    tokens = new ApiTokens(ctx.store(), ctx.clock());
    adminToken = tokens.create(admin, "ops-admin", Role.ADMIN).token();
    operatorToken = tokens.create(admin, "cron", Role.OPERATOR).token();
    analystToken = tokens.create(admin, "dashboard", Role.ANALYST).token();
    server = startServer(ApiServer.Config.defaults().withPort(0));
  }

  ApiServer startServer(ApiServer.Config config) {
    ApiServer s = ctx.apiServer(config, () -> "running, 0 active run(s)", () -> Double.NaN);
    s.start();
    return s;
  }

  @AfterEach
  void stop() {
    server.stop();
    ctx.close();
  }

  record Res(int status, JsonNode json, HttpResponse<String> raw) {}

  Res call(String method, String path, String token, String body) throws IOException, InterruptedException {
    return call(server, method, path, token, body);
  }

  Res call(ApiServer s, String method, String path, String token, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Res(r.statusCode(), r.body().isEmpty() ? null : Json.MAPPER.readTree(r.body()), r);
  }

  long queued() {
    return ctx.store().collection(Collections.MODEL_RUNS).countDocuments();
  }

  static void assertError(Res r, int status, String messagePart) {
    assertEquals(status, r.status(), String.valueOf(r.json()));
    assertEquals(status, r.json().get("status").asInt());
    assertNotNull(r.json().get("error").asText());
    assertTrue(r.json().get("message").asText().contains(messagePart), r.json().toString());
    String cid = r.json().get("correlation_id").asText();
    assertEquals(16, cid.length());
    assertEquals(cid, r.raw().headers().firstValue("X-Correlation-Id").orElseThrow());
  }

}
