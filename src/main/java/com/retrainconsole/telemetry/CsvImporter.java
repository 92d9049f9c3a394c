package com.retrainconsole.telemetry;

import com.retrainconsole.common.ProgressListener;
import com.retrainconsole.common.UserException;
import com.retrainconsole.store.Store;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

/**
 * Imports a CSV file of readings into the bucket store (DESIGN §3). The whole file is read and
 * checked before anything is written, so a bad file leaves nothing half-written: rows with an
 * unparsable time, a non-numeric or NaN/infinite value, a missing device, a wrong number of fields
 * or a timestamp repeated for the same device are rejected with their line numbers, and a file
 * without a single usable row writes nothing and fails. Importing the same file again stores
 * nothing new (writes are idempotent).
 *
 * <p>decision: buffering the parsed rows (primitive arrays, ~60 MB per million rows of six fields)
 * instead of reading the file twice keeps the all-or-nothing promise simple and the file read once.
 */
public final class CsvImporter {
  public static final int MAX_REJECTIONS_KEPT = 1000;
  private static final int DETECTION_SAMPLE_ROWS = 200;
  private static final int WRITE_CHUNK_READINGS = 50_000;
  private static final int PROGRESS_EVERY_ROWS = 10_000;
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern DECIMAL_COMMA = Pattern.compile("[+-]?\\d+,\\d+");
  private static final Pattern NOT_FINITE =
      Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);
  private static final Set<String> MISSING = Set.of("", "na", "n/a", "null", "none");

  private final BucketTelemetryStore telemetry;
  private final DeviceRepository devices;

  public CsvImporter(Store store) {
    this(new BucketTelemetryStore(store), new DeviceRepository(store));
  }

  public CsvImporter(BucketTelemetryStore telemetry, DeviceRepository devices) {
    this.telemetry = telemetry;
    this.devices = devices;
  }

  public CsvImportResult importFile(CsvImportOptions options, ProgressListener progress) {
    Path file = options.file();
    String name = file.getFileName().toString();
    checkReadable(file);
    if (options.deviceColumn() != null && options.fixedDevice() != null) {
      throw new UserException(
          "Give either a device column or a fixed device id for " + name + ", not both.");
    }
    char delimiter = options.delimiter() != null ? options.delimiter() : detectDelimiter(file);
    CSVFormat format =
        CSVFormat.DEFAULT
            .builder()
            .setDelimiter(delimiter)
            .setHeader()
            .setSkipHeaderRecord(true)
            .setTrim(true)
            .setIgnoreEmptyLines(true)
            .setAllowMissingColumnNames(true)
            .setDuplicateHeaderMode(DuplicateHeaderMode.DISALLOW)
            .get();

    Layout layout;
    TimeFormat timeFormat;
    try (CSVParser parser = open(file, format)) {
      layout = Layout.of(parser.getHeaderNames(), options, name);
      timeFormat =
          options.timeFormat() != null
              ? TimeFormat.explicit(options.timeFormat())
              : detectTimeFormat(parser, layout.timeIndex, options.zone());
    } catch (IOException e) {
      throw unreadable(file, e);
    }

    // pass over the file: validate every row into per-device buffers, write nothing yet
    Map<String, DeviceRows> byDevice = new LinkedHashMap<>();
    List<CsvImportResult.Rejection> rejections = new ArrayList<>();
    long[] rejectedTotal = {0};
    long rowsRead = 0;
    long fileSize = Math.max(1, sizeOf(file));
    String readStage = "read " + name;
    progress.update(readStage, 0);
    boolean decimalComma = delimiter == ';';
    try (CSVParser parser = open(file, format)) {
      long previousLine = 1;
      for (CSVRecord record : parser) {
        rowsRead++;
        long line = Math.max(parser.getCurrentLineNumber(), previousLine + 1);
        previousLine = line;
        String reason = readRow(record, layout, timeFormat, options, decimalComma, byDevice, line);
        if (reason != null) {
          reject(rejections, rejectedTotal, line, reason);
        }
        if (rowsRead % PROGRESS_EVERY_ROWS == 0) {
          progress.update(
              readStage, Math.min(0.99, record.getCharacterPosition() / (double) fileSize));
        }
      }
    } catch (IOException | UncheckedIOException e) {
      throw unreadable(file, e);
    } catch (IllegalStateException e) { // commons-csv: unbalanced quotes and the like
      throw new UserException(
          "Cannot parse " + name + ": " + e.getMessage() + ". Fix the file's quoting and retry.");
    }
    for (Map.Entry<String, DeviceRows> e : byDevice.entrySet()) {
      e.getValue().rejectDuplicates(e.getKey(), rejections, rejectedTotal);
    }
    progress.update(readStage, 1);
    rejections.sort(Comparator.comparingLong(CsvImportResult.Rejection::line));
    List<CsvImportResult.Rejection> kept =
        List.copyOf(rejections.subList(0, Math.min(MAX_REJECTIONS_KEPT, rejections.size())));

    long valid = byDevice.values().stream().mapToLong(DeviceRows::keptCount).sum();
    if (valid == 0) {
      String first = kept.stream().limit(3).map(Object::toString).collect(Collectors.joining("; "));
      throw new UserException(
          "No usable rows in "
              + name
              + " ("
              + rowsRead
              + " data rows"
              + (rowsRead == 0 ? "" : ", all rejected")
              + "); nothing was imported."
              + (first.isEmpty() ? "" : " First problems: " + first + "."));
    }

    // write, device by device, in time-ordered chunks that end on hour boundaries
    WriteSummary total = WriteSummary.EMPTY;
    Set<String> imported = new TreeSet<>();
    for (Map.Entry<String, DeviceRows> e : byDevice.entrySet()) {
      String device = e.getKey();
      DeviceRows rows = e.getValue();
      if (rows.keptCount() == 0) {
        continue;
      }
      imported.add(device);
      devices.upsert(DeviceConfig.of(device).withTarget(options.target()).withZone(options.zone()));
      total = total.plus(rows.write(device, layout.canonical, telemetry, progress));
    }
    return new CsvImportResult(rowsRead, total.written(), total.alreadyPresent(), kept, imported);
  }

  /** Parses one record into its device's buffer; returns the reason it was rejected, or null. */
  private static String readRow(
      CSVRecord record,
      Layout layout,
      TimeFormat timeFormat,
      CsvImportOptions options,
      boolean decimalComma,
      Map<String, DeviceRows> byDevice,
      long line) {
    if (record.size() != layout.columnCount) {
      return "has " + record.size() + " fields, the header has " + layout.columnCount;
    }
    String device = options.fixedDevice();
    if (layout.deviceIndex >= 0) {
      device = record.get(layout.deviceIndex);
      if (device.isEmpty()) {
        return "missing device (column '" + layout.deviceColumn + "' is empty)";
      }
    }
    String timeText = record.get(layout.timeIndex);
    if (timeText.isEmpty()) {
      return "missing time (column '" + layout.timeColumn + "' is empty)";
    }
    TimeFormat.Parsed time;
    try {
      time = timeFormat.parse(timeText, options.zone());
    } catch (DateTimeException | NumberFormatException | ArithmeticException e) {
      return "unparsable time '" + timeText + "' (format " + timeFormat.description() + ")";
    }
    double[] values = new double[layout.valueIndex.length];
    boolean any = false;
    for (int c = 0; c < values.length; c++) {
      String raw = record.get(layout.valueIndex[c]);
      if (MISSING.contains(raw.toLowerCase(java.util.Locale.ROOT))) {
        values[c] = Double.NaN;
        continue;
      }
      String text =
          decimalComma && DECIMAL_COMMA.matcher(raw).matches() ? raw.replace(',', '.') : raw;
      if (NOT_FINITE.matcher(text).matches()) {
        return "NaN/infinite value '" + raw + "' in column '" + layout.valueColumn[c] + "'";
      }
      if (!NUMBER.matcher(text).matches()) {
        return "non-numeric value '" + raw + "' in column '" + layout.valueColumn[c] + "'";
      }
      values[c] = Double.parseDouble(text);
      if (!Double.isFinite(values[c])) {
        return "NaN/infinite value '" + raw + "' in column '" + layout.valueColumn[c] + "'";
      }
      any = true;
    }
    if (!any) {
      return "no values (every field is empty)";
    }
    byDevice
        .computeIfAbsent(device, d -> new DeviceRows(layout.valueIndex.length))
        .add(time, line, values);
    return null;
  }

  private static void reject(
      List<CsvImportResult.Rejection> kept, long[] total, long line, String reason) {
    total[0]++;
    // decision: keep a bounded number (the earliest lines) so a wholly wrong 1M-row file cannot
    // exhaust memory
    if (kept.size() < MAX_REJECTIONS_KEPT * 2) {
      kept.add(new CsvImportResult.Rejection(line, reason));
    }
  }

  /** Which columns hold what, resolved against the header (case-insensitively when not exact). */
  private static final class Layout {
    int columnCount;
    int timeIndex;
    String timeColumn;
    int deviceIndex = -1;
    String deviceColumn;
    int[] valueIndex;
    String[] valueColumn;
    String[] canonical;

    static Layout of(List<String> header, CsvImportOptions options, String name) {
      if (header.isEmpty() || header.stream().allMatch(h -> h == null || h.isBlank())) {
        throw new UserException(
            name
                + " is empty: expected a header row such as "
                + "timestamp,device_id,power_w,irradiance_wm2 followed by readings.");
      }
      Layout l = new Layout();
      l.columnCount = header.size();
      String columns =
          header.stream()
              .filter(h -> h != null && !h.isBlank())
              .map(h -> "'" + h + "'")
              .collect(Collectors.joining(", "));
      l.timeIndex = find(header, options.timeColumn());
      if (l.timeIndex < 0) {
        throw new UserException(
            "No time column '"
                + options.timeColumn()
                + "' in "
                + name
                + ". Columns: "
                + columns
                + ". Name the time column with --time-column.");
      }
      l.timeColumn = header.get(l.timeIndex);
      String deviceColumn = options.deviceColumn();
      if (deviceColumn == null && options.fixedDevice() == null) {
        if (find(header, CsvImportOptions.DEFAULT_DEVICE_COLUMN) < 0) {
          throw new UserException(
              "No device for the rows of "
                  + name
                  + ": there is no '"
                  + CsvImportOptions.DEFAULT_DEVICE_COLUMN
                  + "' column. Columns: "
                  + columns
                  + ". Name the device column with --device-column, or give one device id with"
                  + " --device.");
        }
        deviceColumn = CsvImportOptions.DEFAULT_DEVICE_COLUMN;
      }
      if (deviceColumn != null) {
        l.deviceIndex = find(header, deviceColumn);
        if (l.deviceIndex < 0) {
          throw new UserException(
              "No device column '"
                  + deviceColumn
                  + "' in "
                  + name
                  + ". Columns: "
                  + columns
                  + ". Name the device column with --device-column, or give one device id with"
                  + " --device.");
        }
        l.deviceColumn = header.get(l.deviceIndex);
      }
      for (String site : options.mapping().keySet()) {
        if (find(header, site) < 0) {
          throw new UserException(
              "The column mapping names '"
                  + site
                  + "', which is not in "
                  + name
                  + ". Columns: "
                  + columns
                  + ".");
        }
      }
      Map<String, String> mappingByIndex = new LinkedHashMap<>();
      options
          .mapping()
          .forEach((site, canon) -> mappingByIndex.put(header.get(find(header, site)), canon));
      List<Integer> idx = new ArrayList<>();
      List<String> site = new ArrayList<>();
      List<String> canon = new ArrayList<>();
      Map<String, String> canonicalSource = new LinkedHashMap<>();
      for (int i = 0; i < header.size(); i++) {
        String h = header.get(i);
        if (i == l.timeIndex || i == l.deviceIndex || h == null || h.isBlank()) {
          continue;
        }
        String c = mappingByIndex.getOrDefault(h, h).trim();
        if (c.isEmpty()) {
          continue; // mapped to nothing: left out on purpose
        }
        String clash = canonicalSource.put(c, h);
        if (clash != null) {
          throw new UserException(
              "Columns '"
                  + clash
                  + "' and '"
                  + h
                  + "' of "
                  + name
                  + " both become '"
                  + c
                  + "'. Map one of them to another name, or to nothing to leave it out.");
        }
        idx.add(i);
        site.add(h);
        canon.add(c);
      }
      if (!canon.contains(options.target())) {
        throw new UserException(
            "No target column '"
                + options.target()
                + "' in "
                + name
                + " after mapping. Columns: "
                + columns
                + ". Map the column that holds it (e.g. --map AC_POWER="
                + options.target()
                + ") or choose another --target.");
      }
      l.valueIndex = idx.stream().mapToInt(Integer::intValue).toArray();
      l.valueColumn = site.toArray(String[]::new);
      l.canonical = canon.toArray(String[]::new);
      return l;
    }

    private static int find(List<String> header, String column) {
      int exact = header.indexOf(column);
      if (exact >= 0) {
        return exact;
      }
      int found = -1;
      for (int i = 0; i < header.size(); i++) {
        if (header.get(i) != null && header.get(i).equalsIgnoreCase(column)) {
          if (found >= 0) {
            return -1; // ambiguous
          }
          found = i;
        }
      }
      return found;
    }
  }

  /** One device's accepted rows, in file order, as primitive columns. */
  private static final class DeviceRows {
    private long[] ts = new long[256];
    private long[] later = new long[256];
    private long[] line = new long[256];
    private double[][] values;
    private boolean[] rejected;
    private int size;
    private int kept;

    DeviceRows(int fields) {
      values = new double[fields][256];
    }

    void add(TimeFormat.Parsed time, long lineNumber, double[] row) {
      if (size == ts.length) {
        int capacity = size * 2;
        ts = Arrays.copyOf(ts, capacity);
        later = Arrays.copyOf(later, capacity);
        line = Arrays.copyOf(line, capacity);
        for (int f = 0; f < values.length; f++) {
          values[f] = Arrays.copyOf(values[f], capacity);
        }
      }
      ts[size] = time.millis();
      later[size] = time.later();
      line[size] = lineNumber;
      for (int f = 0; f < row.length; f++) {
        values[f][size] = row[f];
      }
      size++;
      kept++;
    }

    int keptCount() {
      return kept;
    }

    /**
     * Rejects every repeat of an earlier row's timestamp. A repeated local time inside a DST
     * overlap is first moved to its later offset (the second 02:30 on the night the clock goes
     * back).
     */
    void rejectDuplicates(String device, List<CsvImportResult.Rejection> out, long[] total) {
      rejected = new boolean[size];
      int[] order = PrimitiveSort.order(ts, size);
      boolean moved = false;
      for (int i = 1; i < size; i++) {
        int row = order[i];
        if (ts[row] == ts[order[i - 1]] && later[row] != Long.MIN_VALUE) {
          ts[row] = later[row];
          later[row] = Long.MIN_VALUE;
          moved = true;
        }
      }
      if (moved) {
        order = PrimitiveSort.order(ts, size);
      }
      int first = 0;
      for (int i = 1; i < size; i++) {
        if (ts[order[i]] == ts[order[first]]) {
          int row = order[i];
          // the stable sort keeps file order among equal times, so order[first] is the earliest
          // line
          rejected[row] = true;
          kept--;
          reject(
              out,
              total,
              line[row],
              "duplicate timestamp "
                  + Instant.ofEpochMilli(ts[row])
                  + " for device '"
                  + device
                  + "' (first on line "
                  + line[order[first]]
                  + ")");
        } else {
          first = i;
        }
      }
    }

    WriteSummary write(
        String device, String[] fields, BucketTelemetryStore telemetry, ProgressListener progress) {
      String stage = "write " + device;
      int[] order = PrimitiveSort.order(ts, size);
      int[] rows = new int[kept];
      int n = 0;
      for (int row : order) {
        if (!rejected[row]) {
          rows[n++] = row;
        }
      }
      WriteSummary summary = WriteSummary.EMPTY;
      progress.update(stage, 0);
      int from = 0;
      while (from < n) {
        int to = Math.min(n, from + WRITE_CHUNK_READINGS);
        // end the chunk on an hour boundary so no bucket is written twice in one import
        while (to < n
            && to > from + 1
            && Bucket.hourOf(ts[rows[to]]) == Bucket.hourOf(ts[rows[to - 1]])) {
          to--;
        }
        long[] chunkTs = new long[to - from];
        Map<String, double[]> columns = new LinkedHashMap<>();
        for (int f = 0; f < fields.length; f++) {
          double[] column = new double[to - from];
          for (int k = from; k < to; k++) {
            column[k - from] = values[f][rows[k]];
          }
          columns.put(fields[f], column);
        }
        for (int k = from; k < to; k++) {
          chunkTs[k - from] = ts[rows[k]];
        }
        summary = summary.plus(telemetry.write(device, chunkTs, columns));
        from = to;
        progress.update(stage, from / (double) n);
      }
      return summary;
    }
  }

  private static TimeFormat detectTimeFormat(CSVParser parser, int timeIndex, ZoneId zone) {
    List<String> sample = new ArrayList<>();
    for (CSVRecord record : parser) {
      if (timeIndex < record.size() && !record.get(timeIndex).isEmpty()) {
        sample.add(record.get(timeIndex));
      }
      if (sample.size() >= DETECTION_SAMPLE_ROWS) {
        break;
      }
    }
    TimeFormat best = null;
    long bestCount = 0;
    for (TimeFormat candidate : TimeFormat.candidates()) {
      long count = sample.stream().filter(s -> candidate.matches(s, zone)).count();
      if (count > bestCount) {
        best = candidate;
        bestCount = count;
      }
    }
    if (best == null) {
      String tried =
          TimeFormat.candidates().stream()
              .map(TimeFormat::description)
              .collect(Collectors.joining(", "));
      String example = sample.isEmpty() ? "" : " e.g. '" + sample.get(0) + "'";
      return new TimeFormat("auto-detect: none of " + tried + " fits" + example) {
        @Override
        Parsed parse(String text, ZoneId z) {
          throw new DateTimeException("no format");
        }
      };
    }
    return best;
  }

  private static char detectDelimiter(Path file) {
    try (BufferedReader reader = new BufferedReader(reader(file))) {
      String line;
      while ((line = reader.readLine()) != null && line.isBlank()) {
        // skip leading blank lines
      }
      if (line == null) {
        return ',';
      }
      char best = ',';
      long bestCount = 0;
      for (char candidate : new char[] {',', ';', '\t'}) {
        long count = line.chars().filter(c -> c == candidate).count();
        if (count > bestCount) {
          best = candidate;
          bestCount = count;
        }
      }
      return best;
    } catch (IOException e) {
      throw unreadable(file, e);
    }
  }

  private static CSVParser open(Path file, CSVFormat format) throws IOException {
    return CSVParser.builder().setReader(reader(file)).setFormat(format).get();
  }

  /**
   * UTF-8, skipping a byte-order mark; undecodable bytes become U+FFFD rather than failing the
   * import.
   */
  private static Reader reader(Path file) throws IOException {
    Reader reader =
        new BufferedReader(
            new InputStreamReader(
                Files.newInputStream(file),
                StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)));
    reader.mark(1);
    if (reader.read() != '\uFEFF') {
      reader.reset();
    }
    return reader;
  }

  private static void checkReadable(Path file) {
    if (!Files.exists(file)) {
      throw new UserException("Cannot read " + file + ": no such file. Check the path.");
    }
    if (!Files.isRegularFile(file)) {
      throw new UserException(
          "Cannot read " + file + ": it is not a file. Give the path of a CSV file.");
    }
    if (!Files.isReadable(file)) {
      throw new UserException(
          "Cannot read " + file + ": permission denied. Make the file readable and retry.");
    }
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 1;
    }
  }

  private static UserException unreadable(Path file, Exception e) {
    return new UserException(
        "Cannot read " + file + ": " + e.getMessage() + ". Check the file and retry.", e);
  }

  /**
   * The first {@code maxRows} data rows of the file as {@link #importFile} would read them with
   * {@code options}, writing nothing: what the console's mapping table and preview show before an import.
   * decision: a separate read-only entry point over the same layout, time detection and row parsing, so
   * the preview cannot disagree with the import.
   */
  public static CsvPreview preview(CsvImportOptions options, int maxRows) {
    Path file = options.file();
    String name = file.getFileName().toString();
    checkReadable(file);
    char delimiter = options.delimiter() != null ? options.delimiter() : detectDelimiter(file);
    CSVFormat format =
        CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setHeader().setSkipHeaderRecord(true)
            .setTrim(true).setIgnoreEmptyLines(true).setAllowMissingColumnNames(true)
            .setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_ALL).get();
    List<String> header;
    List<List<String>> raw = new ArrayList<>();
    try (CSVParser parser = open(file, format)) {
      header = List.copyOf(parser.getHeaderNames());
      for (CSVRecord record : parser) {
        raw.add(List.copyOf(record.toList()));
        if (raw.size() >= maxRows) {
          break;
        }
      }
    } catch (IOException | UncheckedIOException | IllegalStateException e) {
      throw unreadable(file, e instanceof IOException io ? io : new IOException(e.getMessage(), e));
    }
    Layout layout;
    TimeFormat timeFormat;
    try (CSVParser parser = open(file, format)) {
      if (options.deviceColumn() != null && options.fixedDevice() != null) {
        throw new UserException("Give either a device column or a fixed device id, not both.");
      }
      if (new java.util.HashSet<>(header).size() != header.size()) {
        throw new UserException(name + " repeats a column name in its header; the import refuses it.");
      }
      layout = Layout.of(header, options, name);
      timeFormat = options.timeFormat() != null ? TimeFormat.explicit(options.timeFormat())
          : detectTimeFormat(parser, layout.timeIndex, options.zone());
    } catch (UserException e) {
      return new CsvPreview(header, raw, null, List.of(), List.of(), List.of(), List.of(), e.getMessage());
    } catch (IOException e) {
      throw unreadable(file, e);
    }
    List<String> skipped = new ArrayList<>();
    options.mapping().forEach((site, canon) -> {
      if (canon.isBlank()) {
        skipped.add(site);
      }
    });
    List<CsvPreview.Row> rows = new ArrayList<>();
    List<CsvImportResult.Rejection> rejected = new ArrayList<>();
    boolean decimalComma = delimiter == ';';
    try (CSVParser parser = open(file, format)) {
      long previousLine = 1;
      for (CSVRecord record : parser) {
        long line = Math.max(parser.getCurrentLineNumber(), previousLine + 1);
        previousLine = line;
        Map<String, DeviceRows> one = new LinkedHashMap<>();
        String reason = readRow(record, layout, timeFormat, options, decimalComma, one, line);
        if (reason != null) {
          rejected.add(new CsvImportResult.Rejection(line, reason));
        } else {
          Map.Entry<String, DeviceRows> e = one.entrySet().iterator().next();
          Map<String, Double> values = new LinkedHashMap<>();
          for (int f = 0; f < layout.canonical.length; f++) {
            double v = e.getValue().values[f][0];
            values.put(layout.canonical[f], Double.isNaN(v) ? null : v);
          }
          rows.add(new CsvPreview.Row(line, Instant.ofEpochMilli(e.getValue().ts[0]), e.getKey(), values));
        }
        if (rows.size() + rejected.size() >= maxRows) {
          break;
        }
      }
    } catch (IOException | UncheckedIOException | IllegalStateException e) {
      return new CsvPreview(header, raw, timeFormat.description(), List.of(layout.canonical), skipped, rows,
          rejected, "Cannot parse " + name + ": " + e.getMessage());
    }
    return new CsvPreview(header, raw, timeFormat.description(), List.of(layout.canonical), skipped, rows,
        rejected, rows.isEmpty() ? "none of the first " + rejected.size() + " rows would import" : null);
  }
}
