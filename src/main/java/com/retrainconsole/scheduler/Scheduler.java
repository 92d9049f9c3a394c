package com.retrainconsole.scheduler;

import com.retrainconsole.runs.Claim;
import com.retrainconsole.runs.FailureKind;
import com.retrainconsole.runs.HeartbeatState;
import com.retrainconsole.runs.QueueItem;
import com.retrainconsole.runs.QueuePhase;
import com.retrainconsole.runs.RunEnd;
import com.retrainconsole.runs.RunQueue;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.runs.RunStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scheduler instance (docs/ARCHITECTURE.md §8). Each tick: recover dead leases (and, at start and every N ticks,
 * reconcile crash leftovers), evaluate triggers, claim up to {@code maxConcurrent} runs and hand them to
 * the executor. A watcher thread, separate from the tick so a slow tick never starves it, renews the
 * leases of running work, notices cancels and enforces the timeout. Several instances on one database
 * cooperate through the queue's leases and tokens alone.
 *
 * <p>Shutdown order (db-scheduler): stop claiming, let running work finish within the grace period,
 * then stop it and release its run to the queue (same run_id, not failed); heartbeats stop last.
 * Every exception in a tick is logged and the next tick carries on, so a store outage only pauses work.
 */
public final class Scheduler {
  /** How often running work is checked for cancel and timeout; leases are renewed every heartbeat. */
  static final Duration WATCH = Duration.ofMillis(500);
  private static final Logger log = LoggerFactory.getLogger("scheduler");

  private final RunQueue queue;
  private final RunExecutor executor;
  private final TriggerTick triggers;
  private final Clock clock;
  private final SchedulerConfig config;
  private final Map<String, Active> active = new ConcurrentHashMap<>();
  private final AtomicLong ticks = new AtomicLong();
  private final Object tickLock = new Object();
  private volatile boolean claiming = true;
  private volatile Consumer<RunRecord> onRunFinished = run -> {};
  private ScheduledExecutorService tickThread;
  private ScheduledExecutorService watchThread;
  private volatile SchedulerPresence presence; // null: this instance is not announced (tests, --once)
  private final Object presenceLock = new Object();
  private boolean present; // guarded by presenceLock
  private long presenceBeatNanos; // guarded by presenceLock

  public Scheduler(RunQueue queue, RunExecutor executor, TriggerTick triggers, Clock clock, SchedulerConfig config) {
    this.queue = queue;
    this.executor = executor;
    this.triggers = triggers == null ? TriggerTick.NONE : triggers;
    this.clock = clock;
    this.config = config;
  }

  /** Called with the final run record of every run this instance settled (alert detectors listen here). */
  public void onRunFinished(Consumer<RunRecord> listener) {
    this.onRunFinished = listener;
  }

  /**
   * Announces this instance in {@code presence} from {@link #start()} until {@link #shutdown()}, so faces
   * can tell whether triggers will fire. Call before start.
   */
  public void reportPresence(SchedulerPresence presence) {
    this.presence = presence;
  }

  public SchedulerConfig config() {
    return config;
  }

  /** Run ids this instance is executing now. */
  public List<String> activeRuns() {
    return new ArrayList<>(active.keySet());
  }

  /** Ticks every {@code config.tick()} on its own thread until {@link #shutdown()}. */
  public synchronized void start() {
    if (tickThread != null) {
      return;
    }
    announce();
    ensureWatcher();
    tickThread = Executors.newSingleThreadScheduledExecutor(daemon("scheduler-tick"));
    tickThread.scheduleWithFixedDelay(this::tick, 0, config.tick().toMillis(), TimeUnit.MILLISECONDS);
    log.info("scheduler {} started: tick {}, lease {}, heartbeat {}, max concurrent {}, timeout {}",
        config.owner(), config.tick(), config.lease(), config.heartbeat(), config.maxConcurrent(), config.timeout());
  }

  private volatile double lastTickSeconds = Double.NaN;

  /** How long the last tick took, in seconds (NaN before the first): the API's /metrics reports it. */
  public double lastTickSeconds() {
    return lastTickSeconds;
  }

