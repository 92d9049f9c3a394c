package com.retrainconsole.telemetry;

import com.retrainconsole.common.DeviceIds;
import com.retrainconsole.common.ProgressListener;
import com.retrainconsole.common.UserException;
import com.retrainconsole.store.Store;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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
 * Imports a CSV file of readings into the bucket store (docs/ARCHITECTURE.md §3), in three steps:
 *
 * <ol>
 *   <li><b>scan</b> the whole file once: which columns are text or a constant id (skipped and
 *       reported), and how its times are written (sampled over the whole length, and the largest
 *       day and month parts of every numeric date, so a day-first file is told from a month-first
 *       one even when its first weeks fit both);
 *   <li><b>read</b> every row into one columnar buffer, rejecting rows with an unparsable or
 *       far-future time, a non-numeric or NaN/infinite value, a missing or invalid device, a wrong
 *       number of fields or a timestamp repeated for the same device, with their line numbers;
 *   <li><b>write</b> device by device. Nothing is written before the whole file was checked, so a
 *       bad file leaves nothing half-written and a file without a single usable row fails.
 * </ol>
 *
 * <p>Readings whose (device, ts) is already stored are merged: fields they lack are added (a weather
 * export and an inverter export of the same plant become one set of readings), differing values
 * are reported as conflicts and kept unless {@link CsvImportOptions#replace}. Importing the same
 * file again stores nothing new.
 *
 * <p>decision: buffering the parsed rows (primitive arrays shared by all devices, ~28 bytes per row
 * plus 8 per value: ~76 MB per million rows of six fields) instead of writing while reading keeps the
 * all-or-nothing promise simple. Memory grows with rows, not devices: 200,000 devices of three rows
 * cost what 600,000 rows of one device cost. A file too big for the heap fails with {@link
 * OutOfMemory} before anything is written; only a failure in the write step (the store going away)
 * leaves part of a file stored, and importing the file again completes it, since writes are
 * idempotent.
 */
public final class CsvImporter {
  public static final int MAX_REJECTIONS_KEPT = 1000;
  private static final int SAMPLE_SIZE = 512;
  private static final int WRITE_CHUNK_READINGS = 50_000;
  private static final int PROGRESS_EVERY_ROWS = 10_000;
  private static final int DEVICE_STAGES_UP_TO = 20;
  private static final Pattern DECIMAL_COMMA = Pattern.compile("[+-]?\\d+,\\d+");
  private static final Pattern NOT_FINITE =
      Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);
  private static final Set<String> MISSING = Set.of("", "na", "n/a", "null", "none");

  private final BucketTelemetryStore telemetry;
  private final DeviceRepository devices;
  private final Clock clock;

  public CsvImporter(Store store) {
    this(new BucketTelemetryStore(store), new DeviceRepository(store), Clock.systemUTC());
  }

  public CsvImporter(Store store, Clock clock) {
    this(new BucketTelemetryStore(store), new DeviceRepository(store), clock);
  }

  public CsvImporter(BucketTelemetryStore telemetry, DeviceRepository devices) {
    this(telemetry, devices, Clock.systemUTC());
  }

  public CsvImporter(BucketTelemetryStore telemetry, DeviceRepository devices, Clock clock) {
    this.telemetry = telemetry;
    this.devices = devices;
    this.clock = clock;
  }

  /**
   * The heap ran out while importing: says how far the import got and what to do, without a stack
   * trace. Thrown instead of {@link OutOfMemoryError} once the import's buffers are unreachable.
   */
  public static final class OutOfMemory extends RuntimeException {
    OutOfMemory(Path file, long rows, boolean writing) {
      super(
          "ran out of memory importing "
              + file
              + " after "
              + rows
              + " rows; raise -Xmx or split the file"
              + (writing
                  ? " (some devices were written: importing the file again completes it)"
                  : " (nothing was written)"),
          null,
          false,
          false);
    }
  }

  public CsvImportResult importFile(CsvImportOptions options, ProgressListener progress) {
    long[] rowsSoFar = {0};
    boolean[] writing = {false};
    try {
      return run(options, progress, rowsSoFar, writing);
    } catch (OutOfMemoryError e) {
      // the buffers belonged to run()'s frame and are unreachable here, so there is room to report
      throw new OutOfMemory(options.file(), rowsSoFar[0], writing[0]);
    }
  }

  private CsvImportResult run(
      CsvImportOptions options, ProgressListener progress, long[] rowsSoFar, boolean[] writing) {
    Path file = options.file();
    String name = file.getFileName().toString();
    checkReadable(file);
    if (options.deviceColumn() != null && options.fixedDevice() != null) {
      throw new UserException(
          "Give either a device column or a fixed device id for " + name + ", not both.");
    }
    if (options.fixedDevice() != null) {
      DeviceIds.require(options.fixedDevice());
    }
    Source source = Source.open(file, options.encoding(), name);
    char delimiter =
        options.delimiter() != null ? options.delimiter() : detectDelimiter(source);
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
    boolean decimalComma = delimiter == ';';

    // 1. scan: column kinds and time format over the whole file
    Layout layout;
    Scan scan;
    try (CSVParser parser = open(source, format)) {
      layout = Layout.of(parser.getHeaderNames(), options, name);
      scan = scan(parser, layout, decimalComma, progress, name, sizeOf(file), rowsSoFar);
    } catch (IOException | UncheckedIOException e) {
      throw unreadable(file, e);
    } catch (IllegalStateException e) { // commons-csv: unbalanced quotes and the like
      throw badQuoting(name, e);
    }
    TimeFormat timeFormat =
        options.timeFormat() != null
            ? TimeFormat.explicit(options.timeFormat())
            : chooseTimeFormat(scan, options.zone(), name);
    layout.chooseValues(scan.columns, options, name);

    // 2. read every row into one buffer, write nothing yet
    RowBuffer rows = new RowBuffer(layout.valueIndex.length);
    List<CsvImportResult.Rejection> rejections = new ArrayList<>();
    long[] rejectedTotal = {0};
    long rowsRead = 0;
    long filtered = 0;
    long fileSize = Math.max(1, sizeOf(file));
    long latest = clock.millis() + options.maxFuture().toMillis();
    String readStage = "read " + name;
    progress.update(readStage, 0);
    rowsSoFar[0] = 0;
    try (CSVParser parser = open(source, format)) {
      long previousLine = 1;
      double[] values = new double[layout.valueIndex.length];
      for (CSVRecord record : parser) {
        rowsRead++;
        rowsSoFar[0] = rowsRead;
        long line = Math.max(parser.getCurrentLineNumber(), previousLine + 1);
        previousLine = line;
        String reason =
            readRow(record, layout, timeFormat, options, decimalComma, latest, rows, values, line);
        if (reason == FILTERED) {
          filtered++;
        } else if (reason != null) {
          reject(rejections, rejectedTotal, line, reason);
        }
        if (rowsRead % PROGRESS_EVERY_ROWS == 0) {
          progress.update(
              readStage, Math.min(0.99, record.getCharacterPosition() / (double) fileSize));
        }
      }
    } catch (IOException | UncheckedIOException e) {
      throw unreadable(file, e);
    } catch (IllegalStateException e) {
      throw badQuoting(name, e);
    }
    int[] order = rows.orderByDeviceAndTime();
    BitSet duplicate = rows.rejectDuplicates(order, rejections, rejectedTotal);
    progress.update(readStage, 1);
    rejections.sort(Comparator.comparingLong(CsvImportResult.Rejection::line));
    List<CsvImportResult.Rejection> kept =
        List.copyOf(rejections.subList(0, Math.min(MAX_REJECTIONS_KEPT, rejections.size())));

    long valid = rows.size - duplicate.cardinality();
    if (valid == 0) {
      String first = kept.stream().limit(3).map(Object::toString).collect(Collectors.joining("; "));
      throw new UserException(
          "No usable rows in "
              + name
              + " ("
              + rowsRead
              + " data rows"
              + (rowsRead == 0 ? "" : filtered == rowsRead ? ", all filtered out by --where"
                  : filtered > 0 ? ", all rejected or filtered out" : ", all rejected")
              + "); nothing was imported."
              + (first.isEmpty() ? "" : " First problems: " + first + "."));
    }

    // 3. write, device by device, in time-ordered chunks that end on hour boundaries
    writing[0] = true;
    Written written = write(rows, order, duplicate, layout.canonical, options, progress, name);
    WriteSummary total = written.summary;
    return new CsvImportResult(
        rowsRead,
        total.written(),
        total.alreadyPresent(),
        kept,
        written.devices,
        total.updated(),
        filtered,
        layout.skipped,
        written.conflicts,
        total.conflictCount(),
        total.replaced(),
        layout.notes);
  }

  private record Written(
      WriteSummary summary, Set<String> devices, List<CsvImportResult.Conflict> conflicts) {}

  private Written write(
      RowBuffer rows,
      int[] order,
      BitSet duplicate,
      String[] fields,
      CsvImportOptions options,
      ProgressListener progress,
      String name) {
    Writer w = new Writer(rows, fields, options, progress, name);
    if (!w.stagePerDevice) {
      progress.update(w.overall, 0);
    }
    int i = 0;
    while (i < order.length) {
      int device = rows.device[order[i]];
      int end = i;
      int n = 0;
      while (end < order.length && rows.device[order[end]] == device) {
        n += duplicate.get(order[end]) ? 0 : 1;
        end++;
      }
      if (n > 0) {
        int[] kept = new int[n];
        int k = 0;
        for (int r = i; r < end; r++) {
          if (!duplicate.get(order[r])) {
            kept[k++] = order[r];
          }
        }
        w.device(rows.deviceNames.get(device), kept);
      }
      i = end;
    }
    w.flush();
    if (!w.stagePerDevice) {
      progress.update(w.overall, 1);
    }
    return new Written(w.total, w.imported, w.conflicts);
  }

  /**
   * Writes devices' rows: a device with many rows in time-ordered chunks that end on hour
   * boundaries, small devices gathered into shared batches (one round trip for many devices).
   */
  private final class Writer {
    final RowBuffer rows;
    final String[] fields;
    final CsvImportOptions options;
    final ProgressListener progress;
    final String overall;
    final boolean stagePerDevice;
    WriteSummary total = WriteSummary.EMPTY;
    final Set<String> imported = new TreeSet<>();
    final List<CsvImportResult.Conflict> conflicts = new ArrayList<>();
    private final List<BucketTelemetryStore.Readings> pending = new ArrayList<>();
    private final List<int[]> pendingRows = new ArrayList<>();
    private long pendingReadings;
    private long done;

    Writer(RowBuffer rows, String[] fields, CsvImportOptions options, ProgressListener progress,
        String name) {
      this.rows = rows;
      this.fields = fields;
      this.options = options;
      this.progress = progress;
      this.overall = "write " + name;
      this.stagePerDevice = rows.deviceNames.size() <= DEVICE_STAGES_UP_TO;
    }

    void device(String deviceId, int[] kept) {
      imported.add(deviceId);
      int n = kept.length;
      if (n < WRITE_CHUNK_READINGS && !stagePerDevice) {
        pending.add(new BucketTelemetryStore.Readings(deviceId, timestamps(kept, 0, n),
            columns(kept, 0, n)));
        pendingRows.add(kept);
        pendingReadings += n;
        if (pendingReadings >= WRITE_CHUNK_READINGS || pending.size() >= 1000) {
          flush();
        }
        return;
      }
      flush();
      devices.upsert(
          DeviceConfig.of(deviceId).withTarget(options.target()).withZone(options.zone()));
      String stage = "write " + deviceId;
      if (stagePerDevice) {
        progress.update(stage, 0);
      }
      int from = 0;
      while (from < n) {
        int to = Math.min(n, from + WRITE_CHUNK_READINGS);
        // end the chunk on an hour boundary so no bucket is written twice in one import
        while (to < n
            && to > from + 1
            && Bucket.hourOf(rows.ts[kept[to]]) == Bucket.hourOf(rows.ts[kept[to - 1]])) {
          to--;
        }
        long[] chunkTs = timestamps(kept, from, to);
        WriteSummary s =
            telemetry.write(deviceId, chunkTs, columns(kept, from, to), options.replace());
        collect(deviceId, s, chunkTs, kept, from);
        done += to - from;
        from = to;
        if (stagePerDevice) {
          progress.update(stage, from / (double) n);
        } else {
          progress.update(overall, done / (double) Math.max(1, rows.size));
        }
      }
    }

    void flush() {
      if (pending.isEmpty()) {
        return;
      }
      devices.upsertAll(
          pending.stream()
              .map(r -> DeviceConfig.of(r.deviceId()).withTarget(options.target())
                  .withZone(options.zone()))
              .toList());
      List<WriteSummary> each = telemetry.writeAll(pending, options.replace());
      for (int k = 0; k < each.size(); k++) {
        collect(pending.get(k).deviceId(), each.get(k), pending.get(k).ts(), pendingRows.get(k), 0);
      }
      done += pendingReadings;
      progress.update(overall, done / (double) Math.max(1, rows.size));
      pending.clear();
      pendingRows.clear();
      pendingReadings = 0;
    }

    private long[] timestamps(int[] kept, int from, int to) {
      long[] ts = new long[to - from];
      for (int c = from; c < to; c++) {
        ts[c - from] = rows.ts[kept[c]];
      }
      return ts;
    }

    private Map<String, double[]> columns(int[] kept, int from, int to) {
      Map<String, double[]> columns = new LinkedHashMap<>();
      for (int f = 0; f < fields.length; f++) {
        double[] column = new double[to - from];
        double[] source = rows.values[f];
        for (int c = from; c < to; c++) {
          column[c - from] = source[kept[c]];
        }
        columns.put(fields[f], column);
      }
      return columns;
    }

    /** Adds a write's counts, and its conflicts with their line numbers ({@code ts} ascending). */
    private void collect(String deviceId, WriteSummary s, long[] ts, int[] kept, int from) {
      for (WriteSummary.Conflict c : s.conflicts()) {
        if (conflicts.size() >= WriteSummary.MAX_CONFLICTS_KEPT) {
          break;
        }
        int at = Arrays.binarySearch(ts, c.ts());
        long line = at >= 0 ? rows.line[kept[from + at]] : -1;
        conflicts.add(
            new CsvImportResult.Conflict(line, deviceId, c.field(), c.stored(), c.incoming()));
      }
      total = total.plus(s);
    }
  }

  /** Returned by {@link #readRow} for a row that {@code --where} leaves out. */
  private static final String FILTERED = new String("filtered");

  /** Parses one record into the buffer; returns the reason it was rejected, or null. */
  private static String readRow(
      CSVRecord record,
      Layout layout,
      TimeFormat timeFormat,
      CsvImportOptions options,
      boolean decimalComma,
      long latest,
      RowBuffer rows,
      double[] values,
      long line) {
    if (record.size() != layout.columnCount) {
      return "has " + record.size() + " fields, the header has " + layout.columnCount;
    }
    if (!layout.selected(record)) {
      return FILTERED;
    }
    String device = options.fixedDevice();
    if (layout.deviceIndex >= 0) {
      device = record.get(layout.deviceIndex);
      if (device.isEmpty()) {
        return "missing device (column '" + layout.deviceColumn + "' is empty)";
      }
      if (!DeviceIds.isValid(device)) {
        return "invalid device id '" + device + "' in column '" + layout.deviceColumn + "' (use "
            + DeviceIds.RULE + ")";
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
    if (time.millis() > latest) {
      return "time '"
          + timeText
          + "' ("
          + Instant.ofEpochMilli(time.millis())
          + ") is more than "
          + describe(options.maxFuture())
          + " after the import time; check the clock and --zone of the export, or raise"
          + " --max-future";
    }
    boolean any = false;
    for (int c = 0; c < values.length; c++) {
      String raw = record.get(layout.valueIndex[c]);
      if (MISSING.contains(raw.toLowerCase(Locale.ROOT))) {
        values[c] = Double.NaN;
        continue;
      }
      String text =
          decimalComma && DECIMAL_COMMA.matcher(raw).matches() ? raw.replace(',', '.') : raw;
      if (!isNumber(text)) {
        return (NOT_FINITE.matcher(text).matches() ? "NaN/infinite" : "non-numeric")
            + " value '"
            + raw
            + "' in column '"
            + layout.valueColumn[c]
            + "'";
      }
      values[c] = Double.parseDouble(text) * layout.scale[c];
      if (!Double.isFinite(values[c])) {
        return "NaN/infinite value '" + raw + "' in column '" + layout.valueColumn[c] + "'";
      }
      any = true;
    }
    if (!any) {
      return "no values (every field is empty)";
    }
    rows.add(rows.deviceIndex(device), time, line, values);
    return null;
  }

  /** Kinds of a column's values over the whole file, for deciding what to import. */
  static final class ColumnStats {
    long values;
    long text;
    String firstNumeric;
    double firstValue;
    boolean constant = true;

    void offer(String raw, boolean decimalComma) {
      if (MISSING.contains(raw.toLowerCase(Locale.ROOT))) {
        return;
      }
      values++;
      String t =
          decimalComma && DECIMAL_COMMA.matcher(raw).matches() ? raw.replace(',', '.') : raw;
      if (!isNumber(t)) {
        if (NOT_FINITE.matcher(t).matches()) {
          constant = false;
        } else {
          text++;
        }
        return;
      }
      if (firstNumeric == null) {
        firstNumeric = t;
        firstValue = Double.parseDouble(t);
      } else if (constant && !t.equals(firstNumeric) && Double.parseDouble(t) != firstValue) {
        constant = false;
      }
    }

    /**
     * decision: a column is text when most of its values are not numbers (a sensor id, a status):
     * one bad cell in a sensor column must reject its row with a reason, not silently drop the
     * column.
     */
    boolean isText() {
      return text * 2 > values;
    }

    /**
     * decision: a constant non-zero whole number on every row (PLANT_ID 4135001) is an id, not a
     * reading: it carries no signal and would turn up as a feature candidate. Zero is left alone (a
     * night-only file reports irradiance 0 on every row); a column kept with --columns or named in
     * --map is imported anyway.
     */
    boolean isConstantId() {
      return values >= 2
          && text == 0
          && constant
          && firstNumeric != null
          && firstValue != 0
          && firstValue == Math.rint(firstValue);
    }
  }

  /** What the scan learned: column kinds, a spread-out sample of times and the date parts. */
  private record Scan(ColumnStats[] columns, Sample sample, DateParts dates) {}

  private static Scan scan(
      CSVParser parser,
      Layout layout,
      boolean decimalComma,
      ProgressListener progress,
      String name,
      long fileSize,
      long[] rowsSoFar) {
    ColumnStats[] columns = new ColumnStats[layout.columnCount];
    for (int i : layout.candidates) {
      columns[i] = new ColumnStats();
    }
    Sample sample = new Sample();
    DateParts dates = new DateParts();
    String stage = "scan " + name;
    progress.update(stage, 0);
    long previousLine = 1;
    long n = 0;
    for (CSVRecord record : parser) {
      n++;
      rowsSoFar[0] = n;
      long line = Math.max(parser.getCurrentLineNumber(), previousLine + 1);
      previousLine = line;
      if (record.size() != layout.columnCount || !layout.selected(record)) {
        continue;
      }
      String time = record.get(layout.timeIndex);
      if (!time.isEmpty()) {
        sample.offer(time);
        dates.offer(time, line);
      }
      for (int i : layout.candidates) {
        columns[i].offer(record.get(i), decimalComma);
      }
      if (n % PROGRESS_EVERY_ROWS == 0) {
        progress.update(stage, Math.min(0.99, record.getCharacterPosition() / (double) fileSize));
      }
    }
    progress.update(stage, 1);
    return new Scan(columns, sample, dates);
  }

  /**
   * Every k-th time of the file, k doubling as the file goes on, so the sample (between {@value
   * #SAMPLE_SIZE} and twice that) spans the whole file, not its first rows.
   */
  static final class Sample {
    final List<String> values = new ArrayList<>();
    private long stride = 1;
    private long seen;

    void offer(String value) {
      if (seen++ % stride != 0) {
        return;
      }
      values.add(value);
      if (values.size() >= 2 * SAMPLE_SIZE) {
        List<String> half = new ArrayList<>(SAMPLE_SIZE);
        for (int i = 0; i < values.size(); i += 2) {
          half.add(values.get(i));
        }
        values.clear();
        values.addAll(half);
        stride *= 2;
      }
    }
  }

  /**
   * The two leading numbers of every date written like {@code 15/05/2020} or {@code 5-15-2020},
   * over every row: one value above 12 settles which is the day.
   */
  static final class DateParts {
    int maxFirst;
    int maxSecond;
    long count;
    String ambiguousExample;
    String firstAbove12;
    long firstAbove12Line;
    String secondAbove12;
    long secondAbove12Line;

    void offer(String text, long line) {
      int i = 0;
      int a = 0;
      int digits = 0;
      while (i < text.length() && digits < 3 && Character.isDigit(text.charAt(i))) {
        a = a * 10 + (text.charAt(i++) - '0');
        digits++;
      }
      if (digits == 0 || digits > 2 || i >= text.length()) {
        return;
      }
      char sep = text.charAt(i++);
      if (sep != '/' && sep != '-' && sep != '.') {
        return;
      }
      int b = 0;
      digits = 0;
      while (i < text.length() && digits < 3 && Character.isDigit(text.charAt(i))) {
        b = b * 10 + (text.charAt(i++) - '0');
        digits++;
      }
      if (digits == 0 || digits > 2 || i >= text.length() || text.charAt(i) != sep) {
        return;
      }
      count++;
      if (a > maxFirst) {
        maxFirst = a;
      }
      if (b > maxSecond) {
        maxSecond = b;
      }
      if (a > 12 && firstAbove12 == null) {
        firstAbove12 = text;
        firstAbove12Line = line;
      }
      if (b > 12 && secondAbove12 == null) {
        secondAbove12 = text;
        secondAbove12Line = line;
      }
      if (a != b && a <= 12 && b <= 12 && ambiguousExample == null) {
        ambiguousExample = text;
      }
    }
  }

  private static TimeFormat chooseTimeFormat(Scan scan, ZoneId zone, String name) {
    List<String> sample = scan.sample.values;
    List<TimeFormat> candidates = TimeFormat.candidates();
    TimeFormat best = null;
    long bestCount = 0;
    for (TimeFormat candidate : candidates) {
      long count = sample.stream().filter(s -> candidate.matches(s, zone)).count();
      if (count > bestCount) {
        best = candidate;
        bestCount = count;
      }
    }
    if (best == null) {
      String tried =
          candidates.stream().map(TimeFormat::description).collect(Collectors.joining(", "));
      String example = sample.isEmpty() ? "" : " e.g. '" + sample.get(0) + "'";
      return new TimeFormat("auto-detect: none of " + tried + " fits" + example) {
        @Override
        Parsed parse(String text, ZoneId z) {
          throw new DateTimeException("no format");
        }
      };
    }
    String group = best.orderGroup();
    DateParts dates = scan.dates;
    if (group == null || dates.count == 0) {
      return best;
    }
    boolean dayFirstFits = dates.maxSecond <= 12;
    boolean monthFirstFits = dates.maxFirst <= 12;
    TimeFormat dayFirst = partner(candidates, group, true);
    TimeFormat monthFirst = partner(candidates, group, false);
    if (dayFirstFits && monthFirstFits && dates.ambiguousExample != null) {
      String ex = dates.ambiguousExample;
      throw new UserException(
          "The dates in "
              + name
              + " read both day-first and month-first: '"
              + ex
              + "' is "
              + readAs(dayFirst, ex, zone)
              + " as "
              + dayFirst.flagPattern(ex)
              + " or "
              + readAs(monthFirst, ex, zone)
              + " as "
              + monthFirst.flagPattern(ex)
              + ", and no date in the file has a day above 12 to settle it. Say which with"
              + " --time-format '"
              + dayFirst.flagPattern(ex)
              + "' or --time-format '"
              + monthFirst.flagPattern(ex)
              + "'.");
    }
    if (dayFirstFits && !monthFirstFits) {
      return dayFirst;
    }
    if (monthFirstFits && !dayFirstFits) {
      return monthFirst;
    }
    return best; // both fit with day == month everywhere (same reading), or neither fits all rows
  }

  private static TimeFormat partner(List<TimeFormat> candidates, String group, boolean dayFirst) {
    return candidates.stream()
        .filter(c -> group.equals(c.orderGroup()) && c.dayFirst() == dayFirst)
        .findFirst()
        .orElseThrow();
  }

  private static String readAs(TimeFormat format, String text, ZoneId zone) {
    try {
      return Instant.ofEpochMilli(format.parse(text, zone).millis())
          .atZone(zone)
          .toLocalDate()
          .toString();
    } catch (DateTimeException | NumberFormatException e) {
      return "not a date";
    }
  }

  /** "1d", "6h", "30m" or "45s": how a duration flag is written. */
  static String describe(Duration d) {
    long s = d.toSeconds();
    if (s % 86_400 == 0) {
      return s / 86_400 + "d";
    }
    if (s % 3_600 == 0) {
      return s / 3_600 + "h";
    }
    if (s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }

  /**
   * {@code [+-]? (digits [. digits*] | . digits) ([eE] [+-]? digits)?} without a regex: it runs on
   * every cell twice.
   */
  static boolean isNumber(String s) {
    int n = s.length();
    int i = 0;
    if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      i++;
    }
    int intDigits = 0;
    while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
      intDigits++;
    }
    int fracDigits = 0;
    if (i < n && s.charAt(i) == '.') {
      i++;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
        fracDigits++;
      }
    }
    if (intDigits == 0 && fracDigits == 0) {
      return false;
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int expDigits = 0;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
        expDigits++;
      }
      if (expDigits == 0) {
        return false;
      }
    }
    return i == n;
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
    List<String> header;
    String columns;
    int columnCount;
    int timeIndex;
    String timeColumn;
    int deviceIndex = -1;
    String deviceColumn;
    int[] whereIndex = new int[0];
    String[] whereValue = new String[0];
    /** Columns that may hold values (not time, device, --where, unnamed or mapped to nothing). */
    final List<Integer> candidates = new ArrayList<>();

    private final Map<Integer, String> canonicalOf = new HashMap<>();
    private final Set<Integer> explicit = new LinkedHashSet<>();
    private final Map<Integer, Double> scaleOf = new HashMap<>();
    final List<CsvImportResult.SkippedColumn> skipped = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    int[] valueIndex;
    String[] valueColumn;
    String[] canonical;
    double[] scale;

    boolean selected(CSVRecord record) {
      for (int w = 0; w < whereIndex.length; w++) {
        if (!record.get(whereIndex[w]).equals(whereValue[w])) {
          return false;
        }
      }
      return true;
    }

    static Layout of(List<String> header, CsvImportOptions options, String name) {
      if (header.isEmpty() || header.stream().allMatch(h -> h == null || h.isBlank())) {
        throw new UserException(
            name
                + " is empty: expected a header row such as "
                + "timestamp,device_id,power_w,irradiance_wm2 followed by readings.");
      }
      Layout l = new Layout();
      l.header = header;
      l.columnCount = header.size();
      l.columns =
          header.stream()
              .filter(h -> h != null && !h.isBlank())
              .map(h -> "'" + h + "'")
              .collect(Collectors.joining(", "));
      String columns = l.columns;
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
      List<Integer> where = new ArrayList<>();
      for (String column : options.where().keySet()) {
        where.add(l.require(column, "--where", name));
      }
      l.whereIndex = where.stream().mapToInt(Integer::intValue).toArray();
      l.whereValue = options.where().values().toArray(String[]::new);
      Set<Integer> keep = new LinkedHashSet<>();
      for (String column : options.keepColumns()) {
        keep.add(l.require(column, "--columns", name));
      }
      Set<Integer> skip = new LinkedHashSet<>();
      for (String column : options.skipColumns()) {
        skip.add(l.require(column, "--skip", name));
      }
      options.scale().forEach((column, factor) -> {
        int i = l.require(column, "--scale", name);
        if (!Double.isFinite(factor) || factor == 0) {
          throw new UserException(
              "--scale " + column + "=" + factor + " is not a usable factor: give a finite,"
                  + " non-zero number such as 1000.");
        }
        l.scaleOf.put(i, factor);
      });
      Map<String, String> mappingByHeader = new LinkedHashMap<>();
      options
          .mapping()
          .forEach((site, canon) -> mappingByHeader.put(header.get(find(header, site)), canon));
      for (int i = 0; i < header.size(); i++) {
        String h = header.get(i);
        if (i == l.timeIndex || i == l.deviceIndex || where.contains(i) || h == null
            || h.isBlank()) {
          continue;
        }
        boolean mapped = mappingByHeader.containsKey(h);
        String c = mappingByHeader.getOrDefault(h, h).trim();
        if (c.isEmpty()) {
          continue; // mapped to nothing: left out on purpose
        }
        if (skip.contains(i)) {
          if (mapped || keep.contains(i)) {
            throw new UserException(
                "Column '" + h + "' of " + name + " is both kept (--map or --columns) and skipped"
                    + " (--skip); drop it from one of them.");
          }
          l.skipped.add(new CsvImportResult.SkippedColumn(h, "--skip"));
          continue;
        }
        if (!keep.isEmpty() && !keep.contains(i) && !mapped) {
          l.skipped.add(new CsvImportResult.SkippedColumn(h, "not in --columns"));
          continue;
        }
        l.candidates.add(i);
        l.canonicalOf.put(i, c);
        if (mapped || keep.contains(i) || c.equals(options.target())) {
          l.explicit.add(i);
        }
      }
      return l;
    }

    /**
     * Settles the value columns from what the scan saw: text and constant-id columns that were
     * not asked for are skipped and reported.
     */
    void chooseValues(ColumnStats[] stats, CsvImportOptions options, String name) {
      List<Integer> idx = new ArrayList<>();
      List<String> site = new ArrayList<>();
      List<String> canon = new ArrayList<>();
      Map<String, String> canonicalSource = new LinkedHashMap<>();
      for (int i : candidates) {
        String h = header.get(i);
        if (!explicit.contains(i)) {
          if (stats[i].isText()) {
            skipped.add(new CsvImportResult.SkippedColumn(h, "text"));
            continue;
          }
          if (stats[i].isConstantId()) {
            skipped.add(new CsvImportResult.SkippedColumn(h, "constant"));
            continue;
          }
        }
        String c = canonicalOf.get(i);
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
      skipped.sort(Comparator.comparingInt(s -> header.indexOf(s.column())));
      if (!canon.contains(options.target())) {
        // decision: a file without the target is fine when the user chose its columns (a weather
        // export whose readings an inverter export completes); without --map or --columns a
        // missing target more likely means a mapping was forgotten, so it stays an error
        if (options.mapping().isEmpty() && options.keepColumns().isEmpty()) {
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
        notes.add(
            "no '"
                + options.target()
                + "' column in "
                + name
                + ": its readings hold inputs only until a file with "
                + options.target()
                + " for the same device and times is imported");
      }
      if (canon.isEmpty()) {
        throw new UserException(
            "No value columns to import from "
                + name
                + ": "
                + skipped.stream()
                    .map(s -> "'" + s.column() + "' (" + s.reason() + ")")
                    .collect(Collectors.joining(", "))
                + " were skipped. Keep columns with --columns or --map.");
      }
      valueIndex = idx.stream().mapToInt(Integer::intValue).toArray();
      valueColumn = site.toArray(String[]::new);
      canonical = canon.toArray(String[]::new);
      scale = new double[valueIndex.length];
      for (int k = 0; k < valueIndex.length; k++) {
        scale[k] = scaleOf.getOrDefault(valueIndex[k], 1.0);
      }
    }

    private int require(String column, String flag, String name) {
      int i = find(header, column);
      if (i < 0) {
        throw new UserException(
            flag + " names '" + column + "', which is not in " + name + ". Columns: " + columns
                + ".");
      }
      return i;
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

  /**
   * Every accepted row of the file, all devices together, as primitive columns. decision: one
   * buffer for all devices rather than one per device, so memory follows the number of rows: a
   * per-device buffer with room to grow cost kilobytes per device even for a single row.
   */
  private static final class RowBuffer {
    private static final int INITIAL = 1024;
    long[] ts = new long[INITIAL];
    long[] line = new long[INITIAL];
    int[] device = new int[INITIAL];
    final double[][] values;
    /** Rows whose local time falls in a DST overlap: row → the later instant. */
    final Map<Integer, Long> later = new HashMap<>();
    final Map<String, Integer> deviceIds = new HashMap<>();
    final List<String> deviceNames = new ArrayList<>();
    int size;

    RowBuffer(int fields) {
      values = new double[fields][INITIAL];
    }

    int deviceIndex(String id) {
      Integer known = deviceIds.get(id);
      if (known != null) {
        return known;
      }
      deviceIds.put(id, deviceNames.size());
      deviceNames.add(id);
      return deviceNames.size() - 1;
    }

    void add(int deviceIdx, TimeFormat.Parsed time, long lineNumber, double[] row) {
      if (size == ts.length) {
        // decision: grow by half, not double, to keep the peak of a large file lower
        int capacity = size + (size >> 1);
        ts = Arrays.copyOf(ts, capacity);
        line = Arrays.copyOf(line, capacity);
        device = Arrays.copyOf(device, capacity);
        for (int f = 0; f < values.length; f++) {
          values[f] = Arrays.copyOf(values[f], capacity);
        }
      }
      ts[size] = time.millis();
      if (time.later() != Long.MIN_VALUE) {
        later.put(size, time.later());
      }
      line[size] = lineNumber;
      device[size] = deviceIdx;
      for (int f = 0; f < row.length; f++) {
        values[f][size] = row[f];
      }
      size++;
    }

    /** Rows grouped by device (first seen first), by time within a device, file order on ties. */
    int[] orderByDeviceAndTime() {
      int[] byTime = PrimitiveSort.order(ts, size);
      int[] start = new int[deviceNames.size() + 1];
      for (int r = 0; r < size; r++) {
        start[device[r] + 1]++;
      }
      for (int d = 0; d < deviceNames.size(); d++) {
        start[d + 1] += start[d];
      }
      int[] out = new int[size];
      for (int r : byTime) {
        out[start[device[r]]++] = r;
      }
      return out;
    }

    /**
     * Marks every repeat of an earlier row's (device, timestamp) as rejected. A repeated local time
     * inside a DST overlap is first moved to its later offset (the second 02:30 on the night the
     * clock goes back). {@code order} is re-sorted in place if a row moved.
     */
    BitSet rejectDuplicates(int[] order, List<CsvImportResult.Rejection> out, long[] total) {
      boolean moved = false;
      for (int i = 1; i < size; i++) {
        int row = order[i];
        int prev = order[i - 1];
        if (device[row] == device[prev] && ts[row] == ts[prev] && later.containsKey(row)) {
          ts[row] = later.remove(row);
          moved = true;
        }
      }
      if (moved) {
        System.arraycopy(orderByDeviceAndTime(), 0, order, 0, size);
      }
      BitSet rejected = new BitSet(size);
      int first = 0;
      for (int i = 1; i < size; i++) {
        int row = order[i];
        if (device[row] == device[order[first]] && ts[row] == ts[order[first]]) {
          // the stable sort keeps file order among equal times, so order[first] is the earliest
          // line
          rejected.set(row);
          reject(
              out,
              total,
              line[row],
              "duplicate timestamp "
                  + Instant.ofEpochMilli(ts[row])
                  + " for device '"
                  + deviceNames.get(device[row])
                  + "' (first on line "
                  + line[order[first]]
                  + ")");
        } else {
          first = i;
        }
      }
      return rejected;
    }
  }

  private static char detectDelimiter(Source source) {
    try (BufferedReader reader = new BufferedReader(source.reader())) {
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
      throw unreadable(source.file, e);
    }
  }

  private static CSVParser open(Source source, CSVFormat format) throws IOException {
    return CSVParser.builder().setReader(source.reader()).setFormat(format).get();
  }

  /**
   * The file's bytes and how to decode them: a byte-order mark (UTF-8, UTF-16 LE/BE) picks the
   * charset and is skipped; without one the file must be valid UTF-8 unless an encoding was given.
   * decision: refuse rather than turn undecodable bytes into U+FFFD — a device id or a column name
   * with a replaced character would be stored under a name nobody typed.
   */
  private record Source(Path file, Charset charset, int bomBytes) {
    static Source open(Path file, String encoding, String name) {
      byte[] head = new byte[3];
      int n;
      try (InputStream in = Files.newInputStream(file)) {
        n = in.readNBytes(head, 0, 3);
      } catch (IOException e) {
        throw unreadable(file, e);
      }
      if (encoding != null) {
        try {
          return new Source(file, Charset.forName(encoding), 0);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
          throw new UserException(
              "Unknown encoding '" + encoding + "': use a charset name such as UTF-8,"
                  + " windows-1252 or ISO-8859-1.");
        }
      }
      Source source;
      if (n >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB
          && (head[2] & 0xff) == 0xBF) {
        source = new Source(file, StandardCharsets.UTF_8, 3);
      } else if (n >= 2 && (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xFE) {
        source = new Source(file, StandardCharsets.UTF_16LE, 2);
      } else if (n >= 2 && (head[0] & 0xff) == 0xFE && (head[1] & 0xff) == 0xFF) {
        source = new Source(file, StandardCharsets.UTF_16BE, 2);
      } else {
        source = new Source(file, StandardCharsets.UTF_8, 0);
      }
      source.requireDecodable(name);
      return source;
    }

    /** Decodes the whole file strictly; refuses at the first byte that is not valid. */
    private void requireDecodable(String name) {
      CharsetDecoder decoder =
          charset
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT);
      ByteBuffer in = ByteBuffer.allocate(1 << 16);
      // as many chars as bytes: UTF-8 and UTF-16 never decode to more, so the output cannot fill
      CharBuffer out = CharBuffer.allocate(1 << 16);
      try (InputStream stream = Files.newInputStream(file)) {
        stream.skipNBytes(bomBytes);
        long base = bomBytes;
        long line = 1;
        boolean eof = false;
        while (true) {
          int read = stream.read(in.array(), in.position(), in.remaining());
          if (read < 0) {
            eof = true;
          } else {
            in.position(in.position() + read);
          }
          in.flip();
          CoderResult result = decoder.decode(in, out, eof);
          out.flip();
          while (out.hasRemaining()) {
            if (out.get() == '\n') {
              line++;
            }
          }
          out.clear();
          if (result.isError()) {
            long offset = base + in.position();
            int bad = in.get(in.position()) & 0xff;
            throw new UserException(
                name
                    + " is not valid "
                    + charset.name()
                    + ": byte 0x"
                    + String.format(Locale.ROOT, "%02X", bad)
                    + " at offset "
                    + offset
                    + " (line "
                    + line
                    + ") cannot be decoded, so nothing was imported. Give the file's encoding,"
                    + " e.g. --encoding windows-1252 (Excel on Windows) or --encoding"
                    + " ISO-8859-1.");
          }
          base += in.position();
          in.compact();
          if (eof) {
            return;
          }
        }
      } catch (IOException e) {
        throw unreadable(file, e);
      }
    }

    Reader reader() throws IOException {
      InputStream in = Files.newInputStream(file);
      in.skipNBytes(bomBytes);
      Reader reader =
          new BufferedReader(
              new InputStreamReader(
                  in,
                  charset
                      .newDecoder()
                      .onMalformedInput(CodingErrorAction.REPLACE)
                      .onUnmappableCharacter(CodingErrorAction.REPLACE)),
              1 << 16);
      reader.mark(1);
      if (reader.read() != '\uFEFF') {
        reader.reset();
      }
      return reader;
    }
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

  private static UserException badQuoting(String name, IllegalStateException e) {
    return new UserException(
        "Cannot parse " + name + ": " + e.getMessage() + ". Fix the file's quoting and retry.");
  }

  private static UserException unreadable(Path file, Exception e) {
    return new UserException(
        "Cannot read " + file + ": " + e.getMessage() + ". Check the file and retry.", e);
  }

  /**
   * The first {@code maxRows} data rows of the file as {@link #importFile} would read them with
   * {@code options}, writing nothing: what the console's mapping table and preview show before an
   * import. decision: a separate read-only entry point over the same layout, scan, time detection
   * and row parsing, so the preview cannot disagree with the import.
   */
  public static CsvPreview preview(CsvImportOptions options, int maxRows) {
    return preview(options, maxRows, maxRows);
  }

  /**
   * As {@link #preview(CsvImportOptions, int)}, keeping up to {@code maxRawRows} raw rows (unfiltered,
   * unparsed) for a mapping table's examples and value pickers; a repeat of an earlier previewed row's
   * device and time is shown rejected as the import would reject it.
   */
  public static CsvPreview preview(CsvImportOptions options, int maxRows, int maxRawRows) {
    Path file = options.file();
    String name = file.getFileName().toString();
    checkReadable(file);
    Source source = Source.open(file, options.encoding(), name);
    char delimiter = options.delimiter() != null ? options.delimiter() : detectDelimiter(source);
    CSVFormat.Builder builder =
        CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setHeader().setSkipHeaderRecord(true)
            .setTrim(true).setIgnoreEmptyLines(true).setAllowMissingColumnNames(true);
    List<String> header;
    List<List<String>> raw = new ArrayList<>();
    try (CSVParser parser =
        open(source, builder.setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_ALL).get())) {
      header = List.copyOf(parser.getHeaderNames());
      for (CSVRecord record : parser) {
        raw.add(List.copyOf(record.toList()));
        if (raw.size() >= maxRawRows) {
          break;
        }
      }
    } catch (IOException | UncheckedIOException e) {
      throw unreadable(file, e);
    } catch (IllegalStateException e) {
      throw badQuoting(name, e);
    }
    CSVFormat format = builder.setDuplicateHeaderMode(DuplicateHeaderMode.DISALLOW).get();
    boolean decimalComma = delimiter == ';';
    Layout layout;
    TimeFormat timeFormat;
    try (CSVParser parser = open(source, format)) {
      if (options.deviceColumn() != null && options.fixedDevice() != null) {
        throw new UserException("Give either a device column or a fixed device id, not both.");
      }
      layout = Layout.of(parser.getHeaderNames(), options, name);
      Scan scan = scan(parser, layout, decimalComma, ProgressListener.NONE, name, sizeOf(file),
          new long[1]);
      timeFormat = options.timeFormat() != null ? TimeFormat.explicit(options.timeFormat())
          : chooseTimeFormat(scan, options.zone(), name);
      layout.chooseValues(scan.columns, options, name);
    } catch (UserException | IllegalArgumentException | IllegalStateException e) {
      return new CsvPreview(header, raw, null, List.of(), List.of(), List.of(), List.of(),
          e.getMessage());
    } catch (IOException | UncheckedIOException e) {
      throw unreadable(file, e);
    }
    Set<String> skippedSet = new java.util.LinkedHashSet<>();
    options.mapping().forEach((site, canon) -> {
      if (canon.isBlank()) {
        skippedSet.add(site); // mapped to nothing on purpose
      }
    });
    layout.skipped.forEach(c -> skippedSet.add(c.column()));
    List<String> skipped = List.copyOf(skippedSet);
    List<CsvPreview.Row> rows = new ArrayList<>();
    List<CsvImportResult.Rejection> rejected = new ArrayList<>();
    RowBuffer buffer = new RowBuffer(layout.valueIndex.length);
    double[] values = new double[layout.valueIndex.length];
    long latest = System.currentTimeMillis() + options.maxFuture().toMillis();
    Map<String, Long> firstLine = new HashMap<>(); // device + time → line of the first previewed row
    try (CSVParser parser = open(source, format)) {
      long previousLine = 1;
      for (CSVRecord record : parser) {
        long line = Math.max(parser.getCurrentLineNumber(), previousLine + 1);
        previousLine = line;
        int before = buffer.size;
        String reason = readRow(record, layout, timeFormat, options, decimalComma, latest, buffer,
            values, line);
        if (reason == FILTERED) {
          continue;
        }
        if (reason != null) {
          rejected.add(new CsvImportResult.Rejection(line, reason));
        } else if (buffer.size > before) {
          int k = buffer.size - 1;
          String device = buffer.deviceNames.get(buffer.device[k]);
          Long first = firstLine.putIfAbsent(device + '\u0000' + buffer.ts[k], line);
          if (first != null && buffer.later.containsKey(k)) {
            // a repeated local time in a DST overlap is the later instant, as the import reads it
            buffer.ts[k] = buffer.later.remove(k);
            first = firstLine.putIfAbsent(device + '\u0000' + buffer.ts[k], line);
          }
          if (first != null) {
            // in the words of the import's rejectDuplicates
            rejected.add(new CsvImportResult.Rejection(line, "duplicate timestamp "
                + Instant.ofEpochMilli(buffer.ts[k]) + " for device '" + device + "' (first on line " + first + ")"));
            if (rows.size() + rejected.size() >= maxRows) {
              break;
            }
            continue;
          }
          Map<String, Double> row = new LinkedHashMap<>();
          for (int f = 0; f < layout.canonical.length; f++) {
            double v = buffer.values[f][k];
            row.put(layout.canonical[f], Double.isNaN(v) ? null : v);
          }
          rows.add(new CsvPreview.Row(line, Instant.ofEpochMilli(buffer.ts[k]),
              buffer.deviceNames.get(buffer.device[k]), row));
        }
        if (rows.size() + rejected.size() >= maxRows) {
          break;
        }
      }
    } catch (IOException | UncheckedIOException | IllegalStateException e) {
      return new CsvPreview(header, raw, timeFormat.description(), List.of(layout.canonical),
          skipped, rows, rejected, "Cannot parse " + name + ": " + e.getMessage());
    }
    return new CsvPreview(header, raw, timeFormat.description(), List.of(layout.canonical), skipped,
        rows, rejected,
        rows.isEmpty() ? "none of the first " + rejected.size() + " rows would import" : null);
  }
}
