package com.retrainconsole.runs;

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
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
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
 * <p>Phases of a running item: {@code running} → {@code finalizing} (the worker is saving its model) →
 * {@code done}; or {@code running} → {@code cancelling} / {@code timing_out}. Each move is one conditional
 * update on {@code phase: running}, so cancel or timeout racing completion resolves to exactly one state.
 * {@code recovering}: a dead worker's item being closed by recovery.
 *
 * <p>At most one running run per device across all schedulers: a running item carries {@code
 * running_device} under a unique sparse index; a claim that hits it moves on to the next candidate.
 */
public final class RunQueue {
  public static final String PHASE_RUNNING = "running";
  public static final String PHASE_FINALIZING = "finalizing";
  public static final String PHASE_DONE = "done";
  public static final String PHASE_CANCELLING = "cancelling";
  public static final String PHASE_TIMING_OUT = "timing_out";
  public static final String PHASE_RECOVERING = "recovering";
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
      Date due = Date.from(req.dueAt() != null ? req.dueAt() : now);
      Document run = new Document("run_id", p.runId())
          .append("device_id", req.deviceId())
          .append("status", RunStatus.PENDING.wire())
          .append("trigger", req.trigger())
          .append("queued_at", Date.from(now))
          .append("due_at", due)
          .append("attempt", req.attempt())
          .append("retry_of", req.retryOf())
          .append("params", req.params())
          .append("progress", new Document("stage", "queued").append("fraction", 0.0))
          .append("cancel_requested", false);
      Document item = new Document("run_id", p.runId())
          .append("device_id", req.deviceId())
          .append("status", RunStatus.PENDING.wire())
          .append("due_at", due)
          .append("queued_at", Date.from(now))
          .append("attempt", req.attempt())
          .append("token", 0L)
          .append("cancel_requested", false);
      if (req.fireKey() != null) {
        run.append("fire_key", req.fireKey()); // absent, not null, when unset: the unique index is sparse
        item.append("fire_key", req.fireKey());
      }
      runDocs.add(run);
      items.add(item);
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
      for (Document d : runs.find(Filters.in("fire_key", keys)).projection(Projections.include("fire_key",
          "run_id"))) {
        existing.put(d.getString("fire_key"), d.getString("run_id"));
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
    List<Document> candidates = queue
        .find(Filters.and(Filters.eq("status", RunStatus.PENDING.wire()), Filters.lte("due_at", Date.from(now))))
        .projection(Projections.include("run_id", "device_id"))
        .sort(Sorts.ascending("due_at", "queued_at"))
        .limit(CANDIDATES)
        .into(new ArrayList<>());
    Set<String> busyDevices = new HashSet<>();
    for (Document c : candidates) {
      String device = c.getString("device_id");
      if (busyDevices.contains(device)) {
        continue;
      }
      Instant until = now.plus(lease);
      Document item;
      try {
        item = queue.findOneAndUpdate(
            new Document("run_id", c.getString("run_id")).append("status", RunStatus.PENDING.wire()),
            Updates.combine(
                Updates.set("status", RunStatus.RUNNING.wire()),
                Updates.set("phase", PHASE_RUNNING),
                Updates.set("lease_owner", owner),
                Updates.set("lease_until", Date.from(until)),
                Updates.set("started_at", Date.from(now)),
                Updates.set("running_device", device),
                Updates.inc("token", 1L)),
            new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
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
      long token = item.get("token", Number.class).longValue();
      Document run = runs.findOneAndUpdate(new Document("run_id", item.getString("run_id")),
          Updates.combine(
              Updates.set("status", RunStatus.RUNNING.wire()),
              Updates.set("token", token),
              Updates.set("lease_owner", owner),
              Updates.set("lease_until", Date.from(until)),
              Updates.set("started_at", Date.from(now)),
              Updates.set("progress", new Document("stage", "claimed").append("fraction", 0.0))),
          new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE));
      if (run == null || RunStatus.parse(run.getString("status")).isFinal()) {
        // decision: an item whose run is gone or already final is stale (a crash between the run's final
        // write and the item's delete); put the record back as it was and drop the item
        if (run != null) {
          runs.replaceOne(new Document("run_id", run.getString("run_id")), run);
        }
        queue.deleteOne(new Document("run_id", item.getString("run_id")).append("token", token));
        continue;
      }
      return Optional.of(new Claim(item.getString("run_id"), device, token, owner,
          run.get("params", Document.class), run.get("trigger", Document.class),
          run.get("attempt", Number.class) == null ? 1 : run.get("attempt", Number.class).intValue(),
          run.getString("retry_of"), now, until));
    }
    return Optional.empty();
  }

  /**
   * Rebuilds the claim a parent handed to a worker process, checking that it still holds.
   *
   * @throws FencedOutException when the item is gone or carries another token
   */
  public Claim resume(String runId, long token) {
    Document item = queue.find(new Document("run_id", runId)).first();
    if (item == null || item.get("token", Number.class).longValue() != token
        || !RunStatus.RUNNING.wire().equals(item.getString("status"))) {
      throw new FencedOutException("run " + runId + " is no longer claimed with token " + token);
    }
    Document run = runs.find(new Document("run_id", runId)).first();
    if (run == null) {
      throw new FencedOutException("run " + runId + " has no run record");
    }
    return new Claim(runId, item.getString("device_id"), token, item.getString("lease_owner"),
        run.get("params", Document.class), run.get("trigger", Document.class),
        run.get("attempt", Number.class) == null ? 1 : run.get("attempt", Number.class).intValue(),
        run.getString("retry_of"), item.getDate("started_at").toInstant(), item.getDate("lease_until").toInstant());
  }

  /** Renews the lease; false when it was lost (the worker must stop and write nothing). */
  public boolean heartbeat(Claim claim, Duration lease) {
    return heartbeatState(claim, lease) != HeartbeatState.LOST;
  }

  /** Renews the lease and reports a requested cancel in the same round trip. */
  public HeartbeatState heartbeatState(Claim claim, Duration lease) {
    Date until = Date.from(clock.instant().plus(lease));
    Document item = queue.findOneAndUpdate(
        new Document("run_id", claim.runId()).append("token", claim.token())
            .append("status", RunStatus.RUNNING.wire()),
        Updates.set("lease_until", until),
        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
    if (item == null) {
      return HeartbeatState.LOST;
    }
    runs.updateOne(new Document("run_id", claim.runId()), Updates.set("lease_until", until));
    return PHASE_CANCELLING.equals(item.getString("phase")) ? HeartbeatState.CANCEL_REQUESTED : HeartbeatState.OK;
  }

  /** The run record (model_runs) of a run, if any. */
  public Optional<Document> run(String runId) {
    return Optional.ofNullable(runs.find(new Document("run_id", runId)).first());
  }

  /** The live queue item of a run, if any. */
  public Optional<Document> item(String runId) {
    return Optional.ofNullable(queue.find(new Document("run_id", runId)).first());
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
        Document item = queue.find(new Document("run_id", claim.runId())).first();
        if (item == null) {
          throw new FencedOutException("run " + claim.runId() + " is no longer queued");
        }
        long token = item.get("token", Number.class).longValue();
        if (token != claim.token()) {
          throw new FencedOutException("run " + claim.runId() + ": claim token " + claim.token()
              + " was superseded by " + token + " (lease lost)");
        }
        String phase = item.getString("phase");
        if (!PHASE_RUNNING.equals(phase) && !PHASE_FINALIZING.equals(phase)) {
          throw new FencedOutException("run " + claim.runId() + " is " + phase);
        }
      }

      @Override
      public void beginFinalize() {
        long moved = queue.updateOne(
            new Document("run_id", claim.runId()).append("token", claim.token())
                .append("status", RunStatus.RUNNING.wire()).append("phase", PHASE_RUNNING),
            Updates.set("phase", PHASE_FINALIZING)).getModifiedCount();
        if (moved != 1) {
          check(); // throws with the reason (cancel, timeout, takeover)
          throw new FencedOutException("run " + claim.runId() + " could not enter finalizing");
        }
      }

      @Override
      public boolean finish(RunStatus status, Document fields) {
        return RunQueue.this.finish(claim, status, fields);
      }

      @Override
      public void progress(String stage, double fraction) {
        runs.updateOne(new Document("run_id", claim.runId()),
            Updates.set("progress", new Document("stage", stage).append("fraction", fraction)));
      }
    };
  }

