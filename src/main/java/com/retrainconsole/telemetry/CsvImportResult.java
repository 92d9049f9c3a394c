package com.retrainconsole.telemetry;

import java.util.List;
import java.util.Set;

/**
 * What an import did. {@code rowsRead} = data rows in the file; every row was imported (a new
 * reading), updated (a stored reading gained fields or had values replaced), already present
 * (nothing new), filtered out by {@code --where}, or rejected. {@code rejected} holds at most
 * {@value CsvImporter#MAX_REJECTIONS_KEPT} rejections in line order (the earliest ones, bar
 * duplicates found late in a very bad file); {@link #rejectedCount()} counts them all. Conflicts
 * (an incoming value that differs from the stored one) are listed up to {@value
 * WriteSummary#MAX_CONFLICTS_KEPT}; {@code conflictCount} counts them all, {@code replaced} those
 * that replaced the stored value.
 */
public record CsvImportResult(
    long rowsRead,
    long imported,
    long alreadyPresent,
    List<Rejection> rejected,
    Set<String> devices,
    long updated,
    long filtered,
    List<SkippedColumn> skippedColumns,
    List<Conflict> conflicts,
    long conflictCount,
    long replaced,
    List<String> notes) {
  /** A row left out, with its physical line number in the file (the header is line 1). */
  public record Rejection(long line, String reason) {
    @Override
    public String toString() {
      return "line " + line + ": " + reason;
    }
  }

  /** A column not imported, and why ({@code text}, {@code constant}, {@code --skip}, ...). */
  public record SkippedColumn(String column, String reason) {}

  /** An incoming value that differs from the stored reading's, with the row's line number. */
  public record Conflict(long line, String device, String field, double stored, double incoming) {
    @Override
    public String toString() {
      return "line " + line + ": " + field + " stored " + stored + ", file has " + incoming;
    }
  }

  public CsvImportResult {
    rejected = List.copyOf(rejected);
    devices = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(devices));
    skippedColumns = List.copyOf(skippedColumns);
    conflicts = List.copyOf(conflicts);
    notes = List.copyOf(notes);
  }

  public CsvImportResult(
      long rowsRead, long imported, long alreadyPresent, List<Rejection> rejected, Set<String> devices) {
    this(rowsRead, imported, alreadyPresent, rejected, devices, 0, 0, List.of(), List.of(), 0, 0,
        List.of());
  }

  public long rejectedCount() {
    return rowsRead - imported - alreadyPresent - updated - filtered;
  }

  /** Skipped column names with the given reason, in file order. */
  public List<String> skipped(String reason) {
    return skippedColumns.stream().filter(c -> c.reason().equals(reason)).map(SkippedColumn::column)
        .toList();
  }
}
