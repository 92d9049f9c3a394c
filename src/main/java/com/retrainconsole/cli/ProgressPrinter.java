package com.retrainconsole.cli;

import com.retrainconsole.common.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress on stderr so stdout stays one clean result (JSON or text). Prints on a stage change and at most
 * every 10 percentage points within a stage, so logs of long runs stay readable.
 */
final class ProgressPrinter implements ProgressListener {
  private final PrintWriter err;
  private String stage = "";
  private int lastDecile = -1;

  ProgressPrinter(PrintWriter err) {
    this.err = err;
  }

  @Override
  public synchronized void update(String newStage, double fraction) {
    int decile = (int) Math.floor(Math.max(0, Math.min(1, fraction)) * 10);
    if (!newStage.equals(stage) || decile > lastDecile) {
      stage = newStage;
      lastDecile = decile;
      err.printf(Locale.ROOT, "[%-10s] %3.0f%%%n", newStage, fraction * 100);
      err.flush();
    }
  }
}
