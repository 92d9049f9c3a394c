package com.retrainconsole.telemetry;

import com.retrainconsole.common.ProgressListener;
import com.retrainconsole.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Plausible single-axis solar-tracker telemetry for demos, tests and benchmarks, deterministic by
 * seed (docs/ARCHITECTURE.md §3). Per step: sun position from time and site → Haurwitz clear-sky global and
 * Meinel beam irradiance × a persistent cloud process (clear / broken / overcast regimes, AR(1)
 * clear-sky index inside each) → split into beam and diffuse → plane-of-array irradiance on a
 * horizontal N-S tracker (±55°, stowed at night and in high wind) → ambient temperature (seasonal +
 * diurnal + slow weather anomaly) → module temperature (NOCT model with wind, ~8 min thermal lag) →
 * power = capacity × POA/1000 × (1 + γ(T_mod − 25)) × (1 − soiling), clipped by the inverter.
 * Soiling grows ~0.2 %/day (per device) and is reset by cleaning and partly washed off by rain.
 * Sensors add noise; readings go missing in short gaps and rare outages; sensors occasionally stick
 * on one value for hours. Power is the meter and never sticks.
 *
 * <p>decision: the irradiance sensor is a cleaned reference cell, so soiling shows up as a falling
 * power/irradiance ratio — the slow drift that makes retraining worthwhile in the demo.
 */
public final class Simulator {
  public static final String POWER = CanonicalFields.POWER;
  public static final String IRRADIANCE = CanonicalFields.IRRADIANCE;
  public static final String AMBIENT = CanonicalFields.AMBIENT;
  public static final String MODULE = CanonicalFields.MODULE;
  public static final String WIND = CanonicalFields.WIND;
  public static final String TRACKER = CanonicalFields.TRACKER;
  static final String[] FIELDS = {POWER, IRRADIANCE, AMBIENT, MODULE, WIND, TRACKER};
  private static final long DAY_MILLIS = 86_400_000L;

  private Simulator() {}

  /** All readings of one device over the configured window, without writing anything. */
  public static TelemetryWindow generate(SimulatorConfig config, String deviceId) {
    DeviceSimulation sim = new DeviceSimulation(config, deviceId);
    return sim.next(sim.totalSteps);
  }

  /**
   * Simulates and stores every device, one day per device per write; upserts each device's config.
   */
  public static SimulatorResult simulate(
      Store store, SimulatorConfig config, ProgressListener progress) {
    return simulate(new BucketTelemetryStore(store), new DeviceRepository(store), config, progress);
  }

  /**
   * As {@link #simulate(Store, SimulatorConfig, ProgressListener)}; {@code devices} may be null
   * (benchmarks).
   */
  public static SimulatorResult simulate(
      BucketTelemetryStore telemetry,
      DeviceRepository devices,
      SimulatorConfig config,
      ProgressListener progress) {
    WriteSummary total = WriteSummary.EMPTY;
    for (String deviceId : config.devices()) {
      if (devices != null) {
        devices.upsert(
            DeviceConfig.of(deviceId).withLocation(config.lat(), config.lon(), config.zone()));
      }
      String stage = "simulate " + deviceId;
      progress.update(stage, 0);
      DeviceSimulation sim = new DeviceSimulation(config, deviceId);
      int stepsPerDay =
          (int) Math.max(1, (DAY_MILLIS + config.intervalMillis() - 1) / config.intervalMillis());
      while (sim.step < sim.totalSteps) {
        TelemetryWindow day = sim.next(Math.min(stepsPerDay, sim.totalSteps - sim.step));
        total = total.plus(telemetry.write(deviceId, day.ts(), day.columns()));
        progress.update(stage, sim.step / (double) sim.totalSteps);
      }
    }
    return new SimulatorResult(
        config.devices(),
        Instant.ofEpochMilli(config.startMillis()),
        Instant.ofEpochMilli(config.endMillis()),
        total.written(),
        total.alreadyPresent());
  }

