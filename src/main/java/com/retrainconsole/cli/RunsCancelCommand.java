package com.retrainconsole.cli;

import com.retrainconsole.services.Services;
import com.retrainconsole.common.UserException;
import com.retrainconsole.runs.CancelResult;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.runs.RunStatus;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runs cancel RUN_ID}: a pending run is cancelled at once; a running one is stopped by its
 * scheduler (the worker process is killed). Exit 1 when the run is already finishing or final.
 */
@Command(name = "cancel", mixinStandardHelpOptions = true,
    description = "Cancel a pending or running run; a running one is stopped by its scheduler within seconds.")
final class RunsCancelCommand extends StoreCommand {
  @Parameters(index = "0", paramLabel = "RUN_ID") String runId;

  @Option(names = "--wait", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Wait up to this long for the run's final state (e.g. 30s).")
  Duration wait;

  @Override
  int call(Services ctx, Output out) throws InterruptedException {
    CancelResult result = ctx.operations().cancelRun(actor(ctx), runId);
    if (result.outcome() == CancelResult.Outcome.UNKNOWN) {
      throw new UserException("Unknown run '" + runId + "'. List runs with: runs --limit 20");
    }
    RunStatus status = ctx.runs().findRecord(runId).map(RunRecord::status).orElse(null);
    if (wait != null && result.outcome() == CancelResult.Outcome.REQUESTED) {
      long deadline = System.nanoTime() + wait.toNanos();
      while (System.nanoTime() < deadline && (status == null || !status.isFinal())) {
        Thread.sleep(200);
        status = ctx.runs().findRecord(runId).map(RunRecord::status).orElse(status);
      }
    }
    String finalStatus = status == null ? null : status.wire();
    out.result(Output.map("run_id", runId, "outcome", result.outcome().name().toLowerCase(java.util.Locale.ROOT),
        "status", finalStatus, "message", result.message()), () -> out.line(result.message()
            + (wait != null ? " (status: " + finalStatus + ")" : "")));
    boolean ok = result.outcome() == CancelResult.Outcome.CANCELLED
        || result.outcome() == CancelResult.Outcome.REQUESTED;
    if (!ok) {
      err().println("error: " + result.message());
      return RetrainCli.EXIT_FAILED;
    }
    return 0;
  }
}
