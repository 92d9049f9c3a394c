package com.retrainconsole.telemetry;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What an import of a CSV would read, without writing anything: the header, the first raw rows (to build a
 * column mapping from), and those rows parsed as the importer would (time, device, canonical values), with
 * the rows it would reject. {@code problem} is set when the options cannot import the file at all (no such
 * time column, no target after mapping...); header and raw rows are still filled when the file was readable.
 *
 * @param fields the canonical names the value columns become, in file order
 * @param skipped the columns mapped to nothing (left out)
 */
public record CsvPreview(
    List<String> header,
    List<List<String>> rawRows,
    String timeFormat,
    List<String> fields,
    List<String> skipped,
    List<Row> rows,
    List<CsvImportResult.Rejection> rejected,
    String problem) {

  /** One parsed row: its line in the file, time, device and values by canonical name (null = missing). */
  public record Row(long line, Instant ts, String device, Map<String, Double> values) {}

  public boolean ok() {
    return problem == null;
  }
}
