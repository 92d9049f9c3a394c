package com.retrainconsole.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.retrainconsole.app.Launcher;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import com.retrainconsole.store.StoreConfig;
import com.retrainconsole.store.StorePortFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's story through the real CLI: {@code train --queue}, a {@code scheduler} process (the real
 * Launcher) that trains it in its worker child, and {@code runs cancel} on a pending and on a running run.
 */
class SchedulerCliTest {
  @TempDir Path dir;

  private Path data() {
    return dir.resolve("data");
  }

  private Cli cli() {
    return new Cli(data(), dir.resolve("models"));
  }

  private void simulate() {
    cli().run("simulate", "--devices", "t1", "--days", "6", "--interval", "5m", "--end", "2026-06-07T00:00:00Z",
        "--seed", "7")
        .expect(0);
  }

  private String queue(String trainer) {
    return cli().run("train", "--device", "t1", "--queue", "--days", "3", "--trainer", trainer, "--json").json()
        .get("run_id").asText();
  }

  private JsonNode run(String runId) {
    for (JsonNode r : cli().run("runs", "--json").json().get("runs")) {
      if (r.get("run_id").asText().equals(runId)) {
        return r;
      }
    }
    throw new AssertionError("no run " + runId + " in `runs`");
  }

  private Process scheduler(Path log, String... args) throws Exception {
    String[] all = new String[args.length + 5];
    all[0] = "scheduler";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--data-dir";
    all[args.length + 2] = data().toString();
    all[args.length + 3] = "--models-dir";
    all[args.length + 4] = dir.resolve("models").toString();
    return ChildJvm.start(log, Launcher.class, all);
  }

  private static void await(String what, Process child, Path log, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90); // safety net, not a measure
    while (!condition.getAsBoolean()) {
      if (!child.isAlive()) {
        throw new AssertionError(what + ": scheduler exited " + child.exitValue() + ": " + Files.readString(log));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up waiting for " + what + ": " + Files.readString(log));
      }
      Thread.sleep(50);
    }
  }

  @Test
  void scheduler_cli_once_runs_a_queued_train() throws Exception {
    simulate();
    String runId = queue("cart");
    assertEquals("pending", run(runId).get("status").asText());

    Path log = dir.resolve("once.log");
    Process once = scheduler(log, "--once");
    try {
      assertTrue(once.waitFor(120, TimeUnit.SECONDS), "scheduler --once returns after its tick's run");
      assertEquals(0, once.exitValue(), Files.readString(log));
    } finally {
      once.toHandle().destroyForcibly();
    }
    JsonNode run = run(runId);
    assertEquals("completed", run.get("status").asText(), run.toString());
    assertTrue(Files.readString(log).contains("one tick done"), Files.readString(log));
    assertTrue(Files.exists(dir.resolve("models").resolve("t1").resolve("current_model.json")),
        "the first model of t1 is promoted");
    assertEquals(0, cli().run("runs", "--status", "pending", "--json").json().get("count").asInt());
  }

  @Test
  void runs_cancel_cancels_a_pending_run_at_once_and_stops_a_running_one_and_its_worker() throws Exception {
    simulate();
    String pending = queue("cart");
    Cli.Result cancelled = cli().run("runs", "cancel", pending).expect(0);
    assertTrue(cancelled.out().contains("run " + pending + " cancelled"), cancelled.out());
    assertEquals("cancelled", run(pending).get("status").asText());

    Path log = dir.resolve("scheduler.log");
    Process scheduler = scheduler(log, "--tick", "1s");
    try {
      await("the scheduler to serve the store", scheduler, log, () -> StorePortFile.read(data()).isPresent());
      String running = queue("forest");
      try (Store client = Store.open(StoreConfig.embedded(data()))) {
        await("the run to train", scheduler, log, () -> {
          Document r = client.collection(Collections.MODEL_RUNS).find(new Document("run_id", running)).first();
          Document p = r == null ? null : r.get("progress", Document.class);
          return p != null && "train".equals(p.getString("stage"));
        });
      }
      ProcessHandle worker = scheduler.toHandle().children().filter(ProcessHandle::isAlive).findFirst()
          .orElseThrow(() -> new AssertionError("no worker process under the scheduler"));

      long asked = System.nanoTime();
      // the promised bound: a running run is cancelled, its CPU freed, within 5 s
      JsonNode result = cli().run("runs", "cancel", running, "--wait", "5s", "--json").json();
      System.out.printf("runs cancel: %s after %d ms%n", result.get("status").asText(),
          (System.nanoTime() - asked) / 1_000_000);
      assertEquals("requested", result.get("outcome").asText(), result.toString());
      assertEquals("cancelled", result.get("status").asText(), result.toString());
      assertFalse(worker.isAlive(), "the worker process is gone once the run says cancelled");
      JsonNode run = run(running);
      assertTrue(run.get("error").asText().startsWith("cancelled by "), run.toString());
      assertEquals(0, cli().run("runs", "--status", "pending", "--json").json().get("count").asInt(),
          "no retry after a cancel");
      assertFalse(Files.exists(dir.resolve("models").resolve("t1").resolve("versions"))
          && Files.list(dir.resolve("models").resolve("t1").resolve("versions")).findAny().isPresent(),
          "no model file left");

      scheduler.destroy(); // SIGTERM: nothing runs, so it exits at once
      assertTrue(scheduler.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, scheduler.exitValue(), Files.readString(log));
    } finally {
      scheduler.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      scheduler.toHandle().destroyForcibly();
      scheduler.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
