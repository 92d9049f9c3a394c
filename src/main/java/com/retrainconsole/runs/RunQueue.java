package com.retrainconsole.runs;

import static com.retrainconsole.runs.RunCodec.CANCEL_REQUESTED;
import static com.retrainconsole.runs.RunCodec.CANCEL_REQUESTED_AT;
import static com.retrainconsole.runs.RunCodec.CANCEL_REQUESTED_BY;
import static com.retrainconsole.runs.RunCodec.DEVICE_ID;
import static com.retrainconsole.runs.RunCodec.DUE_AT;
import static com.retrainconsole.runs.RunCodec.FINAL_STATUS;
import static com.retrainconsole.runs.RunCodec.FIRE_KEY;
import static com.retrainconsole.runs.RunCodec.LEASE_EXPIRED_AT;
import static com.retrainconsole.runs.RunCodec.LEASE_OWNER;
import static com.retrainconsole.runs.RunCodec.LEASE_UNTIL;
import static com.retrainconsole.runs.RunCodec.PHASE;
import static com.retrainconsole.runs.RunCodec.PROGRESS;
import static com.retrainconsole.runs.RunCodec.QUEUED_AT;
import static com.retrainconsole.runs.RunCodec.RECOVER_FROM;
import static com.retrainconsole.runs.RunCodec.RELEASED_AT;
import static com.retrainconsole.runs.RunCodec.RELEASE_REASON;
import static com.retrainconsole.runs.RunCodec.RETRY_WANTED;
import static com.retrainconsole.runs.RunCodec.RUNNING_DEVICE;
import static com.retrainconsole.runs.RunCodec.RUN_ID;
import static com.retrainconsole.runs.RunCodec.STARTED_AT;
import static com.retrainconsole.runs.RunCodec.STATUS;
import static com.retrainconsole.runs.RunCodec.TOKEN;
import static com.retrainconsole.runs.RunCodec.date;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.retrainconsole.runs.RunRecord.Decision;
import com.retrainconsole.runs.RunRecord.Model;
import com.retrainconsole.runs.RunRecord.Params;
import com.retrainconsole.runs.RunRecord.Trigger;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live queue ({@code run_queue}: pending and running items only) beside the full history
 * ({@code model_runs}); both share {@code run_id} (docs/ARCHITECTURE.md §6). The embedded store scans whole
 * collections, so the queue stays small: an item is deleted once its run record is final.
 *
 * <p>Ownership: every conditional write goes to the small queue item (claim, heartbeat, phase moves,
 * finish); the run record is then written by its plain {@code run_id} (a unique-index lookup, fast even
 * with 100k runs) only by whoever won the item. Fencing: a claim bumps the item's {@code token}; recovery
 * and release bump it again, so a worker holding an old token matches nothing.
 *
 * <p>Phases of a running item: see {@link QueuePhase}. Each move is one conditional update on the phase it
 * leaves, so cancel or timeout racing completion resolves to exactly one state.
 *
 * <p>At most one running run per device across all schedulers: a running item carries {@code
 * running_device} under a unique sparse index; a claim that hits it moves on to the next candidate.
 */
public final class RunQueue {
  /** Pending runs younger than this are left alone by reconcile: their queue item may be on its way. */
  static final Duration RECONCILE_MIN_AGE = Duration.ofMinutes(1);
  private static final int CANDIDATES = 32;
  private static final Logger log = LoggerFactory.getLogger("scheduler");

  private final MongoCollection<Document> queue;
  private final MongoCollection<Document> runs;
  private final Clock clock;
  private final RetryPolicy retryPolicy;
  private final RandomGenerator random;
  private final ModelInService modelInService;
  private final InlineLeases inline;

  public RunQueue(Store store, Clock clock) {
    this(store, clock, RetryPolicy.defaults(), ModelInService.UNKNOWN);
  }

  public RunQueue(Store store, Clock clock, RetryPolicy retryPolicy, ModelInService modelInService) {
    this.queue = store.collection(Collections.RUN_QUEUE);
    this.runs = store.collection(Collections.MODEL_RUNS);
    this.clock = clock;
    this.retryPolicy = retryPolicy;
    this.random = RandomGenerator.getDefault();
    this.modelInService = modelInService;
    this.inline = new InlineLeases(runs, clock);
  }

  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /** A request with the run id it will get, known before anything is written (a tick plans, then writes). */
  public record Planned(String runId, EnqueueRequest request) {}

