package com.retrainconsole.ui.shell;

import com.mongodb.MongoException;
import com.retrainconsole.store.Store;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pings the store every {@link #INTERVAL_MS} ms on its own daemon thread and publishes the answer on the FX
 * thread: {@code available} (the model's storeAvailable property) and a short reason when it is down.
 * decision: the ping carries its own short timeout (CSOT, {@link #PING_TIMEOUT_MS}) instead of the store
 * client's 5 s server selection timeout, so the banner shows within one interval of an outage; the
 * store's client and its pool stay the same, so no second connection pool is opened.
 */
public final class StoreHealth implements AutoCloseable {
  public static final long INTERVAL_MS = 3_000;
  static final long PING_TIMEOUT_MS = 1_500;

  private static final Logger log = LoggerFactory.getLogger("console");

  private final Store store;
  private final BooleanProperty available;
  private final ReadOnlyStringWrapper reason = new ReadOnlyStringWrapper(this, "reason", "");
  private final ReadOnlyBooleanWrapper checking = new ReadOnlyBooleanWrapper(this, "checking");
  private final ScheduledExecutorService timer;
  private final AtomicBoolean inFlight = new AtomicBoolean();
  private final Consumer<Runnable> fx;
  private ScheduledFuture<?> periodic;

  /** @param available set on the FX thread after every ping (usually the model's storeAvailable) */
  public StoreHealth(Store store, BooleanProperty available) {
    this(store, available, Platform::runLater);
  }

  StoreHealth(Store store, BooleanProperty available, Consumer<Runnable> fx) {
    this.store = store;
    this.available = available;
    this.fx = fx;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "console-store-health");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts the periodic ping (the first one at once). */
  public StoreHealth start() {
    periodic = timer.scheduleWithFixedDelay(this::ping, 0, INTERVAL_MS, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Pings now, off the FX thread (the banner's Retry now); ignored while a ping is in flight. */
  public void checkNow() {
    if (!timer.isShutdown()) {
      timer.execute(this::ping);
    }
  }

  /** Why the last ping failed ("" while the store answers). */
  public ReadOnlyStringProperty reasonProperty() {
    return reason.getReadOnlyProperty();
  }

  /** True while a ping is in flight. */
  public ReadOnlyBooleanProperty checkingProperty() {
    return checking.getReadOnlyProperty();
  }

  private void ping() {
    if (!inFlight.compareAndSet(false, true)) {
      return;
    }
    fx.accept(() -> checking.set(true));
    String failure = null;
    try {
      store.db().withTimeout(PING_TIMEOUT_MS, TimeUnit.MILLISECONDS).runCommand(new Document("ping", 1));
    } catch (MongoException e) {
      failure = shortReason(e);
    } catch (RuntimeException e) {
      // a closed client (console shutting down) or anything unexpected: report, never kill the timer
      failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    } finally {
      inFlight.set(false);
    }
    boolean up = failure == null;
    String why = up ? "" : failure;
    fx.accept(() -> {
      checking.set(false);
      if (available.get() != up) {
        if (up) {
          log.info("store {} answers again", store.describe());
        } else {
          log.warn("store {} does not answer: {}", store.describe(), why);
        }
      }
      reason.set(why);
      available.set(up);
    });
  }

  /** The driver's messages are long and may list the cluster; keep the first cause in a few words. */
  static String shortReason(MongoException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int causedBy = m.lastIndexOf("caused by {");
    if (causedBy >= 0) {
      int end = m.indexOf('}', causedBy);
      String inner = m.substring(causedBy + "caused by {".length(), end < 0 ? m.length() : end);
      int colon = inner.indexOf(": ");
      m = colon >= 0 ? inner.substring(colon + 2) : inner;
    } else if (m.startsWith("Timed out") || m.contains("timed out") || m.contains("Timeout")) {
      m = "no answer within " + PING_TIMEOUT_MS / 1000.0 + " s";
    }
    m = m.replaceAll("mongodb://[^@\\s]*@", "mongodb://***@"); // never show a password
    return m.length() > 160 ? m.substring(0, 157) + "…" : m;
  }

  @Override
  public void close() {
    if (periodic != null) {
      periodic.cancel(false);
    }
    timer.shutdownNow();
  }
}
