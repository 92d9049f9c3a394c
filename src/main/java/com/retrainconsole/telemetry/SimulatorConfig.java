package com.retrainconsole.telemetry;

import com.retrainconsole.common.DeviceIds;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * What to simulate: {@code days} of readings every {@code interval} ending at {@code end}
 * (exclusive, rounded down to the interval) for each device at one site ({@code lat}, {@code lon},
 * time zone {@code zone} recorded on the device). Same config, same readings.
 */
public record SimulatorConfig(
    List<String> devices,
    Instant end,
    int days,
    Duration interval,
    long seed,
    double lat,
    double lon,
    ZoneId zone) {
  public static final double DEFAULT_LAT = 37.1;
  public static final double DEFAULT_LON = -3.6;
  public static final ZoneId DEFAULT_ZONE = ZoneId.of("Europe/Madrid");
  public static final int DEFAULT_DAYS = 30;
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);
  public static final long DEFAULT_SEED = 42;

  public SimulatorConfig {
    devices = List.copyOf(devices);
    if (devices.isEmpty()) {
      throw new IllegalArgumentException("no devices to simulate");
    }
    devices.forEach(DeviceIds::require);
    if (days < 1) {
      throw new IllegalArgumentException("days must be at least 1, not " + days);
    }
    if (interval.toSeconds() < 1 || interval.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("interval must be between 1 s and 1 h, not " + interval);
    }
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180) {
      throw new IllegalArgumentException("lat/lon out of range: " + lat + ", " + lon);
    }
    zone = zone == null ? ZoneId.of("UTC") : zone;
  }

  /** A site whose time zone is not known: recorded as UTC. */
  public SimulatorConfig(
      List<String> devices,
      Instant end,
      int days,
      Duration interval,
      long seed,
      double lat,
      double lon) {
    this(devices, end, days, interval, seed, lat, lon, ZoneId.of("UTC"));
  }

  /** 30 days every 5 minutes, seed 42, at a sunny site in southern Spain (37.1 N, 3.6 W). */
  public static SimulatorConfig defaults(List<String> devices, Instant end) {
    return new SimulatorConfig(
        devices,
        end,
        DEFAULT_DAYS,
        DEFAULT_INTERVAL,
        DEFAULT_SEED,
        DEFAULT_LAT,
        DEFAULT_LON,
        DEFAULT_ZONE);
  }

  public SimulatorConfig withDays(int newDays) {
    return new SimulatorConfig(devices, end, newDays, interval, seed, lat, lon, zone);
  }

  public SimulatorConfig withSeed(long newSeed) {
    return new SimulatorConfig(devices, end, days, interval, newSeed, lat, lon, zone);
  }

  public SimulatorConfig withInterval(Duration newInterval) {
    return new SimulatorConfig(devices, end, days, newInterval, seed, lat, lon, zone);
  }

  long intervalMillis() {
    return interval.toMillis();
  }

  /** First reading time (inclusive). */
  long startMillis() {
    return endMillis() - days * 86_400_000L;
  }

  /** Rounded-down end (exclusive). */
  long endMillis() {
    return Math.floorDiv(end.toEpochMilli(), intervalMillis()) * intervalMillis();
  }
}
