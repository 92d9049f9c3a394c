package com.retrainconsole.runs;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;

/**
 * The OS process that holds an inline run: host name, pid and when that process started. On its own host
 * a reader can tell at once whether it still runs; the start time tells a reused pid from the owner.
 */
public record OwnerProcess(String host, long pid, Instant startedAt) {
  /** Start times read by two processes may differ by the clock tick they are counted in. */
  private static final Duration START_TOLERANCE = Duration.ofSeconds(1);

  /** What a reader on this host can know of an owner. */
  public enum Liveness {
    ALIVE,
    /** On this host and no longer running (or its pid now names another process). */
    GONE,
    /** On another host: only its lease can tell. */
    UNKNOWN
  }

  public static OwnerProcess current() {
    ProcessHandle self = ProcessHandle.current();
    return new OwnerProcess(LocalHost.NAME, self.pid(), self.info().startInstant().orElse(null));
  }

  /** The host name leases are recorded with (the same as scheduler owner ids). */
  public static String localHost() {
    return LocalHost.NAME;
  }

  public Liveness liveness() {
    if (!LocalHost.NAME.equals(host)) {
      return Liveness.UNKNOWN;
    }
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::sameStart).isPresent()
        ? Liveness.ALIVE : Liveness.GONE;
  }

  private boolean sameStart(ProcessHandle h) {
    Instant seen = h.info().startInstant().orElse(null);
    return startedAt == null || seen == null
        || Duration.between(startedAt, seen).abs().compareTo(START_TOLERANCE) <= 0;
  }

  @Override
  public String toString() {
    return "pid " + pid + " on " + host;
  }

  /** decision: resolved once; a misconfigured resolver can take seconds per lookup. */
  private static final class LocalHost {
    static final String NAME = resolve();

    private static String resolve() {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException e) {
        return "localhost";
      }
    }
  }
}
