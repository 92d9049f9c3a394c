package com.retrainconsole.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.retrainconsole.alerts.AlertService;
import com.retrainconsole.alerts.AlertTypes;
import com.retrainconsole.store.Store;
import com.retrainconsole.store.StoreConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServicesCommandsTest {
  @TempDir Path dir;

  private Path data() {
    return dir.resolve("data");
  }

  private Path models() {
    return dir.resolve("models");
  }

  @Test
  void alerts_list_and_ack_through_the_cli() {
    String id;
    try (Store store = Store.open(StoreConfig.embedded(data()))) {
      id = new AlertService(store, Clock.systemUTC()).raiseAlert(AlertTypes.TRAINING_FAILURE, "t1",
          "TRAINING_FAILURE:t1", "4 of the last 10 runs failed", Map.of("run_ids", java.util.List.of("run-a"))).getString("alert_id");
    }
    JsonNode list = new Cli(data(), models()).run("alerts", "list", "--json").json();
    assertEquals(1, list.get("count").asInt());
    assertEquals(id, list.get("alerts").get(0).get("alert_id").asText());
    assertEquals("run-a", list.get("alerts").get(0).get("run_ids").get(0).asText());

    JsonNode acked = new Cli(data(), models()).run("alerts", "ack", id, "--reason", "on it", "--json").json();
    assertEquals("acknowledged", acked.get("status").asText());
    assertEquals("on it", acked.get("ack_reason").asText());
    assertTrue(new Cli(data(), models()).run("alerts", "list").expect(0).out().contains("no open alerts"));
    assertEquals(1, new Cli(data(), models()).run("alerts", "list", "--status", "acknowledged", "--json").json()
        .get("count").asInt());

    Cli.Result unknown = new Cli(data(), models()).run("alerts", "ack", "alert-nope");
    assertEquals(2, unknown.code());
    assertTrue(unknown.errorLine().contains("Unknown alert 'alert-nope'"), unknown.err());
    assertEquals(2, new Cli(data(), models()).run("alerts", "list", "--status", "bogus").code());
  }

  @Test
  void predict_prints_the_production_models_predictions_against_actuals() {
    Cli cli = new Cli(data(), models());
    cli.run("simulate", "--devices", "t1", "--days", "8", "--interval", "15m", "--end", "2026-06-20", "--json").json();
    JsonNode trained = cli.run("train", "--device", "t1", "--days", "8", "--trainer", "cart", "--json").json();
    assertTrue(trained.path("decision").path("promoted").asBoolean(), trained.toString());

    JsonNode p = new Cli(data(), models()).run("predict", "--device", "t1", "--from", "2026-06-18T00:00:00Z",
        "--to", "2026-06-19T00:00:00Z", "--json").json();
    assertEquals(trained.path("model").path("version").asText(), p.get("version").asText());
    int rows = p.get("rows").asInt();
    assertTrue(rows > 70 && rows <= 96, "a day of 15-minute rows: " + rows);
    assertEquals(rows, p.get("predictions").size());
    assertTrue(p.get("metrics").get("r2").asDouble() > 0.8, p.get("metrics").toString());
    JsonNode first = p.get("predictions").get(0);
    assertTrue(first.get("ts").asText().startsWith("2026-06-18T00:"), first.toString());
    assertTrue(first.has("actual") && first.has("predicted"));

    String text = new Cli(data(), models()).run("predict", "--device", "t1", "--from", "2026-06-18",
        "--to", "2026-06-19", "--sample", "5").expect(0).out();
    assertTrue(text.contains("MAE ") && text.contains("R² "), text);
    assertEquals(5 + 3, text.lines().count(), text);

    Cli.Result empty = new Cli(data(), models()).run("predict", "--device", "t1", "--from", "2025-01-01",
        "--to", "2025-01-02");
    assertEquals(2, empty.code(), empty.err());
    assertTrue(empty.errorLine().contains("No rows to predict"), empty.err());
  }
}
