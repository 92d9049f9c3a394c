package com.retrainconsole.scheduler;

import com.retrainconsole.runs.Claim;
import com.retrainconsole.runs.RunEnd;
import com.retrainconsole.runs.RunQueue;
import com.retrainconsole.runs.RunStatus;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test double of the executor (the thing under test is the queue and the scheduler): counts executions
 * per run and finishes each at once through the real fenced finish.
 */
final class RecordingExecutor implements RunExecutor {
  final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
  final Map<String, Long> startNanos = new ConcurrentHashMap<>();
  private final RunQueue queue;

  RecordingExecutor(RunQueue queue) {
    this.queue = queue;
  }

  @Override
  public Execution start(Claim claim) {
    startNanos.put(claim.runId(), System.nanoTime());
    executions.computeIfAbsent(claim.runId(), k -> new AtomicInteger()).incrementAndGet();
    queue.finish(claim, RunStatus.COMPLETED, RunEnd.none());
    CompletableFuture<Integer> done = CompletableFuture.completedFuture(0);
    return new Execution() {
      @Override
      public CompletableFuture<Integer> ended() {
        return done;
      }

      @Override
      public void kill() {}
    };
  }
}