  /**
   * Moves the run to its final state, fenced on the token and on the phase that may end this way
   * (completed/failed from running or finalizing, cancelled from cancelling, timed_out from timing_out);
   * then deletes the queue item. False when fenced out: someone else owns the final state.
   */
  public boolean finish(Claim claim, RunStatus status, Document fields) {
    return finish(claim, status, fields, false).isPresent();
  }

  /** What {@link #finishWithRetry} did: the retry's run id, or null when the policy has no attempt left. */
  public record Finished(String retryRunId) {}

  /**
   * {@link #finish} for a run that died outside the data (worker lost, no result, timed out), then its next
   * attempt per the retry policy. Crash-safe: the wish to retry is written with the final phase on the queue
   * item, and the item is deleted only after the retry is queued; a crash in between leaves an item whose
   * lease expires, and recovery queues the retry (its fire key keeps it to one). Empty when fenced out.
   */
  public Optional<Finished> finishWithRetry(Claim claim, RunStatus status, Document fields) {
    return finish(claim, status, fields, true);
  }

  private Optional<Finished> finish(Claim claim, RunStatus status, Document fields, boolean retry) {
    if (!status.isFinal()) {
      throw new IllegalArgumentException("not a final status: " + status);
    }
    List<String> phases = switch (status) {
      case COMPLETED, FAILED -> List.of(PHASE_RUNNING, PHASE_FINALIZING);
      case CANCELLED -> List.of(PHASE_CANCELLING);
      case TIMED_OUT -> List.of(PHASE_TIMING_OUT);
      default -> throw new IllegalArgumentException(status.toString());
    };
    Document won = queue.findOneAndUpdate(
        Filters.and(Filters.eq("run_id", claim.runId()), Filters.eq("token", claim.token()),
            Filters.eq("status", RunStatus.RUNNING.wire()), Filters.in("phase", phases)),
        Updates.combine(Updates.set("phase", PHASE_DONE), Updates.set("final_status", status.wire()),
            Updates.set("retry_wanted", retry)));
    if (won == null) {
      return Optional.empty();
    }
    writeFinal(claim.runId(), status, fields);
    String retryRunId = retry ? retry(claim).map(Enqueued::runId).orElse(null) : null;
    queue.deleteOne(new Document("run_id", claim.runId()).append("token", claim.token()));
    return Optional.of(new Finished(retryRunId));
  }

