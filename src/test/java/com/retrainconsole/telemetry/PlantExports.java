package com.retrainconsole.telemetry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Two CSV files shaped like a public solar plant's exports (5 days, 15-minute rows): a weather
 * sensor file ({@code DATE_TIME,PLANT_ID,SOURCE_KEY,AMBIENT_TEMPERATURE,MODULE_TEMPERATURE,
 * IRRADIATION}, irradiation in kW/m²) and a generation file with one row per inverter per time
 * ({@code DATE_TIME,PLANT_ID,SOURCE_KEY,DC_POWER,AC_POWER,DAILY_YIELD,TOTAL_YIELD}).
 */
public final class PlantExports {
  public static final String SENSOR = "HmiyD2TTLFNqkNe";
  public static final List<String> INVERTERS =
      List.of("1BY6WEcLGh8j5v7", "1IF53ai7Xc0U56Y", "3PZuoBAID5Wc2HD", "7JYdWkrLSPkdwr4");
  public static final LocalDateTime START = LocalDateTime.parse("2020-05-15T00:00:00");
  public static final int ROWS = 5 * 96;

  private PlantExports() {}

  /** One 15-minute step of the synthetic plant. */
  public static final class Plant {
    public final double irradiation;
    public final double ambient;
    public final double module;
    final double dayFraction;

    public Plant(int row) {
      int slot = row % 96;
      dayFraction = slot / 96.0;
      irradiation = Math.max(0, Math.sin(Math.PI * (slot - 24) / 48.0)) * (1.0 + 0.02 * (row / 96));
      ambient = 22 + 6 * Math.sin(Math.PI * (slot - 30) / 48.0) + 0.01 * row;
      module = ambient + 25 * irradiation;
    }

    public double dc(int inverter) {
      return Math.round(irradiation * 10_000 * (1 - 0.03 * inverter) * 1000) / 1000.0;
    }

    public double ac(int inverter) {
      return Math.round(dc(inverter) * 0.0977 * 1000) / 1000.0;
    }

    public double dailyYield(int inverter) {
      return Math.round(dayFraction * 6000 * (1 - 0.03 * inverter) * 10) / 10.0;
    }
  }

  /** Writes both files: weather {@code yyyy-MM-dd HH:mm:ss}, generation {@code dd-MM-yyyy HH:mm}. */
  public static void write(Path weather, Path generation) throws IOException {
    DateTimeFormatter weatherTime = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    DateTimeFormatter generationTime = DateTimeFormatter.ofPattern("dd-MM-yyyy HH:mm");
    StringBuilder w =
        new StringBuilder(
            "DATE_TIME,PLANT_ID,SOURCE_KEY,AMBIENT_TEMPERATURE,MODULE_TEMPERATURE,IRRADIATION\n");
    StringBuilder g =
        new StringBuilder(
            "DATE_TIME,PLANT_ID,SOURCE_KEY,DC_POWER,AC_POWER,DAILY_YIELD,TOTAL_YIELD\n");
    for (int row = 0; row < ROWS; row++) {
      LocalDateTime t = START.plusMinutes(15L * row);
      Plant p = new Plant(row);
      w.append(t.format(weatherTime)).append(",4135001,").append(SENSOR).append(',')
          .append(p.ambient).append(',').append(p.module).append(',').append(p.irradiation)
          .append('\n');
      for (int k = 0; k < INVERTERS.size(); k++) {
        g.append(t.format(generationTime)).append(",4135001,").append(INVERTERS.get(k))
            .append(',').append(p.dc(k)).append(',').append(p.ac(k)).append(',')
            .append(p.dailyYield(k)).append(',').append(6_259_559 + 7000L * k + row).append('\n');
      }
    }
    Files.writeString(weather, w);
    Files.writeString(generation, g);
  }
}
