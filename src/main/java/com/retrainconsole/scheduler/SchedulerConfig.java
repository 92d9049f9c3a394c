package com.retrainconsole.scheduler;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

/**
 * How one scheduler instance behaves. {@code owner} names it in leases and logs ({@code host:pid:random}).
 * The lease must outlast a few missed heartbeats; recovery takes over a run only once its lease expired.
 * {@code reconcileEveryTicks}: the crash-repair scan reads all of model_runs, so it runs at start and then
 * every N ticks only.
 */
public record SchedulerConfig(
    String owner,
    Duration tick,
    Duration lease,
    Duration heartbeat,
    int maxConcurrent,
    Duration timeout,
    Duration shutdownGrace,
    int reconcileEveryTicks) {

  public SchedulerConfig {
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException("max concurrent runs must be at least 1, not " + maxConcurrent);
    }
    if (heartbeat.compareTo(lease) >= 0) {
      throw new IllegalArgumentException("heartbeat (" + heartbeat + ") must be shorter than the lease (" + lease + ")");
    }
    if (tick.isNegative() || tick.isZero() || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("tick and timeout must be positive");
    }
    if (reconcileEveryTicks < 1) {
      throw new IllegalArgumentException("reconcileEveryTicks must be at least 1");
    }
  }

  /** Tick 5 s, lease 30 s, heartbeat 10 s, 1 run at a time, timeout 2 h, grace 30 s, reconcile every 60 ticks. */
  public static SchedulerConfig defaults() {
    return new SchedulerConfig(newOwnerId(), Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(10),
        1, Duration.ofHours(2), Duration.ofSeconds(30), 60);
  }

  public SchedulerConfig withTick(Duration d) {
    return new SchedulerConfig(owner, d, lease, heartbeat, maxConcurrent, timeout, shutdownGrace, reconcileEveryTicks);
  }

  public SchedulerConfig withLease(Duration newLease, Duration newHeartbeat) {
    return new SchedulerConfig(owner, tick, newLease, newHeartbeat, maxConcurrent, timeout, shutdownGrace,
        reconcileEveryTicks);
  }

  public SchedulerConfig withMaxConcurrent(int n) {
    return new SchedulerConfig(owner, tick, lease, heartbeat, n, timeout, shutdownGrace, reconcileEveryTicks);
  }

  public SchedulerConfig withTimeout(Duration d) {
    return new SchedulerConfig(owner, tick, lease, heartbeat, maxConcurrent, d, shutdownGrace, reconcileEveryTicks);
  }

  public SchedulerConfig withShutdownGrace(Duration d) {
    return new SchedulerConfig(owner, tick, lease, heartbeat, maxConcurrent, timeout, d, reconcileEveryTicks);
  }

  public SchedulerConfig withOwner(String o) {
    return new SchedulerConfig(o, tick, lease, heartbeat, maxConcurrent, timeout, shutdownGrace, reconcileEveryTicks);
  }

  public static String newOwnerId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "localhost";
    }
    byte[] b = new byte[3];
    new SecureRandom().nextBytes(b);
    return host + ":" + ProcessHandle.current().pid() + ":" + HexFormat.of().formatHex(b);
  }
}