  /** One tick; never throws (a store outage is logged and the next tick tries again). */
  public void tick() {
    synchronized (tickLock) {
      long started = System.nanoTime();
      long n = ticks.getAndIncrement();
      Instant now = clock.instant();
      try {
        if (n % config.reconcileEveryTicks() == 0) {
          int repaired = queue.reconcile();
          if (repaired > 0) {
            log.info("reconciled {} run(s) left inconsistent by a crash", repaired);
          }
        }
        for (RunQueue.Recovered r : queue.recoverExpired(config.owner(), config.lease())) {
          log.info("recovered run={} device={} status={} reason={} retry={}", r.runId(), r.deviceId(),
              r.status().wire(), r.reason(), r.retryRunId() == null ? "none" : r.retryRunId());
        }
      } catch (RuntimeException e) {
        log.warn("tick {}: recovery failed ({}); next tick retries", n, e.toString());
      }
      try {
        triggers.tick(now);
      } catch (RuntimeException e) {
        log.warn("tick {}: trigger evaluation failed ({}); next tick retries", n, e.toString());
      }
      try {
        while (claiming && active.size() < config.maxConcurrent()) {
          Optional<Claim> claim = queue.claim(config.owner(), config.lease());
          if (claim.isEmpty()) {
            break;
          }
          launch(claim.get());
        }
      } catch (RuntimeException e) {
        log.warn("tick {}: claiming failed ({}); next tick retries", n, e.toString());
      }
      lastTickSeconds = (System.nanoTime() - started) / 1e9;
    }
  }

  /** {@code scheduler --once}: one tick, then wait for what it claimed to end; heartbeats stop after. */
  public void runOnce(Duration maxWait) {
    tick();
    awaitIdle(maxWait);
    stopWatcher();
  }

  /** True when nothing runs here anymore (waits up to {@code maxWait}). */
  public boolean awaitIdle(Duration maxWait) {
    long deadline = System.nanoTime() + maxWait.toNanos();
    while (!active.isEmpty() && System.nanoTime() < deadline) {
      sleep(20);
    }
    return active.isEmpty();
  }

  /**
   * Stops claiming, gives running work {@code shutdownGrace} to finish (heartbeats go on), then stops it
   * and releases its run to the queue; heartbeats stop last.
   */
  public void shutdown() {
    claiming = false;
    withdraw(); // decision: first — from now on no trigger fires here, whatever running work still does
    ScheduledExecutorService ticker;
    synchronized (this) {
      ticker = tickThread;
    }
    if (ticker != null) {
      ticker.shutdown();
      awaitTermination(ticker, Duration.ofSeconds(30));
    }
    synchronized (tickLock) {
      // a tick in progress has finished; none starts again
    }
    if (!awaitIdle(config.shutdownGrace())) {
      List<Active> left = new ArrayList<>(active.values());
      for (Active a : left) {
        log.info("shutdown: stopping run={} device={} after the {} grace period; it goes back to the queue",
            a.claim.runId(), a.claim.deviceId(), config.shutdownGrace());
        a.stop("shutdown");
      }
      for (Active a : left) {
        try {
          a.execution.ended().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
          log.warn("shutdown: run={} did not stop in time ({})", a.claim.runId(), e.toString());
        }
      }
      awaitIdle(Duration.ofSeconds(10)); // the end handlers release the runs
    }
    stopWatcher(); // decision: last, so a run is never left without heartbeats while it still works
    log.info("scheduler {} stopped", config.owner());
  }

  // ---- running work

  private void launch(Claim claim) {
    log.info("claimed run={} device={} attempt={} token={} owner={}", claim.runId(), claim.deviceId(),
        claim.attempt(), claim.token(), claim.owner());
    RunExecutor.Execution execution;
    try {
      execution = executor.start(claim);
    } catch (RuntimeException e) {
      log.warn("run={} could not start ({}); failed", claim.runId(), e.toString());
      queue.finishWithRetry(claim, RunStatus.FAILED, RunEnd.error(FailureKind.NOT_STARTED,
          "could not start the worker: " + e.getMessage()));
      return;
    }
    ensureWatcher();
    Active a = new Active(claim, execution, System.nanoTime());
    active.put(claim.runId(), a);
    execution.ended().whenComplete((code, err) -> ended(a, code == null ? -1 : code));
  }

