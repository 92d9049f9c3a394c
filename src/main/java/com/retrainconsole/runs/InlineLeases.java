package com.retrainconsole.runs;

import static com.retrainconsole.runs.RunCodec.LEASE_OWNER;
import static com.retrainconsole.runs.RunCodec.LEASE_UNTIL;
import static com.retrainconsole.runs.RunCodec.RUN_ID;
import static com.retrainconsole.runs.RunCodec.STATUS;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.bson.Document;

/**
 * The reader's side of inline runs' leases: a running inline run whose process is gone (on this host: its
 * pid no longer runs) or whose lease lapsed (any host) is closed as failed with {@link
 * FailureKind#PROCESS_LOST}. Nothing else would ever close it: no queue item, no scheduler owns it.
 */
final class InlineLeases {
  private final MongoCollection<Document> runs;
  private final Clock clock;

  InlineLeases(MongoCollection<Document> runs, Clock clock) {
    this.runs = runs;
    this.clock = clock;
  }

  /** Why the holder of a running inline run is gone; empty while it may still work, or for any other run. */
  static Optional<String> lost(RunRecord run, Instant now) {
    if (run.status() != RunStatus.RUNNING || !run.inline()) {
      return Optional.empty();
    }
    OwnerProcess process = run.lease().process();
    if (process.liveness() == OwnerProcess.Liveness.GONE) {
      return Optional.of("process lost (" + process + " is gone)");
    }
    Instant until = run.lease().until();
    if (until != null && until.isBefore(now)) {
      return Optional.of("process lost (" + process + " stopped renewing its lease, which expired at " + until + ")");
    }
    return Optional.empty();
  }

  /**
   * Closes {@code run} if its holder is gone and returns the run as it now stands; any other run comes back
   * as it is. The close is conditional on the lease as read, so a holder that renewed meanwhile keeps it.
   */
  RunRecord settle(RunRecord run) {
    Instant now = clock.instant();
    Optional<String> why = lost(run, now);
    if (why.isEmpty()) {
      return run;
    }
    Document set = RunCodec.closing(RunCodec.end(RunEnd.error(FailureKind.PROCESS_LOST, why.get())),
        RunStatus.FAILED, now);
    runs.updateOne(Filters.and(Filters.eq(RUN_ID, run.runId()), Filters.eq(STATUS, RunStatus.RUNNING.wire()),
            Filters.eq(LEASE_OWNER, run.lease().owner()), Filters.eq(LEASE_UNTIL, RunCodec.date(run.lease().until()))),
        new Document("$set", set));
    Document current = runs.find(new Document(RUN_ID, run.runId())).first(); // whoever won, as it is now
    return current == null ? run : RunCodec.read(current);
  }
}
