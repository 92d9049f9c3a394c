package com.retrainconsole.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainQueueTest {
  @TempDir Path dir;

  @Test
  void train_queue_enqueues_a_pending_run_with_its_params_and_trains_nothing() throws Exception {
    Cli cli = new Cli(dir.resolve("data"), dir.resolve("models"));
    cli.run("simulate", "--devices", "t1", "--days", "3", "--interval", "15m", "--end", "2026-03-01T00:00:00Z")
        .expect(0);

    JsonNode queued = cli.run("train", "--device", "t1", "--queue", "--days", "2", "--trainer", "cart", "--json")
        .json();
    String runId = queued.get("run_id").asText();
    assertTrue(runId.startsWith("run-"), runId);

    JsonNode runs = cli.run("runs", "--status", "pending", "--json").json().get("runs");
    assertEquals(1, runs.size());
    JsonNode run = runs.get(0);
    assertEquals(runId, run.get("run_id").asText());
    assertEquals("t1", run.get("device_id").asText());
    assertEquals(2, run.get("params").get("days").asInt());
    assertEquals("cart", run.get("params").get("trainer").asText());
    assertEquals("manual", run.get("trigger").get("type").asText());
    assertFalse(Files.exists(dir.resolve("models").resolve("t1")), "queueing must not train");
  }

  @Test
  void train_queue_for_an_unknown_device_enqueues_nothing() {
    Cli cli = new Cli(dir.resolve("data"), dir.resolve("models"));
    cli.run("simulate", "--devices", "t1", "--days", "1", "--interval", "15m", "--end", "2026-03-01T00:00:00Z")
        .expect(0);

    Cli.Result r = cli.run("train", "--device", "nope", "--queue");

    assertEquals(2, r.code());
    assertTrue(r.errorLine().contains("Known devices: t1"), r.errorLine());
    assertEquals(0, cli.run("runs", "--json").json().get("count").asInt());
  }
}
