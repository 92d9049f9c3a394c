package com.retrainconsole.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Writes a small site-style CSV ({@code timestamp,power_w,...}, times like {@code 2020-05-15 00:15:00}) with
 * plausible solar readings: a daylight arch scaled by a cloud level that changes every hour, so "same time
 * yesterday" is a weak predictor and a model on the sensor inputs beats it.
 */
final class TelemetryCsv {
  static final List<String> ALL_FIELDS = List.of("power_w", "irradiance_wm2", "ambient_temp_c", "module_temp_c");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private TelemetryCsv() {}

  /**
   * @param fields columns to write, from {@link #ALL_FIELDS}
   * @param blankField a field whose cells are all left empty (missing), or null
   */
  static Path write(Path file, LocalDateTime start, int rows, int stepMinutes, long seed, List<String> fields,
      String blankField) {
    Random random = new Random(seed);
    List<String> lines = new ArrayList<>();
    lines.add("timestamp," + String.join(",", fields));
    double cloud = 1;
    for (int i = 0; i < rows; i++) {
      LocalDateTime t = start.plusMinutes((long) i * stepMinutes);
      if (t.getMinute() == 0) {
        cloud = 0.3 + 0.7 * random.nextDouble();
      }
      double hour = t.getHour() + t.getMinute() / 60.0;
      double sun = Math.max(0, Math.sin(Math.PI * (hour - 6) / 12));
      double irradiance = 1000 * sun * cloud;
      double ambient = 15 + 8 * Math.sin(Math.PI * (hour - 9) / 12) + random.nextGaussian() * 0.3;
      double module = ambient + 0.03 * irradiance;
      double power = irradiance == 0 ? 0
          : Math.max(0, irradiance * 0.2 * (1 - 0.004 * (module - 25)) + random.nextGaussian() * 2);
      StringBuilder line = new StringBuilder(TIME.format(t));
      for (String f : fields) {
        double v = switch (f) {
          case "power_w" -> power;
          case "irradiance_wm2" -> irradiance;
          case "ambient_temp_c" -> ambient;
          case "module_temp_c" -> module;
          default -> throw new IllegalArgumentException(f);
        };
        line.append(',').append(f.equals(blankField) ? "" : String.format(Locale.ROOT, "%.3f", v));
      }
      lines.add(line.toString());
    }
    try {
      return Files.write(file, lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
