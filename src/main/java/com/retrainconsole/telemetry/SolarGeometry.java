package com.retrainconsole.telemetry;

import java.time.LocalDate;

/**
 * Sun position (NOAA general solar position formulas, accurate to a fraction of a degree, plenty
 * for simulated telemetry) and the Haurwitz clear-sky irradiance.
 */
final class SolarGeometry {
  private static final double DAY_MILLIS = 86_400_000.0;

  private SolarGeometry() {}

  /** Zenith and azimuth (radians; azimuth clockwise from north) at {@code epochMillis}. */
  static double[] position(long epochMillis, double latDeg, double lonDeg) {
    long epochDay = Math.floorDiv(epochMillis, (long) DAY_MILLIS);
    LocalDate date = LocalDate.ofEpochDay(epochDay);
    double hourUtc = (epochMillis - epochDay * DAY_MILLIS) / 3_600_000.0;
    double gamma =
        2 * Math.PI / date.lengthOfYear() * (date.getDayOfYear() - 1 + (hourUtc - 12) / 24);
    double eqTimeMin =
        229.18
            * (0.000075
                + 0.001868 * Math.cos(gamma)
                - 0.032077 * Math.sin(gamma)
                - 0.014615 * Math.cos(2 * gamma)
                - 0.040849 * Math.sin(2 * gamma));
    double decl =
        0.006918
            - 0.399912 * Math.cos(gamma)
            + 0.070257 * Math.sin(gamma)
            - 0.006758 * Math.cos(2 * gamma)
            + 0.000907 * Math.sin(2 * gamma)
            - 0.002697 * Math.cos(3 * gamma)
            + 0.00148 * Math.sin(3 * gamma);
    double trueSolarMin = hourUtc * 60 + eqTimeMin + 4 * lonDeg;
    double hourAngle = Math.toRadians(trueSolarMin / 4 - 180);
    double lat = Math.toRadians(latDeg);
    double cosZenith =
        Math.sin(lat) * Math.sin(decl) + Math.cos(lat) * Math.cos(decl) * Math.cos(hourAngle);
    double zenith = Math.acos(Math.max(-1, Math.min(1, cosZenith)));
    double azimuth =
        Math.atan2(
                Math.sin(hourAngle),
                Math.cos(hourAngle) * Math.sin(lat) - Math.tan(decl) * Math.cos(lat))
            + Math.PI;
    return new double[] {zenith, azimuth % (2 * Math.PI)};
  }

  /** Haurwitz clear-sky global horizontal irradiance (W/m²); 0 with the sun below the horizon. */
  static double clearSkyGhi(double zenith) {
    double cosZ = Math.cos(zenith);
    return cosZ <= 0.01 ? 0 : 1098 * cosZ * Math.exp(-0.057 / cosZ);
  }

  /**
   * Clear-sky direct normal irradiance (W/m²): Meinel's 1361 × 0.7^(AM^0.678) with the Kasten–Young
   * air mass, so a low sun gives a weak beam instead of the huge one GHI/cos z would imply.
   */
  static double clearSkyDni(double zenith) {
    double zenithDeg = Math.toDegrees(zenith);
    if (zenithDeg >= 90) {
      return 0;
    }
    double airMass = 1 / (Math.cos(zenith) + 0.50572 * Math.pow(96.07995 - zenithDeg, -1.6364));
    return 1361 * Math.pow(0.7, Math.pow(airMass, 0.678));
  }

  /** Local mean solar time in hours (0..24) — what diurnal temperature and wind follow. */
  static double solarHour(long epochMillis, double lonDeg) {
    double hourUtc = Math.floorMod(epochMillis, (long) DAY_MILLIS) / 3_600_000.0;
    return ((hourUtc + lonDeg / 15) % 24 + 24) % 24;
  }
}