  public Planned plan(EnqueueRequest req) {
    return new Planned(RunIds.newId(clock.instant()), req);
  }

  /** {@link #enqueueAll} of one request. */
  public Enqueued enqueue(EnqueueRequest req) {
    return enqueueAll(List.of(plan(req))).get(0);
  }

  /**
   * Writes the run records (pending) and then their queue items, two write commands for the whole list; the
   * answer is in the order of {@code planned}. A request whose fire_key already has a run is not written
   * again: its answer names the existing run with {@code created} false. decision: the run records go first
   * because their unique fire_key outlives the queue item; a crash between the two leaves pending runs
   * without items, which {@link #reconcile} re-queues. Batched because the durable embedded store commits
   * every write command: a tick firing 400 triggers made 800 single commits.
   */
  public List<Enqueued> enqueueAll(List<Planned> planned) {
    if (planned.isEmpty()) {
      return List.of();
    }
    Instant now = clock.instant();
    List<Document> runDocs = new ArrayList<>(planned.size());
    List<Document> items = new ArrayList<>(planned.size());
    for (Planned p : planned) {
      EnqueueRequest req = p.request();
      Instant due = req.dueAt() != null ? req.dueAt() : now;
      runDocs.add(RunCodec.insert(RunRecord.pending(p.runId(), req.deviceId(), req.trigger(), req.params(),
          req.fireKey(), now, due, req.attempt(), req.retryOf())));
      items.add(RunCodec.queueItem(p.runId(), req.deviceId(), due, now, req.attempt(), req.fireKey()));
    }
    Set<Integer> duplicates = new HashSet<>();
    try {
      runs.insertMany(runDocs, new InsertManyOptions().ordered(false));
    } catch (MongoBulkWriteException e) {
      for (BulkWriteError err : e.getWriteErrors()) {
        if (ErrorCategory.fromErrorCode(err.getCode()) != ErrorCategory.DUPLICATE_KEY
            || planned.get(err.getIndex()).request().fireKey() == null) {
          throw e;
        }
        duplicates.add(err.getIndex());
      }
    }
    Map<String, String> existing = new HashMap<>();
    if (!duplicates.isEmpty()) {
      List<String> keys = duplicates.stream().map(i -> planned.get(i).request().fireKey()).toList();
      for (Document d : runs.find(Filters.in(FIRE_KEY, keys)).projection(Projections.include(FIRE_KEY, RUN_ID))) {
        RunRecord r = RunCodec.read(d);
        existing.put(r.fireKey(), r.runId());
      }
    }
    List<Document> newItems = new ArrayList<>();
    List<Enqueued> out = new ArrayList<>(planned.size());
    for (int i = 0; i < planned.size(); i++) {
      if (duplicates.contains(i)) {
        out.add(new Enqueued(existing.get(planned.get(i).request().fireKey()), false));
      } else {
        newItems.add(items.get(i));
        out.add(new Enqueued(planned.get(i).runId(), true));
      }
    }
    if (!newItems.isEmpty()) {
      queue.insertMany(newItems, new InsertManyOptions().ordered(false));
    }
    return out;
  }

  // ---- claim, heartbeat, finish

