package com.retrainconsole.runs;

import java.time.Instant;

/**
 * One live item of {@code run_queue} (pending or running work only), read through {@link RunCodec}.
 * {@code phase} is null while pending. {@code finalStatus} and {@code retryWanted}: what a worker that
 * won its final write decided (phase done). {@code recoverFrom} and {@code leaseExpiredAt}: the phase a
 * dead worker had reached and when its lease lapsed, kept while recovery closes it.
 */
public record QueueItem(
    String runId,
    String deviceId,
    RunStatus status,
    QueuePhase phase,
    long token,
    String leaseOwner,
    Instant leaseUntil,
    Instant startedAt,
    Instant dueAt,
    Instant queuedAt,
    int attempt,
    String fireKey,
    String cancelRequestedBy,
    RunStatus finalStatus,
    boolean retryWanted,
    QueuePhase recoverFrom,
    Instant leaseExpiredAt) {

  public boolean pending() {
    return status == RunStatus.PENDING;
  }

  public boolean running() {
    return status == RunStatus.RUNNING;
  }
}
