package com.retrainconsole.cli;

import com.retrainconsole.services.Services;
import com.retrainconsole.retrain.RetrainOutcome;
import com.retrainconsole.runs.Claim;
import com.retrainconsole.runs.FencedOutException;
import com.retrainconsole.runs.RunQueue;
import com.retrainconsole.runs.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Hidden: the child process a scheduler starts for one claimed run ({@code ProcessRunExecutor}). The
 * store URI comes from RETRAIN_MONGO_URI in its environment. Exit 0: the run's final state is written;
 * 3: fenced out (cancelled, timed out, taken over) — the parent or recovery settles the run; 4: the parent
 * died, so this worker stopped itself rather than train for nobody.
 */
@Command(name = "worker", hidden = true, description = "Runs one claimed run (started by the scheduler).")
final class WorkerCommand extends StoreCommand {
  static final int EXIT_FENCED = 3;
  static final int EXIT_ORPHANED = 4;

  @Option(names = "--run-id", required = true) String runId;

  @Option(names = "--token", required = true) long token;

  @Option(names = "--parent-pid", defaultValue = "-1",
      description = "Stop when this process dies (the scheduler that claimed the run).") long parentPid;

  @Override
  int call(Services ctx, Output out) {
    watchParent();
    RunQueue queue = ctx.queue();
    Claim claim;
    try {
      claim = queue.resume(runId, token);
    } catch (FencedOutException e) {
      err().println("error: " + e.getMessage());
      return EXIT_FENCED;
    }
    RetrainOutcome outcome = ctx.retrain().runClaimed(claim, queue.claimed(claim), progress());
    RunRecord run = outcome.run();
    out.result(RunView.summary(run, outcome.stageMillis()), () -> RunView.printText(out, run));
    // fenced out: the run may already show the final state the winner wrote, but this worker did not write it
    return outcome.stoppedByFence() || !run.isFinal() ? EXIT_FENCED : 0;
  }

  /**
   * decision: a worker whose scheduler was killed -9 halts itself; its lease is already unrenewed and its
   * writes fenced, so training on would only burn CPU that a retry may need.
   */
  private void watchParent() {
    if (parentPid <= 0) {
      return;
    }
    Thread t = new Thread(() -> {
      while (true) {
        if (ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false)) {
          try {
            Thread.sleep(500);
          } catch (InterruptedException e) {
            return;
          }
        } else {
          System.err.println("worker: scheduler process " + parentPid + " is gone; stopping run " + runId);
          Runtime.getRuntime().halt(EXIT_ORPHANED);
        }
      }
    }, "parent-watch");
    t.setDaemon(true);
    t.start();
  }
}
