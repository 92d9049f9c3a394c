package com.retrainconsole.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.access.Actor;
import com.retrainconsole.access.Role;
import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.app.AppContext;
import com.retrainconsole.common.ConflictException;
import com.retrainconsole.retrain.RetrainRequest;
import com.retrainconsole.store.Store;
import com.retrainconsole.telemetry.Simulator;
import com.retrainconsole.telemetry.SimulatorConfig;
import com.retrainconsole.training.TrainerKind;
import com.retrainconsole.triggers.Guards;
import com.retrainconsole.triggers.TriggerType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeviceRemovalTest {
  private static final Actor ADMIN = new Actor("tester", Role.ADMIN);
  private AppContext ctx;

  @BeforeEach
  void open() throws Exception {
    Path root = Files.createTempDirectory("removal");
    ctx = AppContext.open(new AppConfig(null, root.resolve("data"), root.resolve("models"), null),
        Store.openInMemory(), Clock.systemUTC());
    Simulator.simulate(ctx.store(), SimulatorConfig.defaults(List.of("t1"), Instant.parse("2026-06-01T00:00:00Z"))
        .withDays(3).withInterval(Duration.ofMinutes(15)), (s, f) -> {});
  }

  @AfterEach
  void close() {
    ctx.close();
  }

  @Test
  void removal_is_refused_while_a_run_is_queued_and_keeps_readings_models_and_runs() {
    ctx.operations().addTrigger(ADMIN, "t1", TriggerType.INTERVAL, new Document("every", "PT6H"), Guards.defaults());
    var queued = ctx.operations().enqueueRetrain(ADMIN, new RetrainRequest("t1", 3, null, TrainerKind.CART, true,
        "manual", "queued", "tester"));
    ConflictException refused = assertThrows(ConflictException.class, () -> ctx.operations().removeDevice(ADMIN, "t1"));
    assertTrue(refused.getMessage().contains("1 pending or running run(s)"), refused.getMessage());
    assertTrue(ctx.devices().find("t1").isPresent(), "nothing removed");

    ctx.operations().cancelRun(ADMIN, queued.runId());
    long readings = ctx.telemetry().count("t1");
    RemovalReport report = ctx.operations().removeDevice(ADMIN, "t1");

    assertEquals(1, report.triggersRemoved().size());
    assertEquals(readings, report.readingsKept());
    assertEquals(1, report.runsKept());
    assertTrue(report.describe().contains("`devices add t1`"), report.describe());
    assertFalse(ctx.devices().find("t1").isPresent());
    assertTrue(ctx.devices().list().stream().noneMatch(d -> d.id().equals("t1")));
    assertTrue(ctx.triggers().list("t1").isEmpty());
    assertEquals(readings, ctx.telemetry().count("t1"), "the readings stay, summary included");

    ctx.operations().addDevice(ADMIN, "t1", DeviceChanges.none().withZone("Europe/Madrid"));
    assertEquals(readings, ctx.telemetry().count("t1"));
    assertTrue(ctx.deviceService().check("t1", 3).rows() > 0);
  }
}
