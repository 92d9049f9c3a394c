package com.retrainconsole.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.retrainconsole.common.Json;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhooksCommandTest {
  @TempDir Path dir;
  private HttpServer receiver;
  private final List<String> bodies = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/", ex -> {
      bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    receiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.stop(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
  }

  @Test
  void add_list_test_and_remove_never_print_the_secret_path() throws Exception {
    Cli cli = new Cli(dir.resolve("data"), dir.resolve("models"));
    Cli.Result added = cli.run("webhooks", "add", "--url", url("/services/T0/B0/SECRETxyz"), "--format", "slack",
        "--events", "run_failed,run_promoted");
    assertEquals(0, added.code(), added.err());
    String id = cli.run("webhooks", "list", "--json").json().get("webhooks").get(0).get("webhook_id").asText();

    Cli.Result list = cli.run("webhooks", "list");
    Cli.Result json = cli.run("webhooks", "list", "--json");
    for (Cli.Result r : List.of(added, list, json)) {
      assertFalse((r.out() + r.err()).contains("SECRET"), r.out() + r.err());
    }
    assertTrue(list.out().contains(id + "  slack"), list.out());
    assertTrue(list.out().contains("http://127.0.0.1:" + receiver.getAddress().getPort() + "/…"), list.out());
    JsonNode row = json.json().get("webhooks").get(0);
    assertEquals("run_failed,run_promoted", row.get("events").asText());

    Cli.Result test = cli.run("webhooks", "test", id);
    assertEquals(0, test.code(), test.err());
    assertTrue(test.out().contains("HTTP 200"), test.out());
    assertFalse(test.out().contains("SECRET"), test.out());
    assertEquals(1, bodies.size());
    assertTrue(Json.MAPPER.readTree(bodies.get(0)).get("text").asText().contains("Test notification"), bodies.get(0));

    Cli.Result bad = cli.run("webhooks", "add", "--url", url("/x"), "--events", "run_exploded");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("Unknown webhook event 'run_exploded'"), bad.err());

    assertEquals(0, cli.run("webhooks", "remove", id).code());
    assertEquals(0, cli.run("webhooks", "list", "--json").json().get("count").asInt());
    assertEquals(2, cli.run("webhooks", "remove", id).code());
  }

  @Test
  void a_failed_run_of_the_scheduler_reaches_the_receiver() throws Exception {
    Cli cli = new Cli(dir.resolve("data"), dir.resolve("models"));
    cli.run("simulate", "--devices", "t1", "--days", "1", "--interval", "15m", "--end", "2026-03-01T00:00:00Z")
        .expect(0);
    cli.run("webhooks", "add", "--url", url("/hook/SECRET"), "--device", "t1").expect(0);
    // the simulated data ended months ago: a 2-day window from now holds no telemetry, so the run fails
    cli.run("train", "--device", "t1", "--queue", "--days", "2", "--trainer", "cart").expect(0);
    Cli.Result sched = cli.run("scheduler", "--once", "--in-process");
    assertEquals(0, sched.code(), sched.err());
    assertFalse(sched.err().contains("SECRET"), sched.err());

    JsonNode run = cli.run("runs", "--json").json().get("runs").get(0);
    assertEquals("failed", run.get("status").asText(), run.toString());
    assertEquals(1, bodies.size(), "one delivery for the failed run: " + bodies);
    JsonNode body = Json.MAPPER.readTree(bodies.get(0));
    assertEquals("run_failed", body.get("event").asText());
    assertEquals("t1", body.get("device_id").asText());
    assertEquals(run.get("run_id").asText(), body.get("run_id").asText());
    assertFalse(body.get("message").asText().isBlank(), body.toString());
  }
}
