package com.retrainconsole.telemetry;

/**
 * What a write did: readings newly stored and readings skipped because (device, ts) was already
 * there.
 */
public record WriteSummary(long written, long alreadyPresent) {
  public static final WriteSummary EMPTY = new WriteSummary(0, 0);

  public WriteSummary plus(WriteSummary other) {
    return new WriteSummary(written + other.written, alreadyPresent + other.alreadyPresent);
  }
}