  /**
   * A timeout wants to end the run: phase running → timing_out, fenced on the token. False when the run
   * is already finalizing, cancelling or no longer ours (it then ends on its own).
   */
  public boolean beginTimeout(Claim claim) {
    return queue.updateOne(
        new Document("run_id", claim.runId()).append("token", claim.token())
            .append("status", RunStatus.RUNNING.wire()).append("phase", PHASE_RUNNING),
        Updates.set("phase", PHASE_TIMING_OUT)).getModifiedCount() == 1;
  }

  /**
   * Gives a running run back to the queue (graceful shutdown; the work was stopped first): the item is
   * pending again with the same run_id and attempt, and its token is bumped so the stopped worker stays
   * fenced out. False when the claim no longer holds or the run is past the point of release.
   */
  public boolean release(Claim claim, String why) {
    Instant now = clock.instant();
    Document released = queue.findOneAndUpdate(
        Filters.and(Filters.eq("run_id", claim.runId()), Filters.eq("token", claim.token()),
            Filters.eq("status", RunStatus.RUNNING.wire()),
            Filters.in("phase", PHASE_RUNNING, PHASE_FINALIZING)),
        Updates.combine(
            Updates.set("status", RunStatus.PENDING.wire()),
            Updates.set("due_at", Date.from(now)),
            Updates.unset("phase"), Updates.unset("lease_owner"), Updates.unset("lease_until"),
            Updates.unset("running_device"), Updates.unset("started_at"),
            Updates.inc("token", 1L)));
    if (released == null) {
      return false;
    }
    runs.updateOne(new Document("run_id", claim.runId()), Updates.combine(
        Updates.set("status", RunStatus.PENDING.wire()),
        Updates.set("progress", new Document("stage", "released").append("fraction", 0.0)),
        Updates.set("released_at", Date.from(now)),
        Updates.set("release_reason", why),
        Updates.unset("lease_owner"), Updates.unset("lease_until"), Updates.unset("started_at")));
    return true;
  }

