package com.retrainconsole.app;

import com.retrainconsole.access.Operations;
import com.retrainconsole.devices.DeviceService;
import com.retrainconsole.access.UserDirectory;
import com.retrainconsole.access.Visibility;
import com.retrainconsole.alerts.AlertDetectors;
import com.retrainconsole.alerts.AlertService;
import com.retrainconsole.api.ApiServer;
import com.retrainconsole.audit.MongoAuditLog;
import com.retrainconsole.registry.ModelRegistry;
import com.retrainconsole.retrain.RetrainService;
import com.retrainconsole.runs.InlineLease;
import com.retrainconsole.runs.RetryPolicy;
import com.retrainconsole.runs.RunQueue;
import com.retrainconsole.notify.Notifications;
import com.retrainconsole.runs.RunRepository;
import com.retrainconsole.scheduler.TriggerTick;
import com.retrainconsole.services.Services;
import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.settings.Policies;
import com.retrainconsole.scheduler.SchedulerPresence;
import com.retrainconsole.settings.PolicySettings;
import com.retrainconsole.store.Store;
import com.retrainconsole.telemetry.BucketTelemetryStore;
import com.retrainconsole.telemetry.DeviceRepository;
import com.retrainconsole.triggers.TriggerEngine;
import com.retrainconsole.triggers.TriggerRepository;
import java.time.Clock;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Composition root: opens the store and wires the core services once. Every face (CLI, console, API) gets
 * them from here as {@link Services}, handed over by the entry point; nothing else constructs them.
 */
public final class AppContext implements Services {
  private final AppConfig config;
  private final Store store;
  private final Clock clock;
  private final DeviceRepository devices;
  private final BucketTelemetryStore telemetry;
  private final MongoAuditLog audit;
  private final ModelRegistry registry;
  private final RunRepository runs;
  private final RunQueue queue;
  private final RetrainService retrain;
  private final AlertService alerts;
  private final AlertDetectors alertDetectors;
  private final TriggerRepository triggers;
  private final UserDirectory users;
  private final Operations operations;
  private final DeviceService deviceService;
  private final PolicySettings policySettings;
  private final SchedulerPresence schedulerPresence;

  private AppContext(AppConfig config, Store store, Clock clock) {
    this.config = config;
    this.store = store;
    this.clock = clock;
    this.devices = new DeviceRepository(store);
    this.telemetry = new BucketTelemetryStore(store);
    this.audit = new MongoAuditLog(store, clock);
    this.registry = new ModelRegistry(config.modelsDir(), audit, clock);
    this.runs = new RunRepository(store, clock, InlineLease.Policy.fromEnvironment(System.getenv()));
    this.queue = new RunQueue(store, clock, RetryPolicy.defaults(), registry::versionInServiceOfRun);
    // decision: thresholds saved in Settings apply to every face; promotion and gate thresholds are read per
    // run (per site), the alert thresholds a running process keeps from start-up
    this.policySettings = new PolicySettings(store, audit, clock);
    this.schedulerPresence = new SchedulerPresence(store, clock);
    Policies policies = policySettings.load();
    // thresholds may differ by site: read per run, so a change applies to the next run everywhere
    this.retrain = new RetrainService(store, devices, registry, runs,
        device -> policySettings.load(devices.siteOf(device)).promotion(),
        device -> policySettings.load(devices.siteOf(device)).gate(), clock);
    this.alerts = new AlertService(store, clock);
    this.alertDetectors = new AlertDetectors(store, registry, alerts, policies.alerts(), clock);
    this.triggers = new TriggerRepository(store, clock);
    this.users = new UserDirectory(store, clock);
    this.deviceService = new DeviceService(store, devices, telemetry, triggers, runs, registry,
        () -> policySettings.load().gate(), clock);
    this.operations = new Operations(retrain, queue, runs, registry, triggers, alerts, alertDetectors, audit,
        deviceService, telemetry, new Visibility(devices));
  }

  public static AppContext open(AppConfig config) {
    return open(config, Store.open(config.storeConfig()), Clock.systemUTC());
  }

  /** Wires services over an already open store (tests, benchmarks); the context closes it. */
  public static AppContext open(AppConfig config, Store store, Clock clock) {
    try {
      return new AppContext(config, store, clock);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  public AppConfig config() {
    return config;
  }

  public Store store() {
    return store;
  }

  public Clock clock() {
    return clock;
  }

  public DeviceRepository devices() {
    return devices;
  }

  /** Device management (reads; writes go through {@link #operations()}). */
  public DeviceService deviceService() {
    return deviceService;
  }

  public BucketTelemetryStore telemetry() {
    return telemetry;
  }

  public MongoAuditLog audit() {
    return audit;
  }

  public ModelRegistry registry() {
    return registry;
  }

  public RunRepository runs() {
    return runs;
  }

  public RunQueue queue() {
    return queue;
  }

  public RetrainService retrain() {
    return retrain;
  }

  public AlertService alerts() {
    return alerts;
  }

  public AlertDetectors alertDetectors() {
    return alertDetectors;
  }

  public TriggerRepository triggers() {
    return triggers;
  }

  public UserDirectory users() {
    return users;
  }

  /** Promotion, data-quality and alert thresholds stored in {@code settings} (defaults when none). */
  public PolicySettings policySettings() {
    return policySettings;
  }

  @Override
  public SchedulerPresence schedulerPresence() {
    return schedulerPresence;
  }

  /**
   * What a scheduler does each tick besides claiming, wherever it runs (service or console): evaluate
   * triggers, run the alert detectors, and find webhook events for {@code notifications} (a few queries;
   * the HTTP calls happen on the notifier's own thread).
   */
  public TriggerTick schedulerTick(Notifications notifications) {
    TriggerEngine triggers = new TriggerEngine(store, clock, devices, registry, alerts,
        TriggerEngine.Settings.defaults());
    return now -> {
      triggers.tick(now);
      alertDetectors.onTick(now);
      notifications.notifier().tick();
    };
  }

  /**
   * The management API over this context's services, not yet started: what {@code scheduler --api} and the
   * console's scheduler serve. {@code schedulerState} answers /health, {@code tickSeconds} feeds /metrics.
   */
  public ApiServer apiServer(ApiServer.Config config, Supplier<String> schedulerState, DoubleSupplier tickSeconds) {
    return ApiServer.over(this, config, schedulerState, tickSeconds);
  }

  /** The role-checked door for every state-changing action of the console and the API. */
  public Operations operations() {
    return operations;
  }

  @Override
  public void close() {
    store.close();
  }
}