  /** The work is over (the process is dead): settle what it left open. */
  private void ended(Active a, int exitCode) {
    Claim claim = a.claim;
    String runId = claim.runId();
    long ms = (System.nanoTime() - a.startedNanos) / 1_000_000;
    try {
      Optional<QueueItem> item = queue.item(runId);
      boolean ours = item.isPresent() && item.get().token() == claim.token();
      if (!ours) {
        if ("lease lost".equals(a.stopReason)) {
          log.info("lease lost run={}: work stopped, its final state belongs to whoever took it over", runId);
        } else {
          String status = queue.run(runId).map(r -> r.status() == null ? "?" : r.status().wire()).orElse("?");
          log.info("finished run={} device={} status={} exit={} after {} ms", runId, claim.deviceId(), status,
              exitCode, ms);
        }
        return;
      }
      QueuePhase phase = item.get().phase();
      boolean workerOwned = phase != null && phase.workerOwned();
      if (phase == QueuePhase.CANCELLING) {
        String by = item.get().cancelRequestedBy();
        if (queue.finish(claim, RunStatus.CANCELLED, RunEnd.error(null, "cancelled by " + by).withDuration(ms))) {
          log.info("cancelled run={} device={} by {} after {} ms (worker stopped)", runId, claim.deviceId(), by, ms);
        }
      } else if (phase == QueuePhase.TIMING_OUT) {
        queue.finishWithRetry(claim, RunStatus.TIMED_OUT,
            RunEnd.error(null, "timed out after " + config.timeout() + " (worker stopped)").withDuration(ms))
            .ifPresent(f -> log.info("timed out run={} device={} after {} ms, retry={}", runId, claim.deviceId(), ms,
                retryName(f)));
      } else if ("shutdown".equals(a.stopReason) && workerOwned) {
        if (queue.release(claim, "scheduler " + config.owner() + " shut down")) {
          log.info("released run={} device={}: back in the queue for another scheduler", runId, claim.deviceId());
        }
      } else if (workerOwned) {
        queue.finishWithRetry(claim, RunStatus.FAILED, RunEnd.error(FailureKind.WORKER_EXITED,
                "worker ended without a result (exit code " + exitCode + ")").withDuration(ms))
            .ifPresent(f -> log.info("finished run={} device={} status=failed (worker exit {}) retry={}", runId,
                claim.deviceId(), exitCode, retryName(f)));
      }
      // phase done or recovering: the worker won its final write or recovery owns the run
    } catch (RuntimeException e) {
      // decision: the item stays running; without our heartbeats its lease expires and recovery closes it
      log.warn("run={} ended but could not be settled ({}); recovery will close it", runId, e.toString());
    } finally {
      active.remove(runId);
      notifyFinished(runId);
    }
  }

  private void notifyFinished(String runId) {
    try {
      queue.run(runId).filter(RunRecord::isFinal).ifPresent(onRunFinished);
    } catch (RuntimeException e) {
      log.warn("run={} finished but its listeners failed: {}", runId, e.toString());
    }
  }

  private static String retryName(RunQueue.Finished f) {
    return f.retryRunId() == null ? "none (attempts used up)" : f.retryRunId();
  }

  /**
   * decision: a worker that finishes deletes its queue item, so between its final write and the process
   * exit a heartbeat finds nothing: that is the run ending, not the lease being taken over. Told apart
   * from a takeover by state, not wording: recovery writes its own token on the record it closes, and a
   * run failed for a lost worker says so in its failure kind.
   */
  private boolean finishedByItsWorker(Claim claim) {
    if (queue.item(claim.runId()).isPresent()) {
      return false;
    }
    return queue.run(claim.runId())
        .filter(RunRecord::isFinal)
        .filter(r -> r.token() != null && r.token() == claim.token())
        .filter(r -> r.failure() != FailureKind.WORKER_LOST)
        .isPresent();
  }

