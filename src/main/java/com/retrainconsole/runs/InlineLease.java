package com.retrainconsole.runs;

import static com.retrainconsole.runs.RunCodec.CANCEL_REQUESTED;
import static com.retrainconsole.runs.RunCodec.CANCEL_REQUESTED_BY;
import static com.retrainconsole.runs.RunCodec.LEASE_OWNER;
import static com.retrainconsole.runs.RunCodec.LEASE_UNTIL;
import static com.retrainconsole.runs.RunCodec.RUN_ID;
import static com.retrainconsole.runs.RunCodec.STATUS;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.retrainconsole.common.Durations;
import com.retrainconsole.common.UserException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The holder's side of an inline run's lease: while the process trains the run, a daemon thread renews
 * {@code lease_until} every heartbeat, conditioned on the run still running under this holder. It learns
 * two things on the way, and calls {@code onStop} once for either: a cancel someone asked for on the run
 * record, or that the run is no longer its own (a reader judged the holder gone and closed it). As a
 * {@link Fence} it refuses the model's promotion once the run is no longer its own.
 */
public final class InlineLease implements Fence, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InlineLease.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** How long an inline run's lease lasts and how often its holder renews it. */
  public record Policy(Duration lease, Duration heartbeat) {
    /** Environment variable overriding the lease ({@code 30s}, {@code 2m}); renewed three times per lease. */
    public static final String ENV = "RETRAIN_INLINE_LEASE";

    public Policy {
      if (heartbeat.isNegative() || heartbeat.isZero() || heartbeat.compareTo(lease) >= 0) {
        throw new IllegalArgumentException("the heartbeat (" + heartbeat + ") must be positive and shorter than "
            + "the lease (" + lease + ")");
      }
    }

    /** Lease 30 s, renewed every 10 s: a holder survives two missed renewals. */
    public static Policy defaults() {
      return of(Duration.ofSeconds(30));
    }

    public static Policy of(Duration lease) {
      return new Policy(lease, lease.dividedBy(3));
    }

    /** The policy {@link #ENV} asks for, else the defaults. */
    public static Policy fromEnvironment(Map<String, String> env) {
      String v = env.get(ENV);
      if (v == null || v.isBlank()) {
        return defaults();
      }
      try {
        Duration lease = Durations.parse(v);
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
          throw new UserException("it must be at least 1s");
        }
        return of(lease);
      } catch (UserException e) {
        throw new UserException(ENV + "='" + v.trim() + "' is not a usable lease for inline runs (" + e.getMessage()
            + "); set it like 30s or 2m, or unset it for the default 30s");
      }
    }
  }

  private final MongoCollection<Document> runs;
  private final RunRecord run;
  private final Policy policy;
  private final Clock clock;
  private final Runnable onStop;
  private final ScheduledExecutorService beats;
  private volatile HeartbeatState state = HeartbeatState.OK;
  private volatile String cancelRequestedBy;
  private boolean closed;
  private boolean stopped;

  private InlineLease(MongoCollection<Document> runs, RunRecord run, Policy policy, Clock clock, Runnable onStop) {
    this.runs = runs;
    this.run = run;
    this.policy = policy;
    this.clock = clock;
    this.onStop = onStop;
    this.beats = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "inline-lease-" + run.runId());
      t.setDaemon(true);
      return t;
    });
  }

  static InlineLease start(MongoCollection<Document> runs, RunRecord run, Policy policy, Clock clock,
      Runnable onStop) {
    if (!run.inline()) {
      throw new IllegalArgumentException("run " + run.runId() + " is not held by an inline lease");
    }
    InlineLease lease = new InlineLease(runs, run, policy, clock, onStop);
    long every = policy.heartbeat().toMillis();
    lease.beats.scheduleWithFixedDelay(lease::beat, every, every, TimeUnit.MILLISECONDS);
    return lease;
  }

  /** A lease owner id like a scheduler's: {@code host:pid:random}. */
  static String newOwnerId() {
    byte[] b = new byte[3];
    RANDOM.nextBytes(b);
    return OwnerProcess.localHost() + ":" + ProcessHandle.current().pid() + ":" + HexFormat.of().formatHex(b);
  }

  private Bson mine() {
    return Filters.and(Filters.eq(RUN_ID, run.runId()), Filters.eq(STATUS, RunStatus.RUNNING.wire()),
        Filters.eq(LEASE_OWNER, run.lease().owner()));
  }

  private void beat() {
    try {
      Document d = runs.findOneAndUpdate(mine(),
          Updates.set(LEASE_UNTIL, RunCodec.date(clock.instant().plus(policy.lease()))),
          new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)
              .projection(Projections.include(CANCEL_REQUESTED, CANCEL_REQUESTED_BY)));
      if (d == null) {
        state = HeartbeatState.LOST;
        stop("run " + run.runId() + " is no longer held by this process; stopping its work");
        return;
      }
      RunRecord.Cancel cancel = RunCodec.read(d).cancel();
      if (cancel != null && cancel.requested()) {
        cancelRequestedBy = cancel.by();
        state = HeartbeatState.CANCEL_REQUESTED;
        stop("cancel of run " + run.runId() + " requested by " + cancel.by() + "; stopping its work");
      }
    } catch (RuntimeException e) {
      // the lease outlasts two missed renewals; a store that stays away longer loses it
      if (!isClosed()) {
        log.warn("lease of run {} not renewed ({}); retrying", run.runId(), e.toString());
      }
    }
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  private synchronized void stop(String why) {
    if (!closed && !stopped) {
      stopped = true;
      log.info(why);
      onStop.run();
    }
  }

  /** OK, CANCEL_REQUESTED or LOST, as the last renewal found it. */
  public HeartbeatState state() {
    return state;
  }

  /** Who asked to cancel the run, once a renewal saw it. */
  public String cancelRequestedBy() {
    return cancelRequestedBy;
  }

  /** True once the lease called {@code onStop} (a cancel or a lost run), which may have interrupted a thread. */
  public synchronized boolean stopped() {
    return stopped;
  }

  /** @throws FencedOutException when the run is no longer running under this holder */
  @Override
  public void check() {
    if (state == HeartbeatState.LOST
        || runs.find(mine()).projection(Projections.include(RUN_ID)).first() == null) {
      throw new FencedOutException("run " + run.runId() + " is no longer held by this process (closed as lost)");
    }
  }

  /** Stops renewing; the run's final write follows (or already happened). */
  @Override
  public synchronized void close() {
    closed = true;
    beats.shutdownNow();
  }
}
