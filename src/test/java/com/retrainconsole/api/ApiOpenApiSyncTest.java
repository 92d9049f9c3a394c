package com.retrainconsole.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.retrainconsole.access.Actor;
import com.retrainconsole.access.Role;
import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.app.AppContext;
import com.retrainconsole.common.Json;
import com.retrainconsole.registry.ModelMeta;
import com.retrainconsole.retrain.RetrainRequest;
import com.retrainconsole.store.Store;
import com.retrainconsole.telemetry.DeviceConfig;
import com.retrainconsole.testing.TestModels;
import com.retrainconsole.training.TrainerKind;
import com.retrainconsole.triggers.TriggerType;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped OpenAPI description, ApiServer.ENDPOINTS and the real router agree. */
class ApiOpenApiSyncTest {
  static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
      "trace");

  @TempDir Path dir;
  AppContext ctx;
  ApiServer server;
  String adminToken;
  String runId;
  String triggerId;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    ctx = AppContext.open(new AppConfig(null, dir, dir.resolve("models")), Store.openInMemory(), Clock.systemUTC());
    ctx.devices().upsert(DeviceConfig.of("t1"));
    ModelMeta v1 = ctx.registry().saveCandidate("t1", TestModels.train(1), TestModels.draft("t1", "run-1", 10));
    ctx.registry().promote("t1", v1.version(), "ada", "first");
    Actor admin = new Actor("ada", Role.ADMIN);
    runId = ctx.operations().enqueueRetrain(admin, RetrainRequest.manual("t1", TrainerKind.DEFAULT, "ada")).runId();
    triggerId = ctx.operations().addTrigger(admin, "t1", TriggerType.CRON, new Document("cron", "30 2 * * *")
        .append("zone", "UTC"), null)
        .triggerId();
    ApiTokens tokens = new ApiTokens(ctx.store(), ctx.clock());
    adminToken = tokens.create(admin, "ops-admin", Role.ADMIN).token();
    server = ctx.apiServer(ApiServer.Config.defaults().withPort(0), () -> "stopped", () -> Double.NaN);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop();
    ctx.close();
  }

  static JsonNode spec() throws Exception {
    try (InputStream in = ApiServer.class.getResourceAsStream(ApiServer.OPENAPI_RESOURCE)) {
      assertNotNull(in, "classpath resource " + ApiServer.OPENAPI_RESOURCE);
      return Json.MAPPER.readTree(in);
    }
  }

  static Set<String> specEndpoints(JsonNode spec) {
    Set<String> out = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = spec.get("paths").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> p = it.next();
      p.getValue().fieldNames().forEachRemaining(m -> {
        if (HTTP_METHODS.contains(m)) {
          out.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey());
        }
      });
    }
    return out;
  }

  static Set<String> serverEndpoints() {
    Set<String> out = new TreeSet<>();
    ApiServer.ENDPOINTS.forEach(e -> assertTrue(out.add(e.method() + " " + e.path()), "listed twice: " + e));
    return out;
  }

  HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** True when the router answered "no such endpoint" or "method not allowed" rather than the endpoint itself. */
  static boolean unrouted(HttpResponse<String> r) throws Exception {
    if (r.statusCode() == 405) {
      return true;
    }
    if (r.statusCode() != 404) {
      return false;
    }
    return Json.MAPPER.readTree(r.body()).get("message").asText().startsWith("no such endpoint");
  }

  @Test
  void the_spec_describes_exactly_the_endpoints_the_server_lists() throws Exception {
    JsonNode spec = spec();
    assertTrue(spec.get("openapi").asText().startsWith("3.0"), "OpenAPI 3.0 document");
    assertEquals(serverEndpoints(), specEndpoints(spec));
  }

  @Test
  void every_listed_get_endpoint_is_routed_by_the_real_server() throws Exception {
    Set<String> seen = new HashSet<>();
    for (ApiServer.Endpoint e : ApiServer.ENDPOINTS) {
      if (!e.method().equals("GET")) {
        continue;
      }
      String path = e.path().replace("{run_id}", runId).replace("{device_id}", "t1")
          .replace("{trigger_id}", triggerId);
      assertFalse(path.contains("{"), "a path parameter this test has no real value for: " + e.path());
      HttpResponse<String> r = get(path, adminToken);
      assertFalse(unrouted(r), e + " -> " + r.statusCode() + " " + r.body());
      // with real ids every read answers successfully
      assertEquals(200, r.statusCode(), e + " -> " + r.body());
      seen.add(e.path());
    }
    assertTrue(seen.contains("/api/runs/{run_id}") && seen.contains("/api/models/{device_id}/current"), "" + seen);
    assertTrue(seen.containsAll(Set.of("/api/devices", "/api/devices/{device_id}", "/api/devices/{device_id}/check")),
        "" + seen);
  }

  @Test
  void the_routing_check_detects_an_endpoint_the_server_does_not_serve() throws Exception {
    // guards the check above: an unlisted path and a wrong method are both reported as unrouted
    assertTrue(unrouted(get("/api/runs/" + runId + "/logs", adminToken)));
    assertTrue(unrouted(get("/api/retrain", adminToken)));
    assertFalse(unrouted(get("/api/runs/no-such-run", adminToken)), "unknown run is the endpoint's own 404");
    assertFalse(unrouted(get("/api/devices/no-such-device", adminToken)), "unknown device is the endpoint's own 404");
    assertTrue(unrouted(get("/api/devices/t1/readings", adminToken)));
  }

  @Test
  void every_path_parameter_in_a_template_is_declared_and_every_write_has_its_errors() throws Exception {
    JsonNode spec = spec();
    Pattern param = Pattern.compile("\\{([a-z_]+)}");
    for (ApiServer.Endpoint e : ApiServer.ENDPOINTS) {
      JsonNode op = spec.get("paths").get(e.path()).get(e.method().toLowerCase(Locale.ROOT));
      Set<String> declared = new HashSet<>();
      if (op.has("parameters")) {
        op.get("parameters").forEach(p -> {
          if (p.get("in").asText().equals("path")) {
            declared.add(p.get("name").asText());
          }
        });
      }
      Set<String> inTemplate = new HashSet<>();
      Matcher m = param.matcher(e.path());
      while (m.find()) {
        inTemplate.add(m.group(1));
      }
      assertEquals(inTemplate, declared, e.toString());
      if (e.path().startsWith("/api/")) {
        assertTrue(op.get("responses").has("401") && op.get("responses").has("403"), e + " documents 401/403");
      }
      if (!e.method().equals("GET")) {
        assertTrue(op.get("responses").has("429"), e + " documents the rate limit");
      }
    }
  }

  @Test
  void openapi_json_is_served_without_a_token_as_the_shipped_document() throws Exception {
    HttpResponse<String> r = get("/openapi.json", null);
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    assertEquals(spec(), Json.MAPPER.readTree(r.body()));
    assertEquals("#/components/schemas/Error", spec().at("/paths/~1api~1runs/get/responses/401/content"
        + "/application~1json/schema/$ref").asText());
    assertEquals("bearer", spec().at("/components/securitySchemes/bearer/scheme").asText());
  }

  @Test
  void the_versions_endpoint_carries_label_note_and_tags_as_the_spec_describes() throws Exception {
    String version = ctx.registry().list("t1").get(0).version();
    ctx.operations().labelVersion(new Actor("ada", Role.ADMIN), "t1", version,
        new com.retrainconsole.registry.VersionNotes("after soiling clean", "washed", java.util.List.of("winter")));
    HttpResponse<String> r = get("/api/models/t1/versions", adminToken);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode v = Json.MAPPER.readTree(r.body()).at("/versions/0");
    assertEquals("after soiling clean", v.get("label").asText());
    assertEquals("washed", v.get("note").asText());
    assertEquals("winter", v.at("/tags/0").asText());
    JsonNode props = spec().at("/components/schemas/ModelMeta/properties");
    for (String field : java.util.List.of("label", "note", "tags")) {
      assertTrue(props.has(field), "ModelMeta schema lacks " + field);
    }
  }
}