  private void announce() {
    SchedulerPresence p = presence;
    if (p == null) {
      return;
    }
    synchronized (presenceLock) {
      try {
        p.register(config.owner());
      } catch (RuntimeException e) {
        log.warn("could not announce scheduler {} ({}); the next heartbeat retries", config.owner(), e.toString());
      }
      present = true;
      presenceBeatNanos = System.nanoTime();
    }
  }

  /** Renews this instance's presence every {@link SchedulerPresence#BEAT} (watcher thread). */
  private void beatPresence() {
    SchedulerPresence p = presence;
    if (p == null) {
      return;
    }
    synchronized (presenceLock) { // decision: under the lock, so a beat never re-creates a withdrawn document
      if (!present || System.nanoTime() - presenceBeatNanos < SchedulerPresence.BEAT.toNanos()) {
        return;
      }
      presenceBeatNanos = System.nanoTime();
      try {
        p.beat(config.owner());
      } catch (RuntimeException e) {
        log.warn("presence heartbeat of scheduler {} failed ({}); retrying", config.owner(), e.toString());
      }
    }
  }

  private void withdraw() {
    SchedulerPresence p = presence;
    if (p == null) {
      return;
    }
    synchronized (presenceLock) {
      if (!present) {
        return;
      }
      present = false;
      try {
        p.remove(config.owner());
      } catch (RuntimeException e) {
        log.warn("could not withdraw scheduler {} ({}); it counts as gone once its heartbeat is stale",
            config.owner(), e.toString());
      }
    }
  }

  /** Renews leases every heartbeat; checks cancel and timeout every {@link #WATCH}. */
  private void watch() {
    beatPresence();
    Instant now = clock.instant();
    for (Active a : active.values()) {
      try {
        boolean renew = System.nanoTime() - a.lastBeatNanos >= config.heartbeat().toNanos();
        HeartbeatState state;
        if (renew) {
          state = queue.heartbeatState(a.claim, config.lease());
          a.lastBeatNanos = System.nanoTime();
        } else {
          state = queue.peek(a.claim);
        }
        if (a.stopReason != null) {
          continue; // already stopping; heartbeats go on until the work is dead
        }
        if (state == HeartbeatState.LOST && finishedByItsWorker(a.claim)) {
          continue; // the worker wrote its final state and removed the item; its exit follows
        }
        if (state == HeartbeatState.LOST) {
          log.info("lease lost run={} device={} token={}: stopping the work", a.claim.runId(), a.claim.deviceId(),
              a.claim.token());
          a.stop("lease lost");
        } else if (state == HeartbeatState.CANCEL_REQUESTED) {
          log.info("cancelling run={} device={}: stopping the work", a.claim.runId(), a.claim.deviceId());
          a.stop("cancel");
        } else if (Duration.between(a.claim.startedAt(), now).compareTo(config.timeout()) > 0
            && queue.beginTimeout(a.claim)) {
          log.info("timing out run={} device={} after {}: stopping the work", a.claim.runId(), a.claim.deviceId(),
              config.timeout());
          a.stop("timeout");
        }
      } catch (RuntimeException e) {
        log.warn("heartbeat of run={} failed ({}); retrying", a.claim.runId(), e.toString());
      }
    }
  }

  private synchronized void ensureWatcher() {
    if (watchThread == null) {
      watchThread = Executors.newSingleThreadScheduledExecutor(daemon("scheduler-heartbeat"));
      watchThread.scheduleWithFixedDelay(this::watch, WATCH.toMillis(), WATCH.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private synchronized void stopWatcher() {
    if (watchThread != null) {
      watchThread.shutdownNow();
      watchThread = null;
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  private static void awaitTermination(ScheduledExecutorService s, Duration d) {
    try {
      s.awaitTermination(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final class Active {
    final Claim claim;
    final RunExecutor.Execution execution;
    final long startedNanos;
    volatile long lastBeatNanos;
    volatile String stopReason;

    Active(Claim claim, RunExecutor.Execution execution, long startedNanos) {
      this.claim = claim;
      this.execution = execution;
      this.startedNanos = startedNanos;
      this.lastBeatNanos = startedNanos;
    }

    void stop(String reason) {
      stopReason = reason;
      execution.kill();
    }
  }
}
