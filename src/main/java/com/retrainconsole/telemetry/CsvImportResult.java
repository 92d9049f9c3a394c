package com.retrainconsole.telemetry;

import java.util.List;
import java.util.Set;

/**
 * What an import did. {@code rowsRead} = data rows in the file; every row was imported, already
 * present, or rejected. {@code rejected} holds at most {@value CsvImporter#MAX_REJECTIONS_KEPT}
 * rejections in line order (the earliest ones, bar duplicates found late in a very bad file);
 * {@link #rejectedCount()} counts them all.
 */
public record CsvImportResult(
    long rowsRead,
    long imported,
    long alreadyPresent,
    List<Rejection> rejected,
    Set<String> devices) {
  /** A row left out, with its physical line number in the file (the header is line 1). */
  public record Rejection(long line, String reason) {
    @Override
    public String toString() {
      return "line " + line + ": " + reason;
    }
  }

  public long rejectedCount() {
    return rowsRead - imported - alreadyPresent;
  }
}
