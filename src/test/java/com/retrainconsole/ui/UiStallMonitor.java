package com.retrainconsole.ui;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;

/**
 * Measures how long the FX thread goes without answering: a daemon thread posts a probe with
 * {@code Platform.runLater} every {@link #INTERVAL_MS} ms and records the delay until it runs. The worst
 * delay is the longest the UI was frozen (give or take one interval). For benchmarks, not assertions.
 */
public final class UiStallMonitor implements AutoCloseable {
  static final long INTERVAL_MS = 5;

  private final AtomicLong worstNanos = new AtomicLong();
  private final AtomicLong probes = new AtomicLong();
  private final AtomicLong over100 = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  private UiStallMonitor() {
    thread = new Thread(this::loop, "ui-stall-monitor");
    thread.setDaemon(true);
  }

  public static UiStallMonitor start() {
    UiStallMonitor m = new UiStallMonitor();
    m.thread.start();
    return m;
  }

  private void loop() {
    while (running) {
      long posted = System.nanoTime();
      CountDownLatch ran = new CountDownLatch(1);
      Platform.runLater(() -> {
        long delay = System.nanoTime() - posted;
        worstNanos.accumulateAndGet(delay, Math::max);
        probes.incrementAndGet();
        if (delay > TimeUnit.MILLISECONDS.toNanos(100)) {
          over100.incrementAndGet();
        }
        ran.countDown();
      });
      try {
        // one probe in flight at a time; a stalled thread shows up as one long delay, not a pile of them
        while (running && !ran.await(50, TimeUnit.MILLISECONDS)) {
          // keep waiting for the stalled FX thread
        }
        Thread.sleep(INTERVAL_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Longest wait of a probe so far, in milliseconds. */
  public double worstMillis() {
    return worstNanos.get() / 1e6;
  }

  public long probes() {
    return probes.get();
  }

  /** Probes that waited longer than 100 ms (the console's stall budget). */
  public long stallsOver100ms() {
    return over100.get();
  }

  public String report(String what) {
    return String.format("%s: worst UI stall %.1f ms over %d probes, %d over 100 ms", what, worstMillis(), probes(),
        stallsOver100ms());
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
