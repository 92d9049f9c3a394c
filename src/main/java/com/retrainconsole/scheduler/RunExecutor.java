package com.retrainconsole.scheduler;

import com.retrainconsole.runs.Claim;
import java.util.concurrent.CompletableFuture;

/**
 * Runs one claimed run. The scheduler owns heartbeats, cancel and timeout; an executor only starts the
 * work, reports when it is over and can stop it hard. The work writes its own final state through the
 * claim (fenced); whatever it leaves open when it ends, the scheduler closes.
 */
public interface RunExecutor {
  Execution start(Claim claim);

  /** One running piece of work. */
  interface Execution {
    /** Completes when the work is over and can no longer write anything (exit code; 0 = finished). */
    CompletableFuture<Integer> ended();

    /** Stops the work as hard as the executor can (a child process: destroyForcibly); idempotent. */
    void kill();

    /** The OS process id, or -1 when the work runs in this JVM. */
    default long pid() {
      return -1;
    }
  }
}
