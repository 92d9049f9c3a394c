package com.retrainconsole.store;

/** Collection names (contract: docs/ARCHITECTURE.md §2). */
public final class Collections {
  public static final String TELEMETRY = "telemetry";
  public static final String RUN_QUEUE = "run_queue";
  public static final String MODEL_RUNS = "model_runs";
  public static final String TRIGGERS = "triggers";
  public static final String TRIGGER_EVENTS = "trigger_events";
  public static final String ALERTS = "alerts";
  public static final String AUDIT = "audit";
  public static final String DEVICES = "devices";
  public static final String SETTINGS = "settings";
  public static final String USERS = "users";
  public static final String API_TOKENS = "api_tokens";
  public static final String WEBHOOKS = "webhooks";
  public static final String WEBHOOK_DELIVERIES = "webhook_deliveries";
  /** One document per running scheduler (service or console), heartbeated: who would fire triggers now. */
  public static final String SCHEDULERS = "schedulers";

  /** The app's own collections: a site's collection is any other. */
  public static final java.util.Set<String> ALL = java.util.Set.of(TELEMETRY, RUN_QUEUE, MODEL_RUNS, TRIGGERS,
      TRIGGER_EVENTS, ALERTS, AUDIT, DEVICES, SETTINGS, USERS, API_TOKENS, WEBHOOKS, WEBHOOK_DELIVERIES, SCHEDULERS);

  private Collections() {}
}
