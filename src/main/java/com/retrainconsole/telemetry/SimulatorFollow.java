package com.retrainconsole.telemetry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Live readings for the simulator's devices, written as (simulated) time passes: {@code simulate --follow}.
 *
 * <p>Each device resumes after its newest stored reading (at most {@code maxCatchUp} back; a device with
 * no data starts now) and every {@link #tick()} writes the readings due up to {@link #simulatedNow()}.
 * Readings come from the {@link Simulator}'s own generator (weather, soiling, cleaning, gaps, stuck
 * sensors), run per calendar month (UTC) from the month's start with a seed of (seed, month): the reading
 * at a timestamp depends only on the seed, device, site and interval, never on when ticks happened, so a
 * restart writes exactly what an uninterrupted run would have, and rewriting is a no-op (the bucket store
 * reports already-present readings).
 *
 * <p>decision: the month restart (state re-drawn at 00:00 UTC on the 1st) is the price of determinism
 * without replaying history from an arbitrary origin; generating up to a month of steps to resume costs a
 * few ms at 5-minute readings. Time comes from a {@link Clock}; {@code speedup} runs simulated time faster
 * than the clock (60 = one simulated minute per second) from the moment the follower is created.
 */
public final class SimulatorFollow {
  /** What to follow; {@code speedup} ≥ 1 (1 = real time), {@code maxCatchUp} bounds the first batch. */
  public record Options(
      List<String> devices, Duration interval, long seed, double lat, double lon, ZoneId zone, double speedup,
      Duration maxCatchUp) {
    public Options {
      devices = List.copyOf(devices);
      if (!(speedup >= 1) || Double.isInfinite(speedup)) {
        throw new IllegalArgumentException("speedup must be at least 1, not " + speedup);
      }
      maxCatchUp = maxCatchUp == null ? Duration.ofDays(1) : maxCatchUp;
      // validates devices, interval and site the same way as a history run
      new SimulatorConfig(devices, Instant.EPOCH.plus(Duration.ofDays(1)), 1, interval, seed, lat, lon, zone);
    }
  }

  /** One batch: readings written and already present per device, up to {@code until} (simulated time). */
  public record Batch(Instant until, Map<String, WriteSummary> perDevice) {
    public long written() {
      return perDevice.values().stream().mapToLong(WriteSummary::written).sum();
    }

    public long alreadyPresent() {
      return perDevice.values().stream().mapToLong(WriteSummary::alreadyPresent).sum();
    }
  }

  private final BucketTelemetryStore telemetry;
  private final Options options;
  private final Clock clock;
  private final Instant realOrigin;
  private final long interval;
  private final Map<String, Long> writtenUpTo = new HashMap<>(); // per device, inclusive, ms
  private final Map<String, MonthSimulation> sims = new HashMap<>();

  public SimulatorFollow(BucketTelemetryStore telemetry, DeviceRepository devices, Options options, Clock clock) {
    this.telemetry = telemetry;
    this.options = options;
    this.clock = clock;
    this.realOrigin = clock.instant();
    this.interval = options.interval().toMillis();
    long now = simulatedNow().toEpochMilli();
    for (String device : options.devices()) {
      if (devices != null) {
        devices.upsert(DeviceConfig.of(device).withLocation(options.lat(), options.lon(), options.zone()));
      }
      long floor = now - options.maxCatchUp().toMillis();
      long resume = telemetry.newest(device).map(Instant::toEpochMilli).map(t -> Math.max(t, floor))
          .orElse(now - interval);
      writtenUpTo.put(device, resume);
    }
  }

  public Options options() {
    return options;
  }

  /** Simulated time: the clock, run {@code speedup} times faster since this follower was created. */
  public Instant simulatedNow() {
    long real = clock.millis() - realOrigin.toEpochMilli();
    return realOrigin.plusMillis((long) Math.floor(real * options.speedup()));
  }

