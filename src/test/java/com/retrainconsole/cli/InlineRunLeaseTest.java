package com.retrainconsole.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.retrainconsole.access.Role;
import com.retrainconsole.access.UserDirectory;
import com.retrainconsole.app.AppContext;
import com.retrainconsole.app.Launcher;
import com.retrainconsole.common.ConflictException;
import com.retrainconsole.common.ProgressListener;
import com.retrainconsole.runs.FailureKind;
import com.retrainconsole.runs.InlineLease;
import com.retrainconsole.runs.RunCodec;
import com.retrainconsole.runs.RunQueue;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import com.retrainconsole.telemetry.Simulator;
import com.retrainconsole.telemetry.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code train} run inline by the CLI in a child JVM (not queued), killed with {@code kill -9} while it
 * trains. Nothing else owns such a run, so before inline leases it stayed "running" for ever and cancel and
 * delete refused it. The store is this JVM's in-memory server; the child reaches it with its URI, as a
 * second machine on a shared MongoDB would.
 */
class InlineRunLeaseTest {
  static final Duration MAX = Duration.ofSeconds(120); // safety net for a loaded machine, not a measure
  static final String DEVICE = "inline01";

  @TempDir Path dir;
  Store store;
  AppContext ctx;
  Process child;

  @BeforeEach
  void simulate() {
    store = Store.openInMemory();
    ctx = AppContext.open(new AppConfig(null, dir.resolve("data"), models()), store, Clock.systemUTC());
    Simulator.simulate(store, new SimulatorConfig(List.of(DEVICE), Instant.parse("2026-06-01T00:00:00Z"), 8,
        Duration.ofMinutes(5), 7, SimulatorConfig.DEFAULT_LAT, SimulatorConfig.DEFAULT_LON,
        SimulatorConfig.DEFAULT_ZONE), ProgressListener.NONE);
    // the children reach the store by URI, where a user without a stored role is an analyst
    ctx.users().grant(ctx.users().resolve("setup"), UserDirectory.localUser(), Role.ADMIN);
  }