  /**
   * Claims the oldest due pending run whose device has no running run: item → running with a lease and a
   * new token; the run record gets the same status, token, lease and started_at.
   */
  public Optional<Claim> claim(String owner, Duration lease) {
    Instant now = clock.instant();
    List<QueueItem> candidates = new ArrayList<>();
    queue.find(Filters.and(Filters.eq(STATUS, RunStatus.PENDING.wire()), Filters.lte(DUE_AT, date(now))))
        .projection(Projections.include(RUN_ID, DEVICE_ID))
        .sort(Sorts.ascending(DUE_AT, QUEUED_AT))
        .limit(CANDIDATES)
        .forEach(d -> candidates.add(RunCodec.readItem(d)));
    Set<String> busyDevices = new HashSet<>();
    for (QueueItem c : candidates) {
      String device = c.deviceId();
      if (busyDevices.contains(device)) {
        continue;
      }
      Instant until = now.plus(lease);
      QueueItem item;
      try {
        item = RunCodec.readItem(queue.findOneAndUpdate(
            new Document(RUN_ID, c.runId()).append(STATUS, RunStatus.PENDING.wire()),
            Updates.combine(
                Updates.set(STATUS, RunStatus.RUNNING.wire()),
                Updates.set(PHASE, QueuePhase.RUNNING.wire()),
                Updates.set(LEASE_OWNER, owner),
                Updates.set(LEASE_UNTIL, date(until)),
                Updates.set(STARTED_AT, date(now)),
                Updates.set(RUNNING_DEVICE, device),
                Updates.inc(TOKEN, 1L)),
            new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)));
      } catch (MongoException e) {
        if (ErrorCategory.fromErrorCode(e.getCode()) == ErrorCategory.DUPLICATE_KEY) {
          busyDevices.add(device); // another run of this device is running (here or on another scheduler)
          continue;
        }
        throw e;
      }
      if (item == null) {
        continue; // another scheduler took it first
      }
      long token = item.token();
      Document before = runs.findOneAndUpdate(new Document(RUN_ID, item.runId()),
          Updates.combine(
              Updates.set(STATUS, RunStatus.RUNNING.wire()),
              Updates.set(TOKEN, token),
              Updates.set(LEASE_OWNER, owner),
              Updates.set(LEASE_UNTIL, date(until)),
              Updates.set(STARTED_AT, date(now)),
              Updates.set(PROGRESS, RunCodec.progress("claimed", 0.0))),
          new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE));
      RunRecord run = RunCodec.read(before);
      if (run == null || run.isFinal()) {
        // decision: an item whose run is gone or already final is stale (a crash between the run's final
        // write and the item's delete); put the record back as it was and drop the item
        if (run != null) {
          runs.replaceOne(new Document(RUN_ID, run.runId()), before);
        }
        queue.deleteOne(new Document(RUN_ID, item.runId()).append(TOKEN, token));
        continue;
      }
      return Optional.of(new Claim(item.runId(), device, token, owner, run.params(), run.trigger(), run.attempt(),
          run.retryOf(), now, until));
    }
    return Optional.empty();
  }

  /**
   * Rebuilds the claim a parent handed to a worker process, checking that it still holds.
   *
   * @throws FencedOutException when the item is gone or carries another token
   */
  public Claim resume(String runId, long token) {
    QueueItem item = item(runId).orElse(null);
    if (item == null || item.token() != token || !item.running()) {
      throw new FencedOutException("run " + runId + " is no longer claimed with token " + token);
    }
    RunRecord run = run(runId).orElseThrow(() -> new FencedOutException("run " + runId + " has no run record"));
    return new Claim(runId, item.deviceId(), token, item.leaseOwner(), run.params(), run.trigger(), run.attempt(),
        run.retryOf(), item.startedAt(), item.leaseUntil());
  }

  /** Renews the lease; false when it was lost (the worker must stop and write nothing). */
  public boolean heartbeat(Claim claim, Duration lease) {
    return heartbeatState(claim, lease) != HeartbeatState.LOST;
  }

  /** Renews the lease and reports a requested cancel in the same round trip. */
  public HeartbeatState heartbeatState(Claim claim, Duration lease) {
    Instant until = clock.instant().plus(lease);
    QueueItem item = RunCodec.readItem(queue.findOneAndUpdate(
        new Document(RUN_ID, claim.runId()).append(TOKEN, claim.token()).append(STATUS, RunStatus.RUNNING.wire()),
        Updates.set(LEASE_UNTIL, date(until)),
        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)));
    if (item == null) {
      return HeartbeatState.LOST;
    }
    runs.updateOne(new Document(RUN_ID, claim.runId()), Updates.set(LEASE_UNTIL, date(until)));
    return stateOf(item);
  }

  /** The claim's state without renewing the lease. */
  public HeartbeatState peek(Claim claim) {
    QueueItem item = item(claim.runId()).orElse(null);
    if (item == null || item.token() != claim.token()) {
      return HeartbeatState.LOST;
    }
    return stateOf(item);
  }

  private static HeartbeatState stateOf(QueueItem item) {
    return item.phase() == QueuePhase.CANCELLING ? HeartbeatState.CANCEL_REQUESTED : HeartbeatState.OK;
  }

  /** The run record (model_runs) of a run, if any. */
  public Optional<RunRecord> run(String runId) {
    return Optional.ofNullable(RunCodec.read(runs.find(new Document(RUN_ID, runId)).first()));
  }

  /** The live queue item of a run, if any. */
  public Optional<QueueItem> item(String runId) {
    return Optional.ofNullable(RunCodec.readItem(queue.find(new Document(RUN_ID, runId)).first()));
  }

  /** Every live queue item (the queue holds only pending and running work, so it stays small). */
  public List<QueueItem> items() {
    List<QueueItem> out = new ArrayList<>();
    queue.find().forEach(d -> out.add(RunCodec.readItem(d)));
    return out;
  }

  /** A fence and the fenced writes for the worker that holds {@code claim}. */
  public ClaimedRun claimed(Claim claim) {
    return new ClaimedRun() {
      @Override
      public Claim claim() {
        return claim;
      }

      @Override
      public void check() {
        QueueItem item = item(claim.runId()).orElse(null);
        if (item == null) {
          throw new FencedOutException("run " + claim.runId() + " is no longer queued");
        }
        if (item.token() != claim.token()) {
          throw new FencedOutException("run " + claim.runId() + ": claim token " + claim.token()
              + " was superseded by " + item.token() + " (lease lost)");
        }
        if (item.phase() == null || !item.phase().workerOwned()) {
          throw new FencedOutException("run " + claim.runId() + " is "
              + (item.phase() == null ? "pending" : item.phase().wire()));
        }
      }

      @Override
      public void beginFinalize() {
        long moved = queue.updateOne(
            new Document(RUN_ID, claim.runId()).append(TOKEN, claim.token())
                .append(STATUS, RunStatus.RUNNING.wire()).append(PHASE, QueuePhase.RUNNING.wire()),
            Updates.set(PHASE, QueuePhase.FINALIZING.wire())).getModifiedCount();
        if (moved != 1) {
          check(); // throws with the reason (cancel, timeout, takeover)
          throw new FencedOutException("run " + claim.runId() + " could not enter finalizing");
        }
      }

      @Override
      public boolean finish(RunStatus status, RunEnd end) {
        return RunQueue.this.finish(claim, status, end);
      }

      @Override
      public void progress(String stage, double fraction) {
        runs.updateOne(new Document(RUN_ID, claim.runId()), Updates.set(PROGRESS, RunCodec.progress(stage, fraction)));
      }
    };
  }

  /**
   * Moves the run to its final state, fenced on the token and on the phase that may end this way
   * (completed/failed from running or finalizing, cancelled from cancelling, timed_out from timing_out);
   * then deletes the queue item. False when fenced out: someone else owns the final state.
   */
  public boolean finish(Claim claim, RunStatus status, RunEnd end) {
    return finish(claim, status, end, false).isPresent();
  }

  /** What {@link #finishWithRetry} did: the retry's run id, or null when the policy has no attempt left. */
  public record Finished(String retryRunId) {}

  /**
   * {@link #finish} for a run that died outside the data (worker lost, no result, timed out), then its next
   * attempt per the retry policy. Crash-safe: the wish to retry is written with the final phase on the queue
   * item, and the item is deleted only after the retry is queued; a crash in between leaves an item whose
   * lease expires, and recovery queues the retry (its fire key keeps it to one). Empty when fenced out.
   */
  public Optional<Finished> finishWithRetry(Claim claim, RunStatus status, RunEnd end) {
    return finish(claim, status, end, true);
  }

  private Optional<Finished> finish(Claim claim, RunStatus status, RunEnd end, boolean retry) {
    if (!status.isFinal()) {
      throw new IllegalArgumentException("not a final status: " + status);
    }
    List<String> phases = switch (status) {
      case COMPLETED, FAILED -> List.of(QueuePhase.RUNNING.wire(), QueuePhase.FINALIZING.wire());
      case CANCELLED -> List.of(QueuePhase.CANCELLING.wire());
      case TIMED_OUT -> List.of(QueuePhase.TIMING_OUT.wire());
      default -> throw new IllegalArgumentException(status.toString());
    };
    Document won = queue.findOneAndUpdate(
        Filters.and(Filters.eq(RUN_ID, claim.runId()), Filters.eq(TOKEN, claim.token()),
            Filters.eq(STATUS, RunStatus.RUNNING.wire()), Filters.in(PHASE, phases)),
        Updates.combine(Updates.set(PHASE, QueuePhase.DONE.wire()), Updates.set(FINAL_STATUS, status.wire()),
            Updates.set(RETRY_WANTED, retry)));
    if (won == null) {
      return Optional.empty();
    }
    writeFinal(claim.runId(), status, RunCodec.end(end));
    String retryRunId = retry ? retry(claim).map(Enqueued::runId).orElse(null) : null;
    queue.deleteOne(new Document(RUN_ID, claim.runId()).append(TOKEN, claim.token()));
    return Optional.of(new Finished(retryRunId));
  }

  /**
   * A timeout wants to end the run: phase running → timing_out, fenced on the token. False when the run
   * is already finalizing, cancelling or no longer ours (it then ends on its own).
   */
  public boolean beginTimeout(Claim claim) {
    return queue.updateOne(
        new Document(RUN_ID, claim.runId()).append(TOKEN, claim.token())
            .append(STATUS, RunStatus.RUNNING.wire()).append(PHASE, QueuePhase.RUNNING.wire()),
        Updates.set(PHASE, QueuePhase.TIMING_OUT.wire())).getModifiedCount() == 1;
  }

  /**
   * Gives a running run back to the queue (graceful shutdown; the work was stopped first): the item is
   * pending again with the same run_id and attempt, and its token is bumped so the stopped worker stays
   * fenced out. False when the claim no longer holds or the run is past the point of release.
   */
  public boolean release(Claim claim, String why) {
    Instant now = clock.instant();
    Document released = queue.findOneAndUpdate(
        Filters.and(Filters.eq(RUN_ID, claim.runId()), Filters.eq(TOKEN, claim.token()),
            Filters.eq(STATUS, RunStatus.RUNNING.wire()),
            Filters.in(PHASE, QueuePhase.RUNNING.wire(), QueuePhase.FINALIZING.wire())),
        Updates.combine(
            Updates.set(STATUS, RunStatus.PENDING.wire()),
            Updates.set(DUE_AT, date(now)),
            Updates.unset(PHASE), Updates.unset(LEASE_OWNER), Updates.unset(LEASE_UNTIL),
            Updates.unset(RUNNING_DEVICE), Updates.unset(STARTED_AT),
            Updates.inc(TOKEN, 1L)));
    if (released == null) {
      return false;
    }
    runs.updateOne(new Document(RUN_ID, claim.runId()), Updates.combine(
        Updates.set(STATUS, RunStatus.PENDING.wire()),
        Updates.set(PROGRESS, RunCodec.progress("released", 0.0)),
        Updates.set(RELEASED_AT, date(now)),
        Updates.set(RELEASE_REASON, why),
        Updates.unset(LEASE_OWNER), Updates.unset(LEASE_UNTIL), Updates.unset(STARTED_AT)));
    return true;
  }

  /** Enqueues the next attempt of a run that died outside the data, per the retry policy; empty if none. */
  private Optional<Enqueued> retry(Claim claim) {
    return retry(claim.runId(), claim.deviceId(), claim.trigger(), claim.params(), claim.attempt());
  }

  private Optional<Enqueued> retry(String runId, String deviceId, Trigger trigger, Params params, int attempt) {
    Optional<Duration> delay = retryPolicy.delayAfter(attempt, random);
    if (delay.isEmpty()) {
      return Optional.empty();
    }
    // decision: the retry's fire key makes it exactly-once even when two recoveries race or one crashes
    // half-way and the next one repeats the step
    Enqueued e = enqueue(new EnqueueRequest(deviceId, trigger, params, "retry:" + runId,
        clock.instant().plus(delay.get()), attempt + 1, runId));
    return Optional.of(e);
  }

  // ---- cancel

  /**
   * Pending: cancelled at once and its item deleted. Running: its phase moves running → cancelling (one
   * conditional update, so it races the worker's own move to finalizing fairly); the owning scheduler
   * then stops the work and records cancelled. An inline run (trained by the process that started it) is
   * asked through its record, which that process's lease heartbeat reads; if that process is gone, the run
   * is closed as failed (process lost) first and reported as final.
   */
  public CancelResult requestCancel(String runId, String actor) {
    Instant now = clock.instant();
    QueueItem item = item(runId).orElse(null);
    if (item != null && item.pending()) {
      // decision: mark the record first, so a crash before the item's delete cannot be undone by reconcile
      markCancelRequested(new Document(RUN_ID, runId), actor, now);
      if (queue.deleteOne(new Document(RUN_ID, runId).append(STATUS, RunStatus.PENDING.wire()))
          .getDeletedCount() == 1) {
        writeFinal(runId, RunStatus.CANCELLED, RunCodec.end(RunEnd.error(null,
            "cancelled by " + actor + " before it started")));
        return new CancelResult(CancelResult.Outcome.CANCELLED, runId, "run " + runId + " cancelled");
      }
      item = item(runId).orElse(null); // claimed meanwhile: cancel it running
    }
    if (item != null) {
      boolean requested = queue.updateOne(
          new Document(RUN_ID, runId).append(STATUS, RunStatus.RUNNING.wire()).append(PHASE, QueuePhase.RUNNING.wire()),
          Updates.combine(Updates.set(PHASE, QueuePhase.CANCELLING.wire()), Updates.set(CANCEL_REQUESTED, true),
              Updates.set(CANCEL_REQUESTED_BY, actor))).getModifiedCount() == 1;
      if (requested) {
        markCancelRequested(new Document(RUN_ID, runId), actor, now);
        return new CancelResult(CancelResult.Outcome.REQUESTED, runId,
            "cancel requested for run " + runId + "; its scheduler stops the work");
      }
      QueuePhase phase = item(runId).map(QueueItem::phase).orElse(null);
      if (phase == QueuePhase.CANCELLING) {
        return new CancelResult(CancelResult.Outcome.REQUESTED, runId, "cancel already requested for run " + runId);
      }
      if (phase != null) {
        return new CancelResult(CancelResult.Outcome.ALREADY_FINISHING, runId, "run " + runId
            + " is already finishing (" + phase.label() + "); it ends on its own");
      }
    }
    RunRecord stored = run(runId).orElse(null);
    if (stored == null) {
      return new CancelResult(CancelResult.Outcome.UNKNOWN, runId, "unknown run " + runId);
    }
    RunRecord run = inline.settle(stored);
    if (run.isFinal()) {
      boolean closedNow = !stored.isFinal();
      return new CancelResult(CancelResult.Outcome.ALREADY_FINAL, runId, "run " + runId + " is already "
          + run.status().wire() + (closedNow && run.error() != null ? ": " + run.error() : ""));
    }
    if (run.status() == RunStatus.PENDING) {
      // a pending record without a queue item (crash between the two inserts): nothing will run it
      writeFinal(runId, RunStatus.CANCELLED, RunCodec.end(RunEnd.error(null,
          "cancelled by " + actor + " before it started"))
          .append(CANCEL_REQUESTED, true).append(CANCEL_REQUESTED_BY, actor));
      return new CancelResult(CancelResult.Outcome.CANCELLED, runId, "run " + runId + " cancelled");
    }
    if (run.inline()) {
      boolean asked = markCancelRequested(Filters.and(Filters.eq(RUN_ID, runId),
          Filters.eq(STATUS, RunStatus.RUNNING.wire())), actor, now);
      if (asked) {
        return new CancelResult(CancelResult.Outcome.REQUESTED, runId, "cancel requested for run " + runId
            + "; " + run.lease().process() + " stops it at its next stage");
      }
      return run(runId).filter(RunRecord::isFinal)
          .map(r -> new CancelResult(CancelResult.Outcome.ALREADY_FINAL, runId, "run " + runId + " is already "
              + r.status().wire()))
          .orElseGet(() -> new CancelResult(CancelResult.Outcome.UNKNOWN, runId, "unknown run " + runId));
    }
    return new CancelResult(CancelResult.Outcome.ALREADY_FINISHING, runId, "run " + runId
        + " is " + run.status().wire() + " without a queue item (being closed); it ends on its own");
  }

  private boolean markCancelRequested(Bson filter, String actor, Instant now) {
    return runs.updateOne(filter, Updates.combine(Updates.set(CANCEL_REQUESTED, true),
        Updates.set(CANCEL_REQUESTED_BY, actor), Updates.set(CANCEL_REQUESTED_AT, date(now)))).getMatchedCount() == 1;
  }

  // ---- recovery

  /** One dead lease closed by {@link #recoverExpired}. */
  public record Recovered(String runId, String deviceId, RunStatus status, String reason, String retryRunId) {}

  /**
   * Closes running items whose lease expired (their worker is gone or frozen): bumps the token first (a
   * frozen worker that wakes up is fenced out), then decides by the phase the worker had reached —
   * running: failed "worker lost"; finalizing: completed if the pointer already names the run's model,
   * else failed; cancelling: cancelled; timing_out: timed_out — and enqueues a retry where the policy
   * allows (never for cancelled or completed). A run whose heartbeat is healthy is never touched: the
   * takeover is conditional on {@code lease_until < now} in the same update. The run record gets the
   * takeover's token, so it shows that recovery, not the claim's worker, closed it.
   */
  public List<Recovered> recoverExpired(String owner, Duration lease) {
    Instant now = clock.instant();
    List<QueueItem> expired = new ArrayList<>();
    queue.find(Filters.and(Filters.eq(STATUS, RunStatus.RUNNING.wire()), Filters.lt(LEASE_UNTIL, date(now))))
        .forEach(d -> expired.add(RunCodec.readItem(d)));
    List<Recovered> recovered = new ArrayList<>();
    for (QueueItem c : expired) {
      boolean firstTakeover = c.phase() != QueuePhase.RECOVERING;
      List<Bson> set = new ArrayList<>(List.of(
          Updates.inc(TOKEN, 1L),
          Updates.set(PHASE, QueuePhase.RECOVERING.wire()),
          Updates.set(LEASE_OWNER, owner),
          Updates.set(LEASE_UNTIL, date(now.plus(lease)))));
      if (firstTakeover) {
        set.add(Updates.set(RECOVER_FROM, c.phase() == null ? null : c.phase().wire()));
        set.add(Updates.set(LEASE_EXPIRED_AT, date(c.leaseUntil())));
      }
      QueueItem taken = RunCodec.readItem(queue.findOneAndUpdate(
          Filters.and(Filters.eq(RUN_ID, c.runId()), Filters.eq(TOKEN, c.token()),
              Filters.eq(STATUS, RunStatus.RUNNING.wire()), Filters.lt(LEASE_UNTIL, date(now))),
          Updates.combine(set), new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)));
      if (taken == null) {
        continue; // renewed by its heartbeat, or another scheduler is recovering it
      }
      recovered.add(closeRecovered(taken));
    }
    return recovered;
  }

  private Recovered closeRecovered(QueueItem item) {
    String runId = item.runId();
    String device = item.deviceId();
    QueuePhase from = item.recoverFrom();
    String when = item.leaseExpiredAt() == null ? "?" : item.leaseExpiredAt().toString();
    RunStatus status;
    String reason;
    boolean retry;
    RunEnd end;
    if (from == QueuePhase.CANCELLING) {
      status = RunStatus.CANCELLED;
      reason = "cancelled (its scheduler was lost while stopping it, lease expired at " + when + ")";
      retry = false;
      end = RunEnd.error(null, reason);
    } else if (from == QueuePhase.TIMING_OUT) {
      status = RunStatus.TIMED_OUT;
      reason = "timed out (its scheduler was lost while stopping it, lease expired at " + when + ")";
      retry = true;
      end = RunEnd.error(null, reason);
    } else if (from == QueuePhase.DONE) {
      status = item.finalStatus();
      reason = null; // the worker had won its final write; only the record may be missing it
      retry = item.retryWanted(); // and maybe the retry it asked for
      end = RunEnd.none();
    } else if (from == QueuePhase.FINALIZING) {
      Optional<String> version = modelInService.versionOfRun(device, runId);
      if (version.isPresent()) {
        status = RunStatus.COMPLETED;
        reason = null;
        end = new RunEnd(null, new Model(version.get(), null, null), new Decision(true, null,
            "promoted before its worker was lost (lease expired at " + when + ")"), null, null, null, null);
        retry = false;
      } else {
        status = RunStatus.FAILED;
        reason = "worker lost while saving the model (lease expired at " + when + ")";
        end = RunEnd.error(FailureKind.WORKER_LOST, reason);
        retry = true;
      }
    } else {
      status = RunStatus.FAILED;
      reason = "worker lost (lease expired at " + when + ")";
      end = RunEnd.error(FailureKind.WORKER_LOST, reason);
      retry = true;
    }
    RunRecord run = run(runId).orElse(null);
    String retryRunId = null;
    if (run != null) {
      if (!run.isFinal()) {
        writeFinal(runId, status, RunCodec.end(end).append(TOKEN, item.token()));
      }
      if (retry) {
        retryRunId = retry(runId, device, run.trigger(), run.params(), run.attempt()).map(Enqueued::runId)
            .orElse(null);
      }
    }
    queue.deleteOne(new Document(RUN_ID, runId).append(TOKEN, item.token()));
    return new Recovered(runId, device, status, reason, retryRunId);
  }

  /**
   * Repairs what a crash between two writes can leave (run at startup and every few ticks: it scans
   * model_runs): a pending queue item whose run record is final or missing is deleted; a pending run
   * record older than a minute without a queue item gets its item back (or is cancelled if a cancel was
   * requested); a claimed run record without an item is failed; an inline run whose process is gone or
   * whose lease lapsed is failed (process lost). Returns the number of repairs.
   */
  public int reconcile() {
    Instant now = clock.instant();
    int repairs = 0;
    Set<String> queued = new HashSet<>();
    for (Document d : queue.find().projection(Projections.include(RUN_ID, STATUS))) {
      QueueItem item = RunCodec.readItem(d);
      queued.add(item.runId());
      if (!item.pending()) {
        continue; // running items are closed by recoverExpired once their lease expires
      }
      RunRecord run = RunCodec.read(runs.find(new Document(RUN_ID, item.runId()))
          .projection(Projections.include(STATUS)).first());
      if (run == null || run.isFinal()) {
        repairs += (int) queue.deleteOne(new Document(RUN_ID, item.runId()).append(STATUS, RunStatus.PENDING.wire()))
            .getDeletedCount();
      }
    }
    Instant cutoff = now.minus(RECONCILE_MIN_AGE);
    for (Document d : runs.find(Filters.eq(STATUS, RunStatus.PENDING.wire()))) {
      RunRecord run = RunCodec.read(d);
      String runId = run.runId();
      if (queued.contains(runId) || run.queuedAt() == null || run.queuedAt().isAfter(cutoff)) {
        continue;
      }
      if (run.cancel() != null && run.cancel().requested()) {
        writeFinal(runId, RunStatus.CANCELLED, RunCodec.end(RunEnd.error(null, "cancelled before it started")));
        repairs++;
        continue;
      }
      try {
        queue.insertOne(RunCodec.queueItem(runId, run.deviceId(), run.dueAt() != null ? run.dueAt() : run.queuedAt(),
            run.queuedAt(), run.attempt(), run.fireKey()));
        log.info("reconciled run={} device={}: pending run had no queue item, re-queued", runId, run.deviceId());
        repairs++;
      } catch (MongoWriteException e) {
        if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
          throw e;
        }
      }
    }
    for (Document d : runs.find(Filters.eq(STATUS, RunStatus.RUNNING.wire()))) {
      RunRecord run = RunCodec.read(d);
      String runId = run.runId();
      if (run.inline()) {
        RunRecord settled = inline.settle(run);
        if (settled.isFinal()) {
          log.info("reconciled run={} device={}: {}", runId, run.deviceId(), settled.error());
          repairs++;
        }
        continue;
      }
      if (run.token() == null || queued.contains(runId)
          || (run.startedAt() != null && run.startedAt().isAfter(cutoff))
          || queue.find(new Document(RUN_ID, runId)).first() != null) {
        continue;
      }
      writeFinal(runId, RunStatus.FAILED, RunCodec.end(RunEnd.error(FailureKind.WORKER_LOST,
          "worker lost (run had no queue item)")));
      log.info("reconciled run={}: running without a queue item, failed", runId);
      repairs++;
    }
    return repairs;
  }

  // ---- helpers

  /** Final fields on the run record, by plain run_id (the caller won the queue item). */
  private void writeFinal(String runId, RunStatus status, Document fields) {
    runs.updateOne(new Document(RUN_ID, runId),
        new Document("$set", RunCodec.closing(fields, status, clock.instant())));
  }
}
