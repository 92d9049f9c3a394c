package com.retrainconsole.telemetry;

import java.util.ArrayList;
import java.util.List;

/**
 * What a write did: readings newly stored, readings whose (device, ts) was already there and gained
 * nothing, stored readings that gained fields (or had values replaced), values replaced on request,
 * and the values that differed from the stored ones ({@code conflictCount} in all, the first {@value
 * #MAX_CONFLICTS_KEPT} of them listed).
 */
public record WriteSummary(
    long written,
    long alreadyPresent,
    long updated,
    long replaced,
    long conflictCount,
    List<Conflict> conflicts) {
  public static final int MAX_CONFLICTS_KEPT = 1000;
  public static final WriteSummary EMPTY = new WriteSummary(0, 0);

  /**
   * A stored value and a different incoming one for the same reading and field.
   *
   * @param ts epoch millis of the reading
   */
  public record Conflict(long ts, String field, double stored, double incoming) {}

  public WriteSummary {
    conflicts = List.copyOf(conflicts);
  }

  public WriteSummary(long written, long alreadyPresent) {
    this(written, alreadyPresent, 0, 0, 0, List.of());
  }

  public WriteSummary plus(WriteSummary other) {
    List<Conflict> both = conflicts;
    if (!other.conflicts.isEmpty() && conflicts.size() < MAX_CONFLICTS_KEPT) {
      both = new ArrayList<>(conflicts);
      both.addAll(other.conflicts.subList(
          0, Math.min(other.conflicts.size(), MAX_CONFLICTS_KEPT - conflicts.size())));
    }
    return new WriteSummary(
        written + other.written,
        alreadyPresent + other.alreadyPresent,
        updated + other.updated,
        replaced + other.replaced,
        conflictCount + other.conflictCount,
        both);
  }
}
