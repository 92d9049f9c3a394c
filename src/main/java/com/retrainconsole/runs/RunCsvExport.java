package com.retrainconsole.runs;

import com.retrainconsole.common.ProgressListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Date;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.bson.Document;

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

  static List<Object> row(Document r) {
    Document trigger = sub(r, "trigger");
    Document params = sub(r, "params");
    Document data = sub(r, "data");
    Document metrics = sub(r, "metrics");
    Document champion = sub(r, "champion_metrics");
    Document decision = sub(r, "decision");
    Document model = sub(r, "model");
    return List.of(str(r.get("run_id")), str(r.get("device_id")), str(r.get("status")), str(trigger.get("type")),
        str(trigger.get("reason")), str(trigger.get("actor")), str(r.get("queued_at")), str(r.get("started_at")),
        str(r.get("finished_at")), str(r.get("duration_ms")), str(r.get("attempt")), str(r.get("retry_of")),
        str(params.get("trainer")), str(params.get("days")), str(data.get("from")), str(data.get("to")),
        str(data.get("rows")), str(metrics.get("mae")), str(metrics.get("rmse")), str(metrics.get("r2")),
        str(r.get("champion_version")), str(champion.get("mae")), str(champion.get("rmse")),
        str(champion.get("r2")), str(decision.get("promoted")), str(decision.get("reason")),
        str(model.get("version")), str(r.get("error")));
  }

  private static Document sub(Document d, String key) {
    Object v = d.get(key);
    return v instanceof Document doc ? doc : new Document();
  }

  private static String str(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof Date date) {
      return date.toInstant().toString();
    }
    return v.toString();
  }
}
