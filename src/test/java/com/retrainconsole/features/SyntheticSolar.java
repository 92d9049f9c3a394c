package com.retrainconsole.features;

import com.retrainconsole.telemetry.TelemetryWindow;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Deterministic synthetic solar-tracker telemetry for tests and the benchmark: sun elevation from
 * latitude, longitude and time; clear-sky irradiance times a persistent cloud process; diurnal ambient
 * temperature; module temperature rising with irradiance; power = k * irradiance * (1 + gamma (Tm - 25))
 * plus noise; exact zeros at night; occasional gaps (missing rows) and NaN readings.
 */
public final class SyntheticSolar {
  public static final ZoneId ZONE = ZoneId.of("Europe/Madrid");
  public static final Instant START = Instant.parse("2026-05-01T00:00:00Z");
  private static final double LAT = Math.toRadians(37.4);
  private static final double LON_DEG = -5.9;
  private static final double K = 5.0; // W per W/m2: a 5 kW tracker
  private static final double GAMMA = -0.004;

  private SyntheticSolar() {}

  /** {@code rows} readings every {@code stepMinutes}, with gaps and NaNs when {@code messy}. */
  public static TelemetryWindow window(int rows, int stepMinutes, long seed, boolean messy) {
    Random rnd = new Random(seed);
    long step = stepMinutes * 60_000L;
    List<Long> ts = new ArrayList<>(rows);
    double[] irr = new double[rows];
    double[] amb = new double[rows];
    double[] mod = new double[rows];
    double[] pow = new double[rows];
    double cloud = 1;
    long t = START.toEpochMilli();
    int i = 0;
    while (i < rows) {
      t += step;
      // cloud cover drifts slowly (AR(1)) and is clamped to 0.15..1
      cloud = Math.max(0.15, Math.min(1, cloud + 0.08 * rnd.nextGaussian() * Math.sqrt(stepMinutes / 5.0)
          + 0.02 * (0.85 - cloud)));
      if (messy && rnd.nextDouble() < 0.002) {
        t += step * (1 + rnd.nextInt(24)); // a gap of up to 2 h of missing rows
      }
      double clear = clearSky(t);
      double g = clear * cloud;
      double dayFrac = Math.floorMod(t + 3_600_000L, 86_400_000L) / 86_400_000.0;
      double a = 20 + 7 * Math.sin(2 * Math.PI * (dayFrac - 0.375)) + 0.3 * rnd.nextGaussian();
      double m = a + 0.028 * g + (g > 0 ? 0.5 * rnd.nextGaussian() : 0);
      double p = g > 0 ? Math.max(0, K * g * (1 + GAMMA * (m - 25)) + 25 * rnd.nextGaussian()) : 0;
      double gMeasured = g > 0 ? Math.max(0, g + 5 * rnd.nextGaussian()) : 0;
      ts.add(t);
      irr[i] = gMeasured;
      amb[i] = a;
      mod[i] = m;
      pow[i] = p;
      if (messy && rnd.nextDouble() < 0.003) {
        irr[i] = Double.NaN;
      }
      if (messy && rnd.nextDouble() < 0.003) {
        pow[i] = Double.NaN;
      }
      i++;
    }
    long[] tsa = ts.stream().mapToLong(Long::longValue).toArray();
    Map<String, double[]> cols = new LinkedHashMap<>();
    cols.put("power_w", pow);
    cols.put("irradiance_wm2", irr);
    cols.put("ambient_temp_c", amb);
    cols.put("module_temp_c", mod);
    return new TelemetryWindow("tracker-7", tsa, cols);
  }

  /** Plane-of-array irradiance for a tracker: roughly 1000 sin(elevation)^0.6 when the sun is up. */
  static double clearSky(long epochMillis) {
    double days = epochMillis / 86_400_000.0;
    // days since 1970 mod 365 is within ~2 weeks of the day of year: close enough for a season
    double dayOfYear = (days - Math.floor(days)) + ((long) Math.floor(days) % 365);
    double decl = Math.toRadians(23.44) * Math.sin(2 * Math.PI * (284 + dayOfYear) / 365.0);
    double utcHours = (days - Math.floor(days)) * 24;
    double solarHours = utcHours + LON_DEG / 15.0;
    double hourAngle = Math.toRadians(15 * (solarHours - 12));
    double sinEl = Math.sin(LAT) * Math.sin(decl) + Math.cos(LAT) * Math.cos(decl) * Math.cos(hourAngle);
    return sinEl <= 0 ? 0 : 1000 * Math.pow(sinEl, 0.6);
  }
}
