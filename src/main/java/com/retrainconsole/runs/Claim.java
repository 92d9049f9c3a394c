package com.retrainconsole.runs;

import com.retrainconsole.runs.RunRecord.Params;
import com.retrainconsole.runs.RunRecord.Trigger;
import java.time.Instant;

/**
 * A run this worker owns until {@code leaseUntil}, as long as {@code token} is still the queue item's
 * token. Every later write (heartbeat, run record, model, pointer) is conditioned on the token, so a
 * worker whose lease was taken over can neither finish nor promote.
 */
public record Claim(
    String runId,
    String deviceId,
    long token,
    String owner,
    Params params,
    Trigger trigger,
    int attempt,
    String retryOf,
    Instant startedAt,
    Instant leaseUntil) {}
