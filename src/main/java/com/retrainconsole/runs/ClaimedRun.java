package com.retrainconsole.runs;

/**
 * What a worker may do with its claim: check the fence, move to the finalizing phase before it writes a
 * model, and write the run's final state. All three are conditioned on the claim's token.
 */
public interface ClaimedRun extends Fence {
  Claim claim();

  /**
   * Atomically moves the queue item's phase running → finalizing unless a cancel or timeout got there
   * first (exactly one of them wins).
   *
   * @throws FencedOutException when cancel, timeout or a takeover won
   */
  void beginFinalize();

  /** Final write, fenced on the token; false when fenced out (someone else decides the final state). */
  boolean finish(RunStatus status, RunEnd end);

  /** Progress on the run record (not fenced: a stale worker's progress is harmless and overwritten). */
  void progress(String stage, double fraction);
}