  @AfterEach
  void close() throws InterruptedException {
    if (child != null) {
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
    ctx.close();
  }

  private Path models() {
    return dir.resolve("models");
  }

  /** The CLI in this JVM, on the same store as the child. */
  private Cli.Result cli(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.addAll(List.of("--mongo-uri", store.connectionUri(), "--models-dir", models().toString()));
    return Cli.raw(all.toArray(String[]::new));
  }

  /** Starts `train` in a child JVM and kills it -9 once its run is in the training stage; returns the run. */
  private RunRecord killedWhileTraining() throws Exception {
    Path log = dir.resolve("train.log");
    child = ChildJvm.start(log, Launcher.class, "train", "--device", DEVICE, "--days", "6", "--trainer", "forest",
        "--mongo-uri", store.connectionUri(), "--models-dir", models().toString());
    RunRecord run = await("the child's run to train", log, () -> {
      Document d = store.collection(Collections.MODEL_RUNS).find(new Document("device_id", DEVICE)).first();
      RunRecord r = RunCodec.read(d);
      return r != null && r.progress() != null && "train".equals(r.progress().stage()) ? r : null;
    });
    assertEquals(RunStatus.RUNNING, run.status());
    assertTrue(run.inline(), "an inline run holds a lease of its own: " + run.stored().toJson());
    assertEquals(child.pid(), run.lease().process().pid(), "the lease names the training process");
    child.destroyForcibly(); // SIGKILL: no shutdown hook, no final write
    assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    assertEquals("running", stored(run.runId()).getString("status"), "nothing closed it on the way out");
    return run;
  }

  private Document stored(String runId) {
    return store.collection(Collections.MODEL_RUNS).find(new Document("run_id", runId)).first();
  }

  private static void assertClosedAsProcessLost(Document d) {
    assertEquals("failed", d.getString("status"), d.toJson());
    assertTrue(d.getString("error").startsWith("process lost"), d.getString("error"));
    assertEquals(FailureKind.PROCESS_LOST.wire(), d.getString("error_kind"));
    assertTrue(d.get("finished_at") != null, d.toJson());
  }

  @Test
  void cancel_closes_a_killed_train_as_process_lost_and_then_it_can_be_deleted() throws Exception {
    String runId = killedWhileTraining().runId();

    Cli.Result cancel = cli("runs", "cancel", runId, "--json");
    assertEquals(RetrainCli.EXIT_FAILED, cancel.code(), cancel.out() + cancel.err());
    JsonNode answer = cancel.parsedOut();
    assertEquals("already_final", answer.get("outcome").asText(), answer.toString());
    assertEquals("failed", answer.get("status").asText());
    assertTrue(answer.get("message").asText().contains("process lost"), answer.toString());
    assertClosedAsProcessLost(stored(runId));

    var actor = ctx.users().resolve(UserDirectory.localUser());
    ctx.operations().deleteRun(actor, runId); // what DELETE /api/runs/{id} calls
    assertTrue(ctx.runs().find(runId).isEmpty(), "the closed run could be deleted");
  }

  @Test
  void the_runs_listing_shows_a_killed_train_as_failed_not_running() throws Exception {
    String runId = killedWhileTraining().runId();
    JsonNode running = cli("runs", "--status", "running", "--json").json();
    assertEquals(0, running.get("count").asInt(), "no dead run is listed as running: " + running);
    JsonNode all = cli("runs", "--device", DEVICE, "--json").json();
    JsonNode run = all.get("runs").get(0);
    assertEquals(runId, run.get("run_id").asText());
    assertEquals("failed", run.get("status").asText());
    assertEquals("process_lost", run.get("error_kind").asText());
    assertClosedAsProcessLost(stored(runId));
  }

  @Test
  void the_schedulers_recovery_closes_a_killed_train_and_then_it_can_be_deleted() throws Exception {
    String runId = killedWhileTraining().runId();
    var actor = ctx.users().resolve(UserDirectory.localUser());
    RunQueue queue = new RunQueue(store, Clock.systemUTC());
    int repaired = queue.reconcile(); // the scheduler's crash-repair pass (at start and every N ticks)
    assertTrue(repaired >= 1, "reconcile repaired " + repaired);
    assertClosedAsProcessLost(stored(runId));
    assertEquals(FailureKind.PROCESS_LOST, queue.run(runId).orElseThrow().failure());
    ctx.operations().deleteRun(actor, runId);
    assertTrue(ctx.runs().find(runId).isEmpty());
  }

  @Test
  void a_live_train_is_left_alone_by_recovery_refused_by_delete_and_stopped_by_cancel() throws Exception {
    Path log = dir.resolve("live.log");
    // a short lease: the holder renews it every second, so it also reads a cancel within a second
    child = ChildJvm.start(log, Map.of(InlineLease.Policy.ENV, "3s"), Launcher.class, "train", "--device", DEVICE,
        "--days", "8", "--trainer", "forest", "--mongo-uri", store.connectionUri(), "--models-dir",
        models().toString());
    RunRecord run = await("the child's run to train", log, () -> {
      RunRecord r = RunCodec.read(store.collection(Collections.MODEL_RUNS).find(new Document("device_id", DEVICE))
          .first());
      return r != null && r.progress() != null && "train".equals(r.progress().stage()) ? r : null;
    });
    assertEquals(0, new RunQueue(store, Clock.systemUTC()).reconcile(), "recovery leaves a run whose process lives");
    assertEquals("running", stored(run.runId()).getString("status"));
    var actor = ctx.users().resolve(UserDirectory.localUser());
    ConflictException refused = assertThrows(ConflictException.class,
        () -> ctx.operations().deleteRun(actor, run.runId()));
    assertTrue(refused.getMessage().contains("running"), refused.getMessage());

    JsonNode cancel = cli("runs", "cancel", run.runId(), "--wait", "90s", "--json").json();
    assertEquals("requested", cancel.get("outcome").asText(), cancel.toString());
    assertEquals("cancelled", cancel.get("status").asText(), cancel.toString());
    assertTrue(child.waitFor(MAX.toSeconds(), TimeUnit.SECONDS), Files.readString(log));
    assertEquals(RetrainCli.EXIT_FAILED, child.exitValue(), Files.readString(log));
    Document d = stored(run.runId());
    assertEquals("cancelled by " + actor.user(), d.getString("error"), d.toJson());
    assertTrue(ctx.registry().current(DEVICE).isEmpty(), "a cancelled run promotes nothing");
  }

  private <T> T await(String what, Path log, Supplier<T> probe) throws Exception {
    long deadline = System.nanoTime() + MAX.toNanos();
    while (true) {
      T v = probe.get();
      if (v != null) {
        return v;
      }
      if (!child.isAlive()) {
        throw new AssertionError(what + ": the child exited " + child.exitValue() + ": " + Files.readString(log));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up waiting for " + what + ": " + Files.readString(log));
      }
      Thread.sleep(20);
    }
  }
}
