package com.retrainconsole.notify;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends due deliveries on its own daemon thread, so a slow or dead receiver never holds up the scheduler
 * tick. {@link #drainDue()} is the same work, callable directly (tests with a settable clock).
 */
public final class DeliveryWorker {
  private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

  private final WebhookDeliveries deliveries;
  private final WebhookRepository webhooks;
  private final WebhookSender sender;
  private final Backoff backoff;
  private final Duration idlePoll;
  private final Object signal = new Object();
  private volatile boolean woken;
  private Thread thread;
  private volatile boolean running;

  public DeliveryWorker(WebhookDeliveries deliveries, WebhookRepository webhooks, WebhookSender sender,
      Backoff backoff, Duration idlePoll) {
    this.deliveries = deliveries;
    this.webhooks = webhooks;
    this.sender = sender;
    this.backoff = backoff;
    this.idlePoll = idlePoll;
  }

  public synchronized void start() {
    if (thread != null) {
      return;
    }
    running = true;
    thread = new Thread(this::loop, "webhook-delivery");
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops the thread; an attempt in flight is interrupted and its delivery is retried after the claim lease. */
  public void stop() {
    Thread t;
    synchronized (this) {
      t = thread;
      thread = null;
      running = false;
    }
    if (t != null) {
      t.interrupt();
      try {
        t.join(Duration.ofSeconds(12).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Tells the worker new deliveries are waiting (cheap; never blocks). */
  public void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  private void loop() {
    while (running) {
      try {
        drainDue();
      } catch (RuntimeException e) {
        log.warn("webhook deliveries: store error ({}); retrying", e.toString());
      }
      synchronized (signal) {
        if (!woken) {
          try {
            signal.wait(idlePoll.toMillis());
          } catch (InterruptedException e) {
            return;
          }
        }
        woken = false;
      }
    }
  }

  /** Sends every delivery due now; returns how many attempts were made. */
  public int drainDue() {
    int attempts = 0;
    while (!Thread.currentThread().isInterrupted()) {
      Optional<Document> next = deliveries.claimDue();
      if (next.isEmpty()) {
        break;
      }
      attempt(next.get());
      attempts++;
    }
    return attempts;
  }

  private void attempt(Document d) {
    String id = d.getString("delivery_id");
    int attempt = d.getInteger("attempts", 0) + 1;
    Optional<Webhook> hook = webhooks.find(d.getString("webhook_id"));
    if (hook.isEmpty()) {
      deliveries.attemptFailed(id, attempt - 1, null, "webhook removed", null);
      return;
    }
    Webhook w = hook.get();
    Integer status = null;
    String error;
    try {
      status = sender.post(w.url(), d.getString("payload"));
      if (status >= 200 && status < 300) {
        deliveries.delivered(id, attempt, status);
        log.info("webhook {} {} delivered to {} (HTTP {}, attempt {})", w.id(), d.getString("event"),
            w.redactedUrl(), status, attempt);
        return;
      }
      error = "HTTP " + status;
    } catch (IOException e) {
      error = scrub(e, w.url());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return; // claim lease expires and the delivery is tried again
    } catch (IllegalArgumentException e) {
      error = "invalid URL";
    }
    boolean last = attempt >= backoff.maxAttempts();
    Duration retry = last ? null : backoff.after(attempt);
    deliveries.attemptFailed(id, attempt, status, error, retry);
    if (last) {
      log.warn("webhook {} {} to {} failed after {} attempts: {}", w.id(), d.getString("event"), w.redactedUrl(),
          attempt, error);
    } else {
      log.info("webhook {} {} to {} attempt {} failed ({}); next in {}", w.id(), d.getString("event"),
          w.redactedUrl(), attempt, error, retry);
    }
  }

  /** An exception's text without the URL in it (some carry the request URI). */
  static String scrub(Exception e, String url) {
    String m = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    m = m.replace(url, RedactedUrl.of(url));
    try {
      String path = java.net.URI.create(url).getRawPath();
      if (path != null && path.length() > 1) {
        m = m.replace(path, "/…");
      }
    } catch (IllegalArgumentException ignored) {
      // an invalid URL never reached the wire
    }
    return m;
  }
}
