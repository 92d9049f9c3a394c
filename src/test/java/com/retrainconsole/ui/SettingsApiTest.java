package com.retrainconsole.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.retrainconsole.access.Actor;
import com.retrainconsole.access.Role;
import com.retrainconsole.api.ApiTokens;
import com.retrainconsole.common.Json;
import com.retrainconsole.settings.LocalSettings;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

/** The console serves the management API while its scheduler is on: real HTTP on loopback, real store. */
class SettingsApiTest extends ConsoleFxTest {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void scheduler_off_and_settings_back_to_defaults() throws Exception {
    ConsoleScheduler scheduler = ConsoleScheduler.of(model);
    if (scheduler.state() != ConsoleScheduler.State.OFF) {
      interact(() -> scheduler.setOn(false));
      waitUntil(20, () -> scheduler.state() == ConsoleScheduler.State.OFF);
    }
    ctx.config().localSettings().write(LocalSettings.defaults());
  }

  @Test
  void the_api_box_serves_health_and_runs_while_the_scheduler_is_on_and_the_port_closes_when_it_is_off()
      throws Exception {
    int port = freePort();
    openSettings();
    type("#settings-api-port", String.valueOf(port));
    CheckBox box = lookup("#settings-api-check").query();
    interact(box::fire); // may sit below the fold at 1320×760
    waitUntil(10, () -> Integer.valueOf(port).equals(ctx.config().localSettings().read().apiPort()));
    waitUntil(5, () -> status().equals("Off: serves http://127.0.0.1:" + port + " once the scheduler is on"));

    Button toggle = lookup("#settings-scheduler-button").query();
    clickOn(toggle);
    waitUntil(10, () -> model.schedulerOnProperty().get());
    waitUntil(10, () -> status().startsWith("Serving http://127.0.0.1:" + port));
    assertTrue(status().contains("api token create"), status());

    HttpResponse<String> health = get(port, "/health", null);
    assertEquals(200, health.statusCode(), health.body());
    JsonNode h = Json.MAPPER.readTree(health.body());
    assertTrue(h.path("scheduler").asText().contains("console"), health.body());

    String token = new ApiTokens(ctx.store(), ctx.clock())
        .create(new Actor("test-admin", Role.ADMIN), "settings-api-test", Role.ADMIN).token();
    HttpResponse<String> runs = get(port, "/api/runs?limit=5", token);
    assertEquals(200, runs.statusCode(), runs.body());
    assertTrue(Json.MAPPER.readTree(runs.body()).isObject(), runs.body());
    assertEquals(401, get(port, "/api/runs", null).statusCode(), "no token, no runs");

    // a new port applies at once: the server moves, the old port closes
    int moved = freePort();
    type("#settings-api-port", String.valueOf(moved));
    Button apply = lookup("#settings-api-apply").query();
    assertFalse(apply.isDisabled(), "a changed valid port cannot be applied");
    interact(apply::fire);
    waitUntil(10, () -> status().startsWith("Serving http://127.0.0.1:" + moved));
    assertEquals(200, get(moved, "/health", null).statusCode());
    assertRefused(port);
    assertEquals(moved, ctx.config().localSettings().read().apiPort());

    ScrollPane scroll = lookup(".rc-settings-scroll").query();
    interact(() -> scroll.setVvalue(0.5));
    screenshot("settings-api");

    clickOn(toggle);
    waitUntil(20, () -> ConsoleScheduler.of(model).state() == ConsoleScheduler.State.OFF);
    assertRefused(moved);
    waitUntil(5, () -> status().startsWith("Off: serves"));
  }

  static void assertRefused(int port) {
    assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close(),
        "something still answers on port " + port);
  }

  @Test
  void a_port_in_use_leaves_the_scheduler_on_and_says_the_api_is_not_serving() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ctx.config().localSettings().write(LocalSettings.defaults().withApiPort(taken.getLocalPort()));
      openSettings();
      assertTrue(lookup("#settings-api-check").queryAs(CheckBox.class).isSelected(), "saved choice not shown");
      clickOn("#settings-scheduler-button");
      // the scheduler gets to On (the API is tried before it says so) and the API says why it is not serving
      waitUntil(10, () -> ConsoleScheduler.of(model).state() == ConsoleScheduler.State.ON);
      assertTrue(model.schedulerOnProperty().get(), "a busy API port stopped the scheduler");
      assertTrue(status().startsWith(ConsoleScheduler.API_NOT_SERVING), status());
      assertTrue(status().contains("127.0.0.1:" + taken.getLocalPort()) && status().contains("another port"),
          status());
      assertTrue(lookup("#settings-api-status").queryAs(Label.class).getStyleClass().contains("rc-result-error"));
      ScrollPane scroll = lookup(".rc-settings-scroll").query();
      interact(() -> scroll.setVvalue(0.5));
      screenshot("settings-api-not-serving");
    }
  }

  void openSettings() throws Exception {
    clickOn("#nav-SETTINGS");
    waitUntil(10, () -> lookup("#policy-promotion-tolerance").tryQuery().isPresent()
        && !lookup("#policy-promotion-tolerance").queryAs(TextField.class).getText().isEmpty());
  }

  void type(String fieldId, String value) {
    TextField f = lookup(fieldId).query();
    interact(() -> f.setText(value));
    WaitForAsyncUtils.waitForFxEvents();
  }

  String status() {
    return lookup("#settings-api-status").queryAs(Label.class).getText();
  }

  HttpResponse<String> get(int port, String path, String token) throws IOException, InterruptedException {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10));
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
