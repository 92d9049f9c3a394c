package com.retrainconsole.telemetry;

import java.time.Instant;
import java.util.Map;

/**
 * One device-hour of readings as stored in {@code telemetry}: ascending unique {@code ts} and one
 * column per field ({@code NaN} = missing). See {@link BucketTelemetryStore} for the document
 * layout. Fields that a projection left out are empty ({@code ts} of length 0, no values).
 */
record Bucket(String id, String deviceId, long hour, long[] ts, Map<String, double[]> values) {
  static final long HOUR_MILLIS = 3_600_000L;

  static long hourOf(long epochMillis) {
    return Math.floorDiv(epochMillis, HOUR_MILLIS) * HOUR_MILLIS;
  }

  /** {@code <device>|<hour ISO-8601>}, e.g. {@code tracker-01|2026-05-15T10:00:00Z}. */
  static String idOf(String deviceId, long hour) {
    return deviceId + "|" + Instant.ofEpochMilli(hour);
  }
}