  /**
   * Stable per-device seed: the run seed mixed with an FNV-1a hash of the id (String.hashCode is
   * too weak).
   */
  static long deviceSeed(long seed, String deviceId) {
    long h = 0xcbf29ce484222325L;
    for (byte b : deviceId.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    long z = seed ^ h;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** One device's weather, plant and sensors, stepped forward in time. */
  static final class DeviceSimulation {
    private static final int CLEAR = 0;
    private static final int BROKEN = 1;
    private static final int OVERCAST = 2;
    private static final double[] K_MEAN = {0.97, 0.65, 0.28};
    private static final double[] K_SD = {0.02, 0.2, 0.08};
    private static final double[] K_TAU_H = {2.0, 0.3, 1.5};
    private static final int STUCK_IRRADIANCE = 0;
    private static final int STUCK_AMBIENT = 1;
    private static final int STUCK_MODULE = 2;
    private static final int STUCK_WIND = 3;

    private final SimulatorConfig config;
    private final String deviceId;
    private final Random
        rng; // decision: java.util.Random's sequence is fixed by its spec on every JDK
    private final long start;
    private final long interval;
    private final double dtHours;
    final int totalSteps;
    int step;

    // plant, fixed per device
    private final double capacityW;
    private final double soilingPerDay;
    private final double gamma;
    private final double noct;
    private final double cleaningEveryDays;

    // weather and plant state
    private int regime = CLEAR;
    private double clearIndex = K_MEAN[CLEAR];
    private boolean raining;
    private double tempAnomaly;
    private double windAnomaly;
    private double soiling;
    private double moduleTemp = Double.NaN;
    private int gapLeft;
    private final int[] stuckLeft = new int[4];
    private final double[] stuckValue = new double[4];
    private final double[] lastValue = new double[4];

    DeviceSimulation(SimulatorConfig config, String deviceId) {
      this.config = config;
      this.deviceId = deviceId;
      this.rng = new Random(deviceSeed(config.seed(), deviceId));
      this.start = config.startMillis();
      this.interval = config.intervalMillis();
      this.dtHours = interval / 3_600_000.0;
      this.totalSteps = (int) ((config.endMillis() - start + interval - 1) / interval);
      this.capacityW = 25_000 * (0.9 + 0.2 * rng.nextDouble());
      this.soilingPerDay = 0.002 * (0.7 + 0.7 * rng.nextDouble());
      this.gamma = -0.004 * (0.9 + 0.2 * rng.nextDouble());
      this.noct = 45 + 4 * (rng.nextDouble() - 0.5);
      this.cleaningEveryDays = 30 + 30 * rng.nextDouble();
      this.soiling =
          soilingPerDay * cleaningEveryDays * rng.nextDouble(); // somewhere in a cleaning cycle
      this.tempAnomaly = 2 * rng.nextGaussian();
    }

    /** Current soiling loss (0..0.3); tests relate it to the power/irradiance ratio. */
    double soiling() {
      return soiling;
    }

    /** The next {@code steps} readings (fewer when some fall in gaps). */
    TelemetryWindow next(int steps) {
      long[] ts = new long[steps];
      double[][] out = new double[FIELDS.length][steps];
      int n = 0;
      double[] reading = new double[FIELDS.length];
      for (int i = 0; i < steps; i++, step++) {
        long t = start + step * interval;
        if (advance(t, reading)) {
          ts[n] = t;
          for (int f = 0; f < FIELDS.length; f++) {
            out[f][n] = reading[f];
          }
          n++;
        }
      }
      Map<String, double[]> columns = new LinkedHashMap<>();
      for (int f = 0; f < FIELDS.length; f++) {
        columns.put(FIELDS[f], Arrays.copyOf(out[f], n));
      }
      return new TelemetryWindow(deviceId, Arrays.copyOf(ts, n), columns);
    }

    /**
     * Moves the state to {@code t}; fills {@code reading} and returns true unless the reading is
     * missing.
     */
    private boolean advance(long t, double[] reading) {
      LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(t, DAY_MILLIS));
      int doy = date.getDayOfYear();
      // 1 in midsummer, 0 in midwinter, for either hemisphere
      double summer =
          0.5 + 0.5 * Math.cos(2 * Math.PI * (doy - (config.lat() >= 0 ? 172 : 355)) / 365.0);

      // clouds: regime Markov chain with hourly persistence, AR(1) clear-sky index inside the
      // regime
      double[] stayPerHour = {0.95 + 0.03 * summer, 0.85, 0.93 - 0.06 * summer};
      double u = rng.nextDouble();
      if (u > Math.pow(stayPerHour[regime], dtHours)) {
        double v = rng.nextDouble();
        regime =
            switch (regime) {
              case CLEAR -> v < 0.75 ? BROKEN : OVERCAST;
              case BROKEN -> v < 0.45 + 0.3 * summer ? CLEAR : OVERCAST;
              default -> v < 0.7 ? BROKEN : CLEAR;
            };
      }
      double phi = Math.exp(-dtHours / K_TAU_H[regime]);
      clearIndex =
          K_MEAN[regime]
              + phi * (clearIndex - K_MEAN[regime])
              + K_SD[regime] * Math.sqrt(1 - phi * phi) * rng.nextGaussian();
      clearIndex = Math.max(0.05, Math.min(1.08, clearIndex));
      // rain comes in overcast spells and washes part of the dirt off
      if (regime != OVERCAST) {
        raining = false;
      } else if (!raining) {
        raining = rng.nextDouble() < dtHours * 0.1; // starts about once per ten overcast hours
      } else {
        raining = rng.nextDouble() >= dtHours * 0.5; // lasts about two hours
      }
      if (raining) {
        soiling *= Math.exp(-dtHours * 1.5);
      }
      soiling = Math.min(0.3, soiling + soilingPerDay * dtHours / 24);
      if (rng.nextDouble() < dtHours / 24 / cleaningEveryDays) {
        soiling = 0; // crew cleaned the row
      }

      // sun and irradiance
      double[] sun = SolarGeometry.position(t, config.lat(), config.lon());
      double zenith = sun[0];
      double azimuth = sun[1];
      double cosZ = Math.cos(zenith);
      double clearGhi = SolarGeometry.clearSkyGhi(zenith);
      double clearDni = SolarGeometry.clearSkyDni(zenith);
      double ghi = clearGhi * clearIndex;
      double beam = Math.pow(Math.max(0, Math.min(1, (clearIndex - 0.25) / 0.72)), 1.5);
      double dni = cosZ > 0.01 ? Math.min(clearDni * beam, ghi / cosZ) : 0;
      double dhi = Math.max(0, ghi - dni * cosZ);

      // weather: wind with an afternoon peak, temperature with seasons, days and weather spells
      double solarHour = SolarGeometry.solarHour(t, config.lon());
      double windPhi = Math.exp(-dtHours / 3);
      windAnomaly =
          windPhi * windAnomaly + 1.5 * Math.sqrt(1 - windPhi * windPhi) * rng.nextGaussian();
      double wind =
          Math.max(
              0,
              2.8
                  + 1.4 * Math.sin(2 * Math.PI * (solarHour - 9) / 24)
                  + windAnomaly
                  + (regime == OVERCAST ? 1.0 : 0));
      double tempPhi = Math.exp(-dtHours / 48);
      tempAnomaly =
          tempPhi * tempAnomaly + 2.5 * Math.sqrt(1 - tempPhi * tempPhi) * rng.nextGaussian();
      double seasonal = 16 + 9 * (2 * summer - 1);
      double diurnalAmplitude = 3 + 4 * Math.min(1, clearIndex);
      double ambient =
          seasonal
              + diurnalAmplitude * Math.cos(2 * Math.PI * (solarHour - 15) / 24)
              + tempAnomaly
              - (raining ? 2 : 0);

      // tracker: rotate about the N-S axis towards the sun, limited to ±55°, flat at night and in
      // gusts
      double east = Math.sin(zenith) * Math.sin(azimuth);
      double rotation = cosZ > 0 ? Math.atan2(east, cosZ) : 0;
      rotation = Math.max(Math.toRadians(-55), Math.min(Math.toRadians(55), rotation));
      if (wind > 15) {
        rotation = 0;
      }
      double cosAoi = cosZ > 0 ? east * Math.sin(rotation) + cosZ * Math.cos(rotation) : 0;
      double poa =
          cosZ > 0.01
              ? dni * Math.max(0, cosAoi)
                  + dhi * (1 + Math.cos(rotation)) / 2
                  + ghi * 0.2 * (1 - Math.cos(rotation)) / 2
              : 0;

      // module temperature: NOCT steady state with wind cooling (calm counted as 1 m/s: free
      // convection),
      // reached with a few minutes of lag
      double steady = ambient + poa * (noct - 20) / 800 * 9.5 / (5.7 + 3.8 * Math.max(1, wind));
      moduleTemp =
          Double.isNaN(moduleTemp)
              ? steady
              : steady + (moduleTemp - steady) * Math.exp(-dtHours * 60 / 8);

      double power = capacityW * poa / 1000 * (1 + gamma * (moduleTemp - 25)) * (1 - soiling);
      power =
          poa < 5
              ? 0
              : Math.max(0, Math.min(0.95 * capacityW, power * (1 + 0.004 * rng.nextGaussian())));

      // sensors (noise drawn every step so the random sequence does not depend on gaps)
      double irradianceSensor =
          Math.max(0, poa * (1 + 0.01 * rng.nextGaussian()) + 1.5 * rng.nextGaussian());
      double ambientSensor = ambient + 0.15 * rng.nextGaussian();
      double moduleSensor = moduleTemp + 0.2 * rng.nextGaussian();
      double windSensor = Math.max(0, wind * (1 + 0.05 * rng.nextGaussian()));
      double trackerSensor =
          -Math.toDegrees(rotation) + 0.1 * rng.nextGaussian(); // + = facing west
      double[] sensed = {irradianceSensor, ambientSensor, moduleSensor, windSensor};
      for (int s = 0; s < sensed.length; s++) {
        if (stuckLeft[s] > 0) {
          stuckLeft[s]--;
          sensed[s] = stuckValue[s];
        } else if (rng.nextDouble() < dtHours / 24 / 25) { // about once in 25 days per sensor
          stuckLeft[s] = (int) Math.ceil((1 + 5 * rng.nextDouble()) / dtHours);
          stuckValue[s] = lastValue[s];
          sensed[s] = stuckValue[s];
        }
        lastValue[s] = sensed[s];
      }

      // gaps: short dropouts now and then, an outage of a few hours about once a month
      boolean missing = gapLeft > 0;
      if (missing) {
        gapLeft--;
      } else {
        double g = rng.nextDouble();
        if (g < 0.003) {
          gapLeft = 1 + rng.nextInt(6);
        } else if (g < 0.003 + dtHours / 24 / 30) {
          gapLeft = (int) Math.ceil((2 + 6 * rng.nextDouble()) / dtHours);
        }
      }
      reading[0] = power;
      reading[1] = sensed[STUCK_IRRADIANCE];
      reading[2] = sensed[STUCK_AMBIENT];
      reading[3] = sensed[STUCK_MODULE];
      reading[4] = sensed[STUCK_WIND];
      reading[5] = trackerSensor;
      return !missing;
    }
  }
}