  /** Enqueues the next attempt of a run that died outside the data, per the retry policy; empty if none. */
  private Optional<Enqueued> retry(Claim claim) {
    return retry(claim.runId(), claim.deviceId(), claim.trigger(), claim.params(), claim.attempt());
  }

  private Optional<Enqueued> retry(String runId, String deviceId, Document trigger, Document params, int attempt) {
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
   * then stops the work and records cancelled.
   */
  public CancelResult requestCancel(String runId, String actor) {
    Date now = Date.from(clock.instant());
    Document item = queue.find(new Document("run_id", runId)).first();
    if (item != null && RunStatus.PENDING.wire().equals(item.getString("status"))) {
      // decision: mark the record first, so a crash before the item's delete cannot be undone by reconcile
      runs.updateOne(new Document("run_id", runId), Updates.combine(Updates.set("cancel_requested", true),
          Updates.set("cancel_requested_by", actor), Updates.set("cancel_requested_at", now)));
      if (queue.deleteOne(new Document("run_id", runId).append("status", RunStatus.PENDING.wire()))
          .getDeletedCount() == 1) {
        writeFinal(runId, RunStatus.CANCELLED, new Document("error", "cancelled by " + actor + " before it started"));
        return new CancelResult(CancelResult.Outcome.CANCELLED, runId, "run " + runId + " cancelled");
      }
      item = queue.find(new Document("run_id", runId)).first(); // claimed meanwhile: cancel it running
    }
    if (item != null) {
      boolean requested = queue.updateOne(
          new Document("run_id", runId).append("status", RunStatus.RUNNING.wire()).append("phase", PHASE_RUNNING),
          Updates.combine(Updates.set("phase", PHASE_CANCELLING), Updates.set("cancel_requested", true),
              Updates.set("cancel_requested_by", actor))).getModifiedCount() == 1;
      if (requested) {
        runs.updateOne(new Document("run_id", runId), Updates.combine(Updates.set("cancel_requested", true),
            Updates.set("cancel_requested_by", actor), Updates.set("cancel_requested_at", now)));
        return new CancelResult(CancelResult.Outcome.REQUESTED, runId,
            "cancel requested for run " + runId + "; its scheduler stops the work");
      }
      Document fresh = queue.find(new Document("run_id", runId)).first();
      String phase = fresh == null ? null : fresh.getString("phase");
      if (PHASE_CANCELLING.equals(phase)) {
        return new CancelResult(CancelResult.Outcome.REQUESTED, runId, "cancel already requested for run " + runId);
      }
      if (phase != null) {
        return new CancelResult(CancelResult.Outcome.ALREADY_FINISHING, runId, "run " + runId
            + " is already finishing (" + phase.replace('_', ' ') + "); it ends on its own");
      }
    }
    Document run = runs.find(new Document("run_id", runId)).first();
    if (run == null) {
      return new CancelResult(CancelResult.Outcome.UNKNOWN, runId, "unknown run " + runId);
    }
    RunStatus status = RunStatus.parse(run.getString("status"));
    if (status.isFinal()) {
      return new CancelResult(CancelResult.Outcome.ALREADY_FINAL, runId, "run " + runId + " is already " + status.wire());
    }
    if (status == RunStatus.PENDING) {
      // a pending record without a queue item (crash between the two inserts): nothing will run it
      writeFinal(runId, RunStatus.CANCELLED, new Document("error", "cancelled by " + actor + " before it started")
          .append("cancel_requested", true).append("cancel_requested_by", actor));
      return new CancelResult(CancelResult.Outcome.CANCELLED, runId, "run " + runId + " cancelled");
    }
    return new CancelResult(CancelResult.Outcome.ALREADY_FINISHING, runId, "run " + runId
        + " is " + status.wire() + " without a queue item (an inline run or one being closed); it ends on its own");
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
   * takeover is conditional on {@code lease_until < now} in the same update.
   */
  public List<Recovered> recoverExpired(String owner, Duration lease) {
    Instant now = clock.instant();
    List<Document> expired = queue.find(Filters.and(Filters.eq("status", RunStatus.RUNNING.wire()),
        Filters.lt("lease_until", Date.from(now)))).into(new ArrayList<>());
    List<Recovered> recovered = new ArrayList<>();
    for (Document c : expired) {
      String phase = c.getString("phase");
      boolean firstTakeover = !PHASE_RECOVERING.equals(phase);
      List<Bson> set = new ArrayList<>(List.of(
          Updates.inc("token", 1L),
          Updates.set("phase", PHASE_RECOVERING),
          Updates.set("lease_owner", owner),
          Updates.set("lease_until", Date.from(now.plus(lease)))));
      if (firstTakeover) {
        set.add(Updates.set("recover_from", phase));
        set.add(Updates.set("lease_expired_at", c.getDate("lease_until")));
      }
      Document taken = queue.findOneAndUpdate(
          Filters.and(Filters.eq("run_id", c.getString("run_id")), Filters.eq("token", c.get("token")),
              Filters.eq("status", RunStatus.RUNNING.wire()), Filters.lt("lease_until", Date.from(now))),
          Updates.combine(set), new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
      if (taken == null) {
        continue; // renewed by its heartbeat, or another scheduler is recovering it
      }
      recovered.add(closeRecovered(taken));
    }
    return recovered;
  }

  private Recovered closeRecovered(Document item) {
    String runId = item.getString("run_id");
    String device = item.getString("device_id");
    String from = item.getString("recover_from");
    Date expiredAt = item.getDate("lease_expired_at");
    String when = expiredAt == null ? "?" : expiredAt.toInstant().toString();
    RunStatus status;
    String reason;
    boolean retry;
    Document extra = new Document();
    if (PHASE_CANCELLING.equals(from)) {
      status = RunStatus.CANCELLED;
      reason = "cancelled (its scheduler was lost while stopping it, lease expired at " + when + ")";
      retry = false;
    } else if (PHASE_TIMING_OUT.equals(from)) {
      status = RunStatus.TIMED_OUT;
      reason = "timed out (its scheduler was lost while stopping it, lease expired at " + when + ")";
      retry = true;
    } else if (PHASE_DONE.equals(from)) {
      status = RunStatus.parse(item.getString("final_status"));
      reason = null; // the worker had won its final write; only the record may be missing it
      retry = Boolean.TRUE.equals(item.getBoolean("retry_wanted")); // and maybe the retry it asked for
    } else if (PHASE_FINALIZING.equals(from)) {
      Optional<String> version = modelInService.versionOfRun(device, runId);
      if (version.isPresent()) {
        status = RunStatus.COMPLETED;
        reason = null;
        extra.append("decision", new Document("promoted", true).append("reason",
            "promoted before its worker was lost (lease expired at " + when + ")"))
            .append("model", new Document("version", version.get()));
        retry = false;
      } else {
        status = RunStatus.FAILED;
        reason = "worker lost while saving the model (lease expired at " + when + ")";
        retry = true;
      }
    } else {
      status = RunStatus.FAILED;
      reason = "worker lost (lease expired at " + when + ")";
      retry = true;
    }
    Document run = runs.find(new Document("run_id", runId)).first();
    String retryRunId = null;
    if (run != null) {
      if (!RunStatus.parse(run.getString("status")).isFinal()) {
        if (reason != null) {
          extra.append("error", reason);
        }
        writeFinal(runId, status, extra);
      }
      if (retry) {
        int attempt = run.get("attempt", Number.class) == null ? 1 : run.get("attempt", Number.class).intValue();
        retryRunId = retry(runId, device, run.get("trigger", Document.class), run.get("params", Document.class),
            attempt).map(Enqueued::runId).orElse(null);
      }
    }
    queue.deleteOne(new Document("run_id", runId).append("token", item.get("token")));
    return new Recovered(runId, device, status, reason, retryRunId);
  }

  /**
   * Repairs what a crash between two writes can leave (run at startup and every few ticks: it scans
   * model_runs): a pending queue item whose run record is final or missing is deleted; a pending run
   * record older than a minute without a queue item gets its item back (or is cancelled if a cancel was
   * requested); a claimed run record without an item is failed. Returns the number of repairs.
   */
  public int reconcile() {
    Instant now = clock.instant();
    int repairs = 0;
    Set<String> queued = new HashSet<>();
    for (Document item : queue.find().projection(Projections.include("run_id", "status"))) {
      String runId = item.getString("run_id");
      queued.add(runId);
      if (!RunStatus.PENDING.wire().equals(item.getString("status"))) {
        continue; // running items are closed by recoverExpired once their lease expires
      }
      Document run = runs.find(new Document("run_id", runId)).projection(Projections.include("status")).first();
      if (run == null || RunStatus.parse(run.getString("status")).isFinal()) {
        repairs += (int) queue.deleteOne(new Document("run_id", runId).append("status", RunStatus.PENDING.wire()))
            .getDeletedCount();
      }
    }
    Date cutoff = Date.from(now.minus(RECONCILE_MIN_AGE));
    for (Document run : runs.find(Filters.eq("status", RunStatus.PENDING.wire()))) {
      String runId = run.getString("run_id");
      Date queuedAt = run.getDate("queued_at");
      if (queued.contains(runId) || queuedAt == null || queuedAt.after(cutoff)) {
        continue;
      }
      if (Boolean.TRUE.equals(run.getBoolean("cancel_requested"))) {
        writeFinal(runId, RunStatus.CANCELLED, new Document("error", "cancelled before it started"));
        repairs++;
        continue;
      }
      Document item = new Document("run_id", runId)
          .append("device_id", run.getString("device_id"))
          .append("status", RunStatus.PENDING.wire())
          .append("due_at", run.getDate("due_at") != null ? run.getDate("due_at") : queuedAt)
          .append("queued_at", queuedAt)
          .append("attempt", run.get("attempt"))
          .append("token", 0L)
          .append("cancel_requested", false);
      if (run.getString("fire_key") != null) {
        item.append("fire_key", run.getString("fire_key"));
      }
      try {
        queue.insertOne(item);
        log.info("reconciled run={} device={}: pending run had no queue item, re-queued", runId,
            run.getString("device_id"));
        repairs++;
      } catch (MongoWriteException e) {
        if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
          throw e;
        }
      }
    }
    for (Document run : runs.find(Filters.and(Filters.eq("status", RunStatus.RUNNING.wire()),
        Filters.exists("token")))) {
      String runId = run.getString("run_id");
      Date started = run.getDate("started_at");
      if (queued.contains(runId) || (started != null && started.after(cutoff))
          || queue.find(new Document("run_id", runId)).first() != null) {
        continue;
      }
      writeFinal(runId, RunStatus.FAILED, new Document("error", "worker lost (run had no queue item)"));
      log.info("reconciled run={}: running without a queue item, failed", runId);
      repairs++;
    }
    return repairs;
  }

  // ---- helpers

  /** Final fields on the run record, by plain run_id (the caller won the queue item). */
  private void writeFinal(String runId, RunStatus status, Document fields) {
    Document set = new Document(fields)
        .append("status", status.wire())
        .append("finished_at", Date.from(clock.instant()))
        .append("progress", new Document("stage", status.wire()).append("fraction", 1.0));
    runs.updateOne(new Document("run_id", runId), new Document("$set", set));
  }

}
