package com.retrainconsole.runs;

/** What {@link RunQueue#requestCancel} did; {@code message} is one line for the CLI and the console. */
public record CancelResult(Outcome outcome, String runId, String message) {
  public enum Outcome {
    /** A pending run: cancelled at once. */
    CANCELLED,
    /** A running run: its scheduler stops the work and records cancelled. */
    REQUESTED,
    /** Lost the race with completion: the run is saving its model and will end on its own. */
    ALREADY_FINISHING,
    /** Already completed, failed, cancelled or timed out. */
    ALREADY_FINAL,
    UNKNOWN
  }
}
