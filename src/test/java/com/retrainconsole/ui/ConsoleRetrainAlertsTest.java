package com.retrainconsole.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.retrainconsole.access.Actor;
import com.retrainconsole.access.Role;
import com.retrainconsole.alerts.AlertPolicy;
import com.retrainconsole.alerts.AlertTypes;
import com.retrainconsole.app.AppContext;
import com.retrainconsole.audit.MongoAuditLog;
import com.retrainconsole.registry.PromotionPolicy;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.settings.PolicySettings;
import com.retrainconsole.settings.Policies;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import com.retrainconsole.telemetry.Simulator;
import com.retrainconsole.telemetry.SimulatorConfig;
import com.retrainconsole.training.GatePolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/** The console's own Retrain judges its run with the same alert detectors as the CLI's train and the scheduler. */
@ExtendWith(ApplicationExtension.class)
class ConsoleRetrainAlertsTest {
  @TempDir Path root;
  AppContext ctx;
  ConsoleModel model;

  @AfterEach
  void close() {
    if (model != null) {
      model.close();
    }
    if (ctx != null) {
      ctx.close();
    }
  }

  @Test
  void a_failed_console_retrain_raises_a_training_failure_alert() throws Exception {
    Store store = Store.openInMemory();
    Clock clock = Clock.systemUTC();
    // a minimum row count no day of telemetry meets fails the run at the gate (no training to wait for), and one
    // failed run out of one is enough for TRAINING_FAILURE; the detectors read their thresholds when services open
    AlertPolicy d = AlertPolicy.defaults();
    AlertPolicy oneFailureIsEnough = new AlertPolicy(d.accuracy(), Map.of(), d.failureWindow(), 1, d.failureRate(),
        d.pendingOverdue(), d.runningStall(), d.degradationMinPoints(), d.degradationWindow(),
        d.degradationRelativeSlope());
    Policies p = Policies.of(PromotionPolicy.defaults(), GatePolicy.defaults(), oneFailureIsEnough);
    Policies strict = new Policies(p.promotionTolerance(), p.promotionMinTestRows(), 10_000_000,
        p.gateMaxFrozenMinutes(), p.gateMaxFrozenShare(), p.gateMaxNanBurstMinutes(), p.gateMaxNanShare(),
        p.alertMinR2(), p.alertMaxMae(), p.alertFailureWindow(), p.alertFailureMinRuns(), p.alertFailureRate(),
        p.alertPendingOverdueMinutes(), p.alertRunningStallMinutes(), p.alertDegradationMinPoints(),
        p.alertDegradationWindow(), p.alertDegradationSlope());
    new PolicySettings(store, new MongoAuditLog(store, clock), clock).save(new Actor("admin", Role.ADMIN), strict);
    ctx = AppContext.open(new AppConfig(null, root.resolve("data"), root.resolve("models")), store, clock);
    var end = clock.instant().atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
    Simulator.simulate(ctx.store(), SimulatorConfig.defaults(List.of("tracker01"), end).withDays(1)
        .withInterval(Duration.ofMinutes(15)), (s, f) -> {});
    model = new ConsoleModel(ctx, ConsoleFxTest.SMALL);

    WaitForAsyncUtils.asyncFx(() -> model.retrain("tracker01")).get(10, TimeUnit.SECONDS);

    // the job ends after the detectors ran: wait for the console to be idle again, then read the store
    WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !model.busy()
        && !ctx.runs().listRecords("tracker01", null, 1).isEmpty());
    RunRecord run = ctx.runs().listRecords("tracker01", null, 1).get(0);
    assertEquals(RunStatus.FAILED, run.status(), () -> "the gate should have failed the run: " + run);
    Document alert = ctx.store().collection(Collections.ALERTS).find().first();
    assertNotNull(alert, "a failed console retrain left no alert");
    assertEquals(AlertTypes.TRAINING_FAILURE, alert.getString("type"), alert::toJson);
    assertEquals("tracker01", alert.getString("device_id"), alert::toJson);
  }
}
