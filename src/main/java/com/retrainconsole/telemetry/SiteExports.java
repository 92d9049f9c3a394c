package com.retrainconsole.telemetry;

import com.mongodb.client.MongoCollection;
import com.retrainconsole.common.DeviceIds;
import com.retrainconsole.common.UserException;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.bson.Document;

/**
 * Sample data in the shapes real sites deliver, built on the simulator's physics, so a newcomer can try the
 * "bring your own data" recipes without a plant: (1) a plant's two CSV exports — a weather-sensor file and
 * an inverter generation file with one row per inverter per timestamp, text id columns, a constant plant
 * id, irradiance in kW/m², power in kW and a different date format in each file; (2) a per-reading MongoDB
 * collection as a site's own backend writes it (one document per reading, site field names, a text status).
 */
public final class SiteExports {
  public static final String WEATHER_FILE = "weather_sensor.csv";
  public static final String GENERATION_FILE = "generation.csv";
  static final long PLANT_ID = 4135001;
  static final String SENSOR_KEY = "HmiyD2TTLFNqkNe";
  /** The inverters of the sample plant, in file order. */
  public static final List<String> INVERTERS = List.of("1BY6WEcLGh8j5v7", "1IF53ai7Xc0U56Y");
  private static final DateTimeFormatter WEATHER_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final DateTimeFormatter GENERATION_TIME = DateTimeFormatter.ofPattern("M/d/yyyy H:mm");
  private static final Duration STEP = Duration.ofMinutes(15);

  private SiteExports() {}

  /** What was written, for the command's report. */
  public record Written(List<String> targets, long rows) {}

  /** Writes {@link #WEATHER_FILE} and {@link #GENERATION_FILE} into {@code dir} (site-local times). */
  public static Written writeCsv(Path dir, int days, Instant end, ZoneId zone, long seed) {
    TelemetryWindow w = simulate(days, end, zone, seed);
    Random rng = new Random(seed);
    try {
      Files.createDirectories(dir);
      Path weather = dir.resolve(WEATHER_FILE);
      Path generation = dir.resolve(GENERATION_FILE);
      long rows = 0;
      try (Writer out = Files.newBufferedWriter(weather, StandardCharsets.UTF_8)) {
        out.write("DATE_TIME,PLANT_ID,SOURCE_KEY,AMBIENT_TEMPERATURE,MODULE_TEMPERATURE,IRRADIATION\n");
        for (int i = 0; i < w.size(); i++) {
          out.write(local(w.ts()[i], zone, WEATHER_TIME) + "," + PLANT_ID + "," + SENSOR_KEY + ","
              + cell(value(w, CanonicalFields.AMBIENT, i)) + "," + cell(value(w, CanonicalFields.MODULE, i)) + ","
              + cell(value(w, CanonicalFields.IRRADIANCE, i) / 1000.0) + "\n");
          rows++;
        }
      }
      double[] yield = new double[INVERTERS.size()];
      double[] total = {7_260_000, 6_183_000};
      try (Writer out = Files.newBufferedWriter(generation, StandardCharsets.UTF_8)) {
        out.write("DATE_TIME,PLANT_ID,SOURCE_KEY,DC_POWER,AC_POWER,DAILY_YIELD,TOTAL_YIELD\n");
        for (int i = 0; i < w.size(); i++) {
          if (i > 0 && w.ts()[i] / 86_400_000L != w.ts()[i - 1] / 86_400_000L) {
            java.util.Arrays.fill(yield, 0);
          }
          for (int k = 0; k < INVERTERS.size(); k++) {
            // each inverter carries half the plant with its own small mismatch; kW as the exports give it
            double power = value(w, CanonicalFields.POWER, i);
            if (Double.isNaN(power)) {
              continue; // the inverter logged nothing in that slot
            }
            double ac = Math.max(0, power / 1000.0 * (0.5 + 0.01 * (k - 0.5))
                * (1 + 0.005 * rng.nextGaussian()));
            double dc = ac / 0.975;
            double energy = ac * STEP.toMinutes() / 60.0;
            yield[k] += energy;
            total[k] += energy;
            out.write(String.format(Locale.ROOT, "%s,%d,%s,%.4f,%.4f,%.3f,%.1f%n",
                local(w.ts()[i], zone, GENERATION_TIME), PLANT_ID, INVERTERS.get(k), dc, ac, yield[k], total[k]));
            rows++;
          }
        }
      }
      return new Written(List.of(weather.toString(), generation.toString()), rows);
    } catch (IOException e) {
      throw new UserException("Cannot write the sample files into " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Fills {@code collection} with one document per reading per sensor: {@code {sensor, recorded_at, pac_w,
   * poa_irr, t_amb, t_mod, status}}; refused for the app's own collections and for a collection that
   * already holds documents (nothing of a site's is ever overwritten).
   */
  public static Written writeCollection(Store store, String collection, List<String> sensors, int days,
      Instant end, long seed) {
    if (Collections.ALL.contains(collection)) {
      throw new UserException("'" + collection + "' is one of the app's own collections; name another one");
    }
    sensors.forEach(DeviceIds::require);
    MongoCollection<Document> c = store.collection(collection);
    if (c.countDocuments() > 0) {
      throw new UserException("collection '" + collection + "' already holds documents; name a new one");
    }
    long rows = 0;
    for (int s = 0; s < sensors.size(); s++) {
      TelemetryWindow w = simulate(days, end, ZoneId.of("UTC"), seed + s);
      List<Document> batch = new ArrayList<>();
      for (int i = 0; i < w.size(); i++) {
        Document d = new Document("sensor", sensors.get(s)).append("recorded_at", new Date(w.ts()[i]));
        putIfReading(d, "pac_w", value(w, CanonicalFields.POWER, i));
        putIfReading(d, "poa_irr", value(w, CanonicalFields.IRRADIANCE, i));
        putIfReading(d, "t_amb", value(w, CanonicalFields.AMBIENT, i));
        putIfReading(d, "t_mod", value(w, CanonicalFields.MODULE, i));
        d.append("status", "OK");
        batch.add(d);
        if (batch.size() == 5000) {
          c.insertMany(batch);
          rows += batch.size();
          batch.clear();
        }
      }
      if (!batch.isEmpty()) {
        c.insertMany(batch);
        rows += batch.size();
      }
    }
    return new Written(List.of(collection), rows);
  }

  private static TelemetryWindow simulate(int days, Instant end, ZoneId zone, long seed) {
    if (days < 1 || days > 366) {
      throw new UserException("days must be between 1 and 366, not " + days);
    }
    SimulatorConfig config = new SimulatorConfig(List.of("sample"), end, days, STEP, seed,
        SimulatorConfig.DEFAULT_LAT, SimulatorConfig.DEFAULT_LON, zone);
    return Simulator.generate(config, "sample");
  }

  private static double value(TelemetryWindow w, String field, int i) {
    return w.has(field) ? w.column(field)[i] : Double.NaN;
  }

  private static void putIfReading(Document d, String key, double v) {
    if (!Double.isNaN(v)) {
      d.append(key, Math.round(v * 1000) / 1000.0);
    }
  }

  /** A missing reading is an empty cell, as exports write it. */
  private static String cell(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
  }

  private static String local(long millis, ZoneId zone, DateTimeFormatter format) {
    return format.format(Instant.ofEpochMilli(millis).atZone(zone));
  }
}
