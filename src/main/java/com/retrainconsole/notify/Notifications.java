package com.retrainconsole.notify;

import com.retrainconsole.access.Actor;
import com.retrainconsole.access.Permission;
import com.retrainconsole.store.Store;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

/** The notifications slice wired together: configs, outbox, notifier (per tick) and delivery worker (thread). */
public final class Notifications {
  private final WebhookRepository webhooks;
  private final WebhookDeliveries deliveries;
  private final WebhookNotifier notifier;
  private final DeliveryWorker worker;
  private final WebhookSender sender;
  private final Clock clock;

  public Notifications(Store store, Clock clock, Backoff backoff, Duration idlePoll) {
    this.clock = clock;
    this.webhooks = new WebhookRepository(store, clock);
    this.deliveries = new WebhookDeliveries(store, clock);
    this.sender = new WebhookSender();
    this.notifier = new WebhookNotifier(store, webhooks, deliveries, clock);
    this.worker = new DeliveryWorker(deliveries, webhooks, sender, backoff, idlePoll);
    notifier.onEnqueued(worker::wake);
  }

  public static Notifications defaults(Store store, Clock clock) {
    return new Notifications(store, clock, Backoff.defaults(), Duration.ofSeconds(2));
  }

  public WebhookRepository webhooks() {
    return webhooks;
  }

  public WebhookDeliveries deliveries() {
    return deliveries;
  }

  public WebhookNotifier notifier() {
    return notifier;
  }

  public DeliveryWorker worker() {
    return worker;
  }

  public void start() {
    worker.start();
  }

  public void stop() {
    worker.stop();
  }

  /** Posts a test event to one webhook now (no outbox, no retry); returns the HTTP status. */
  public int sendTest(Actor actor, String webhookId) throws IOException, InterruptedException {
    actor.require(Permission.EDIT_SETTINGS);
    Webhook w = webhooks.require(webhookId);
    Notification n = new Notification(WebhookEvent.RUN_FAILED, "test", w.deviceId() == null ? "test-device" : w.deviceId(),
        "test", "test", null, null, "Test notification from retrain-console webhooks test", clock.instant());
    try {
      return sender.post(w.url(), Payloads.render(w.format(), n));
    } catch (IOException e) {
      throw new IOException(DeliveryWorker.scrub(e, w.url()));
    }
  }
}
