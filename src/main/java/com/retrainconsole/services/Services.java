package com.retrainconsole.services;

import com.retrainconsole.access.Operations;
import com.retrainconsole.access.UserDirectory;
import com.retrainconsole.alerts.AlertDetectors;
import com.retrainconsole.alerts.AlertService;
import com.retrainconsole.audit.MongoAuditLog;
import com.retrainconsole.devices.DeviceService;
import com.retrainconsole.notify.Notifications;
import com.retrainconsole.registry.ModelRegistry;
import com.retrainconsole.retrain.RetrainService;
import com.retrainconsole.runs.RunQueue;
import com.retrainconsole.runs.RunRepository;
import com.retrainconsole.scheduler.SchedulerPresence;
import com.retrainconsole.scheduler.TriggerTick;
import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.settings.PolicySettings;
import com.retrainconsole.store.Store;
import com.retrainconsole.telemetry.BucketTelemetryStore;
import com.retrainconsole.telemetry.DeviceRepository;
import com.retrainconsole.triggers.TriggerRepository;
import java.time.Clock;

/**
 * What a face (CLI, console, API) is handed: the core services it reads, the scheduler parts it hosts, and
 * {@link #operations()}, the one door for state changes (docs/ARCHITECTURE.md §1). decision: an interface in
 * the core, implemented by the composition root ({@code app.AppContext}), so no face imports the root and
 * the root stays the only place that wires services.
 */
public interface Services extends AutoCloseable {
  /** Where data and models live and how the store was chosen. */
  AppConfig config();

  /** The open store; faces build read helpers over it (run index, trigger events) and describe it. */
  Store store();

  Clock clock();

  DeviceRepository devices();

  /** Device management (reads; writes go through {@link #operations()}). */
  DeviceService deviceService();

  BucketTelemetryStore telemetry();

  MongoAuditLog audit();

  ModelRegistry registry();

  RunRepository runs();

  RunQueue queue();

  /** The training pipeline, for the run executors a hosted scheduler claims into (runs start via operations). */
  RetrainService retrain();

  AlertService alerts();

  AlertDetectors alertDetectors();

  TriggerRepository triggers();

  UserDirectory users();

  /** Promotion, data-quality and alert thresholds stored in {@code settings} (defaults when none). */
  PolicySettings policySettings();

  /** Which schedulers run on this store (a running scheduler announces itself here). */
  SchedulerPresence schedulerPresence();

  /**
   * What a scheduler does each tick besides claiming, wherever it runs (service or console): evaluate
   * triggers, run the alert detectors, and find webhook events for {@code notifications}.
   */
  TriggerTick schedulerTick(Notifications notifications);

  /** The role-checked door for every state-changing action of every face. */
  Operations operations();

  /** Closes the store. */
  @Override
  void close();
}