  /** Writes every device's readings after its last written time up to now (simulated). */
  public Batch tick() {
    long now = simulatedNow().toEpochMilli();
    Map<String, WriteSummary> perDevice = new LinkedHashMap<>();
    for (String device : options.devices()) {
      long after = writtenUpTo.get(device);
      WriteSummary total = WriteSummary.EMPTY;
      if (now > after) {
        TelemetryWindow w = readings(device, after, now);
        if (w.size() > 0) {
          total = telemetry.write(device, w.ts(), w.columns());
        }
        writtenUpTo.put(device, now);
      }
      perDevice.put(device, total);
    }
    return new Batch(Instant.ofEpochMilli(now), perDevice);
  }

  /**
   * Ticks until {@code stop} says so, one batch per interval of simulated time (interval / speedup of real
   * time), reporting a line per batch. {@code sleeper} waits real milliseconds (Thread::sleep in use).
   */
  public void run(Consumer<Batch> onBatch, BooleanSupplier stop, Sleeper sleeper) throws InterruptedException {
    long pause = Math.max(10, (long) (interval / options.speedup()));
    while (!stop.getAsBoolean()) {
      onBatch.accept(tick());
      sleeper.sleep(pause);
    }
  }

  /** Waits real time; tests pass one that moves their clock instead. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  /** The readings of one device with timestamps in (after, upTo], generated month by month. */
  TelemetryWindow readings(String device, long after, long upTo) {
    Map<String, double[]> columns = new LinkedHashMap<>();
    long[] ts = new long[0];
    long from = after;
    while (from < upTo) {
      YearMonth month = YearMonth.from(Instant.ofEpochMilli(from + 1).atZone(ZoneOffset.UTC));
      long monthEnd = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      long to = Math.min(upTo, monthEnd - 1);
      TelemetryWindow part = sim(device, month).between(from, to);
      ts = concat(ts, part.ts());
      for (Map.Entry<String, double[]> c : part.columns().entrySet()) {
        columns.merge(c.getKey(), c.getValue(), SimulatorFollow::concat);
      }
      from = to;
    }
    if (columns.isEmpty()) {
      for (String f : Simulator.FIELDS) {
        columns.put(f, new double[0]);
      }
    }
    return new TelemetryWindow(device, ts, columns);
  }

  private MonthSimulation sim(String device, YearMonth month) {
    MonthSimulation s = sims.get(device);
    if (s == null || !s.month.equals(month)) {
      s = new MonthSimulation(device, month);
      sims.put(device, s);
    }
    return s;
  }

  /** The simulator over one UTC month, stepped forward only; rebuilt when asked for an earlier time. */
  private final class MonthSimulation {
    final YearMonth month;
    final String device;
    final SimulatorConfig config;
    Simulator.DeviceSimulation sim;

    MonthSimulation(String device, YearMonth month) {
      this.device = device;
      this.month = month;
      Instant end = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      long monthIndex = month.getYear() * 12L + month.getMonthValue();
      this.config = new SimulatorConfig(List.of(device), end, month.lengthOfMonth(), options.interval(),
          options.seed() * 1_000_003L + monthIndex, options.lat(), options.lon(), options.zone());
      this.sim = new Simulator.DeviceSimulation(config, device);
    }

    /** Readings with timestamps in (after, upTo]. */
    TelemetryWindow between(long after, long upTo) {
      long start = config.startMillis();
      int first = (int) Math.max(0, Math.floorDiv(after - start, interval) + 1);
      int last = (int) Math.min(sim.totalSteps - 1L, Math.floorDiv(upTo - start, interval));
      if (first < sim.step) {
        sim = new Simulator.DeviceSimulation(config, device);
      }
      if (first > sim.step) {
        sim.next(first - sim.step); // fast-forward: same random sequence, readings discarded
      }
      return sim.next(Math.max(0, last - first + 1));
    }
  }

  private static long[] concat(long[] a, long[] b) {
    long[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  private static double[] concat(double[] a, double[] b) {
    double[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
