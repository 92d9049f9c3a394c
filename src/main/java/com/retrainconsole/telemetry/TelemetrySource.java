package com.retrainconsole.telemetry;

import java.time.Instant;
import java.util.Optional;

/** Reads one device's telemetry: hourly buckets the app wrote, or a site's per-reading collection. */
public interface TelemetrySource {
  /** Readings with from <= ts < to, ascending, all canonical fields. */
  TelemetryWindow read(String deviceId, Instant from, Instant to);

  Optional<Instant> newest(String deviceId);

  Optional<Instant> oldest(String deviceId);
}
