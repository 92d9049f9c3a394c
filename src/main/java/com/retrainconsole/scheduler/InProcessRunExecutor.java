package com.retrainconsole.scheduler;

import com.retrainconsole.common.ProgressListener;
import com.retrainconsole.retrain.RetrainService;
import com.retrainconsole.runs.Claim;
import com.retrainconsole.runs.RunQueue;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the pipeline on a thread of this JVM. decision: for tests and small setups only: a kill is an
 * interrupt, which Tribuo and XGBoost ignore, so the work stops at the next stage boundary, not within
 * seconds; the child-process executor is the one that frees the CPU.
 */
public final class InProcessRunExecutor implements RunExecutor {
  private static final Logger log = LoggerFactory.getLogger("scheduler");
  private final RetrainService retrain;
  private final RunQueue queue;

  public InProcessRunExecutor(RetrainService retrain, RunQueue queue) {
    this.retrain = retrain;
    this.queue = queue;
  }

  @Override
  public Execution start(Claim claim) {
    CompletableFuture<Integer> ended = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        retrain.runClaimed(claim, queue.claimed(claim), ProgressListener.NONE);
        ended.complete(0);
      } catch (Throwable e) {
        log.warn("run={} worker thread failed: {}", claim.runId(), e.toString());
        ended.complete(1);
      }
    }, "run-" + claim.runId());
    thread.setDaemon(true);
    thread.start();
    return new Execution() {
      @Override
      public CompletableFuture<Integer> ended() {
        return ended;
      }

      @Override
      public void kill() {
        thread.interrupt();
      }
    };
  }
}
