package com.retrainconsole.runs;

import com.retrainconsole.common.ProgressListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes the runs matching a filter as CSV, streamed from the store in the history's order (not only the
 * page on screen). One line per run; times in ISO-8601 UTC; empty cells for what a run does not have.
 */
public final class RunCsvExport {
  public static final List<String> HEADER = List.of("run_id", "device_id", "status", "trigger_type",
      "trigger_reason", "actor", "queued_at", "started_at", "finished_at", "duration_ms", "attempt", "retry_of",
      "trainer", "days", "data_from", "data_to", "rows", "mae_w", "rmse_w", "r2", "champion_version",
      "champion_mae_w", "champion_rmse_w", "champion_r2", "promoted", "decision_reason", "model_version",
      "error");

  private RunCsvExport() {}

  /**
   * Writes to a temporary file beside {@code target} and moves it into place, so a failed or cancelled
   * export never leaves a half file under the chosen name. Returns the number of runs written.
   * Cancellation: the listener may throw (the console's task does when cancelled).
   */
  public static long write(RunRepository runs, RunFilter filter, RunSort sort, Path target,
      ProgressListener progress) throws IOException {
    long total = runs.count(filter);
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".runs-export", ".csv.tmp");
    long[] written = {0};
    try {
      try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
          CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder()
              .setHeader(HEADER.toArray(String[]::new)).build())) {
        progress.update("export", 0);
        runs.forEach(filter, sort, run -> {
          try {
            csv.printRecord(row(run));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          written[0]++;
          if (written[0] % 1000 == 0) {
            progress.update("export " + written[0] + " of " + total, total == 0 ? 1 : (double) written[0] / total);
          }
          return true;
        });
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    progress.update("exported " + written[0], 1);
    return written[0];
  }

  static List<Object> row(RunRecord r) {
    RunRecord.Trigger trigger = r.trigger() != null ? r.trigger() : new RunRecord.Trigger(null, null, null, null);
    RunRecord.Params params = r.params() != null ? r.params() : RunRecord.Params.none();
    RunRecord.Data data = r.data() != null ? r.data() : new RunRecord.Data(null, null, null, null, null);
    RunRecord.Metrics metrics = r.metrics() != null ? r.metrics() : NO_METRICS;
    RunRecord.Metrics champion = r.championMetrics() != null ? r.championMetrics() : NO_METRICS;
    RunRecord.Decision decision = r.decision() != null ? r.decision() : new RunRecord.Decision(null, null, null);
    return List.of(str(r.runId()), str(r.deviceId()), str(r.status() == null ? null : r.status().wire()),
        str(trigger.type()), str(trigger.reason()), str(trigger.actor()), str(r.queuedAt()), str(r.startedAt()),
        str(r.finishedAt()), str(r.durationMs()), str(r.attempt()), str(r.retryOf()),
        str(params.trainer()), str(params.days()), str(data.from()), str(data.to()),
        str(data.rows()), str(metrics.mae()), str(metrics.rmse()), str(metrics.r2()),
        str(r.championVersion()), str(champion.mae()), str(champion.rmse()),
        str(champion.r2()), str(decision.promoted()), str(decision.reason()),
        str(r.modelVersion()), str(r.error()));
  }

  private static final RunRecord.Metrics NO_METRICS = new RunRecord.Metrics(null, null, null, null);

  private static String str(Object v) {
    if (v == null) {
      return "";
    }

    return v.toString();
  }
}
