package com.retrainconsole.telemetry;

import com.retrainconsole.store.Store;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Rows/s and peak heap of {@code import-csv} on the in-memory store: (a) 1M one-minute rows of one
 * device, (b) 200,000 devices × 3 rows. Prints figures, asserts nothing. Run with e.g.
 *
 * <pre>
 * mvn -q test-compile &amp;&amp; java -Xmx1g -cp target/test-classes:target/classes:$(cat cp.txt) \
 *   com.retrainconsole.telemetry.CsvImportBenchmark [rowsA] [devicesB]
 * </pre>
 */
public final class CsvImportBenchmark {
  private CsvImportBenchmark() {}

  public static void main(String[] args) throws IOException {
    int rowsA = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int devicesB = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    Path dir = Files.createTempDirectory("csv-bench");
    DateTimeFormatter time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    LocalDateTime start = LocalDateTime.parse("2020-01-01T00:00:00");

    Path a = dir.resolve("one-device.csv");
    try (BufferedWriter w = Files.newBufferedWriter(a)) {
      w.write("timestamp,power_w,irradiance_wm2,ambient_temp_c,module_temp_c\n");
      for (int i = 0; i < rowsA; i++) {
        double irr = Math.max(0, Math.sin(Math.PI * ((i % 1440) - 360) / 720.0)) * 900;
        w.write(start.plusMinutes(i).format(time) + "," + (irr * 5.1) + "," + irr + ","
            + (15 + (i % 600) / 60.0) + "," + (20 + irr / 30) + "\n");
      }
    }
    Path b = dir.resolve("many-devices.csv");
    try (BufferedWriter w = Files.newBufferedWriter(b)) {
      w.write("timestamp,device_id,power_w,irradiance_wm2\n");
      for (int d = 0; d < devicesB; d++) {
        for (int r = 0; r < 3; r++) {
          w.write(start.plusMinutes(15L * r).format(time) + ",dev" + d + "," + (d % 97 + r) + ","
              + (d % 13) + "\n");
        }
      }
    }
    measure("(a) " + rowsA + " rows, one device", a, CsvImportOptions.forDevice(a, "bench-a"));
    measure("(b) " + devicesB + " devices x 3 rows", b,
        CsvImportOptions.withDeviceColumn(b, "device_id"));
    Files.delete(a);
    Files.delete(b);
    Files.delete(dir);
  }

  private static void measure(String label, Path file, CsvImportOptions options) throws IOException {
    System.gc();
    resetPeaks();
    long mb = Files.size(file) >> 20;
    try (Store store = Store.openInMemory()) {
      long t0 = System.nanoTime();
      String[] stage = {""};
      long[] since = {t0};
      CsvImportResult r = new CsvImporter(store).importFile(options, (s, f) -> {
        String group = s.startsWith("write ") ? "write" : s;
        if (!group.equals(stage[0])) {
          long now = System.nanoTime();
          if (!stage[0].isEmpty()) {
            System.out.printf(Locale.ROOT, "  %s: %.1f s%n", stage[0], (now - since[0]) / 1e9);
          }
          stage[0] = group;
          since[0] = now;
        }
      });
      System.out.printf(Locale.ROOT, "  %s: %.1f s%n", stage[0], (System.nanoTime() - since[0]) / 1e9);
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(Locale.ROOT,
          "%s: %d MB file, %d rows in %.1f s = %.0f rows/s, peak heap %d MB (max %d MB), devices %d%n",
          label, mb, r.rowsRead(), seconds, r.rowsRead() / seconds, peakHeapMb(),
          Runtime.getRuntime().maxMemory() >> 20, r.devices().size());
    }
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  /** Sum of the heap pools' peaks since the reset (an upper bound of the true peak). */
  private static long peakHeapMb() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak >> 20;
  }
}
