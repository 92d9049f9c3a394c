package com.retrainconsole.triggers;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.retrainconsole.alerts.AlertSink;
import com.retrainconsole.registry.ModelRegistry;
import com.retrainconsole.runs.EnqueueRequest;
import com.retrainconsole.runs.Enqueued;
import com.retrainconsole.runs.RunQueue;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import com.retrainconsole.telemetry.DeviceRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates every enabled trigger whose slot is due, writes one trigger event per evaluation and enqueues a
 * run per fire.
 *
 * <p>Exactly once across instances: the run is enqueued first with {@code fire_key = trigger_id + ":" +
 * slot} (unique on model_runs), then the evaluation is claimed by a compare-and-set of {@code next_fire_at}
 * from the slot it was due at to the next slot after now. Only the winner writes the event; a crash between
 * the two re-evaluates the same slot on the next tick and finds the run already there (no fire lost, none
 * doubled). A recurring trigger is one document moved in place to its next slot.
 *
 * <p>Misfires: when several slots passed since {@code next_fire_at} (the service was down), only the latest
 * of them is evaluated, once.
 */
public final class TriggerEngine implements com.retrainconsole.scheduler.TriggerTick {
  private static final Logger log = LoggerFactory.getLogger("scheduler.triggers"); // one decision log with the scheduler
  public static final String ACTOR = "scheduler";

  /** Engine settings: the breaker's K, and the params every fired run gets. */
  public record Settings(int circuitFailures, int runDays, String trainer) {
    public static Settings defaults() {
      return new Settings(3, 30, "xgboost");
    }
  }

  private final Store store;
  private final MongoCollection<Document> triggers;
  private final MongoCollection<Document> modelRuns;
  private final TriggerEvents events;
  private final RunQueue queue;
  private final DeviceRepository devices;
  private final ModelRegistry registry;
  private final AlertSink alerts;
  private final Settings settings;

  public TriggerEngine(Store store, Clock clock, DeviceRepository devices, ModelRegistry registry, AlertSink alerts,
      Settings settings) {
    this.store = store;
    this.triggers = store.collection(Collections.TRIGGERS);
    this.modelRuns = store.collection(Collections.MODEL_RUNS);
    this.events = new TriggerEvents(store);
    this.queue = new RunQueue(store, clock);
    this.devices = devices;
    this.registry = registry;
    this.alerts = alerts;
    this.settings = settings;
  }

  /** What one tick did, for logs and the benchmark. */
  public record TickResult(int due, int evaluated, int fired) {}

  @Override
  public void tick(Instant now) {
    tickWithResult(now);
  }

  public TickResult tickWithResult(Instant now) {
    Map<String, List<Trigger>> byDevice = new LinkedHashMap<>();
    Map<String, Circuit> circuits = new LinkedHashMap<>();
    int due = 0;
    for (Document d : triggers.find(new Document("enabled", true))) {
      Trigger t = Trigger.fromDocument(d);
      if (t.circuit().open() || !circuits.containsKey(t.deviceId())) {
        circuits.put(t.deviceId(), t.circuit());
      }
      if (t.nextFireAt() != null && !t.nextFireAt().isAfter(now)) {
        byDevice.computeIfAbsent(t.deviceId(), k -> new ArrayList<>()).add(t);
        due++;
      }
    }
    TriggerData data = new TriggerData(store, devices, registry);
    int evaluated = 0;
    int fired = 0;
    for (Map.Entry<String, List<Trigger>> e : byDevice.entrySet()) {
      try {
        int[] r = device(e.getKey(), e.getValue(), circuits.get(e.getKey()), now, data);
        evaluated += r[0];
        fired += r[1];
      } catch (RuntimeException ex) {
        // one device's bad data or model must not stop the others; its slots stay due for the next tick
        log.warn("triggers of {} not evaluated: {}", e.getKey(), ex.toString(), ex);
      }
    }
    return new TickResult(due, evaluated, fired);
  }

  private int[] device(String deviceId, List<Trigger> due, Circuit circuit, Instant now, TriggerData data) {
    RunHistory runs = RunHistory.load(modelRuns, deviceId, RunHistory.LOAD_LIMIT);
    boolean open = circuit.open();
    if (!open) {
      int failures = runs.consecutiveFailures(circuit.closedAt());
      if (failures >= settings.circuitFailures()) {
        open = true;
        openCircuit(deviceId, failures, now);
      }
    }
    int evaluated = 0;
    int fired = 0;
    for (Trigger t : due) {
      Schedule schedule = t.schedule();
      Optional<Schedule.Fire> latest = schedule.latestAtOrBefore(now);
      if (latest.isEmpty()) {
        continue;
      }
      Schedule.Fire slot = latest.get();
      Instant next = schedule.nextAfter(now).map(Schedule.Fire::at).orElse(null);
      String note = slot.at().isAfter(t.nextFireAt())
          ? "resumed: slots since " + t.nextFireAt() + " were missed, fired once for the latest" : null;
      TriggerPolicy.Decision d;
      if (open) {
        d = new TriggerPolicy.Decision(false, null, null, "guard: circuit open after " + settings.circuitFailures()
            + " consecutive failed or rejected runs; `triggers enable " + t.triggerId() + "` closes it", null,
            t.history());
      } else {
        d = TriggerPolicy.decide(t, slot, now, runs, data, true, note);
      }
      String fireKey = TriggerPolicy.fireKey(t, slot.at());
      Enqueued enqueued = null;
      if (d.fire()) {
        enqueued = queue.enqueue(new EnqueueRequest(deviceId,
            new Document("type", t.type().wire()).append("trigger_id", t.triggerId()).append("reason", d.reason())
                .append("actor", ACTOR),
            new Document("days", settings.runDays()).append("until", null).append("trainer", settings.trainer())
                .append("dry_run", false),
            fireKey, null, 1, null));
      }
      Document set = new Document("next_fire_at", next == null ? null : Date.from(next))
          .append("last_evaluated_at", Date.from(now)).append("history", d.history());
      if (d.fire()) {
        set.append("last_fired_at", Date.from(now));
      }
      Document claimed = triggers.findOneAndUpdate(
          new Document("trigger_id", t.triggerId()).append("next_fire_at", Date.from(t.nextFireAt())),
          new Document("$set", set).append("$inc", new Document("unfired_events", d.fire() ? 0 : 1)),
          new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
      if (claimed == null) {
        continue; // another instance evaluated this slot (and wrote its event)
      }
      evaluated++;
      events.write(new TriggerEvents.Event(t.triggerId(), deviceId, t.type().wire(), now, slot.at(), d.fire(),
          d.value(), d.threshold(), d.reason(), enqueued == null ? null : enqueued.runId(), d.details()));
      if (d.fire()) {
        fired++;
        runs.add(new RunHistory.RunInfo(enqueued.runId(), now, null, RunStatus.PENDING, null, null, true, fireKey,
            false, t.triggerId()));
        log.info("fired {} ({}) for {} at slot {}: run {}{}", t.triggerId(), t.type().wire(), deviceId, slot.at(),
            enqueued.runId(), enqueued.created() ? "" : " (already enqueued by another instance)");
      } else {
        log.info("skipped {} ({}) for {} at slot {}: {}", t.triggerId(), t.type().wire(), deviceId, slot.at(),
            d.reason());
        Number unfired = claimed.get("unfired_events", Number.class);
        if (unfired != null && unfired.longValue() % TriggerEvents.PRUNE_EVERY == 0) {
          events.prune(t.triggerId());
        }
      }
    }
    return new int[] {evaluated, fired};
  }

  /** Opens the device's circuit on all its triggers; the instance that flips it raises the alert. */
  private void openCircuit(String deviceId, int failures, Instant now) {
    Circuit opened = new Circuit(true, now, failures, null);
    long flipped = triggers.updateMany(
        new Document("device_id", deviceId).append("circuit.open", new Document("$ne", true)),
        new Document("$set", new Document("circuit.open", true).append("circuit.opened_at", Date.from(now))
            .append("circuit.consecutive_failures", failures))).getModifiedCount();
    if (flipped > 0) {
      log.warn("circuit open for {}: {} consecutive failed or rejected runs", deviceId, failures);
      alerts.raise("CIRCUIT_OPEN", deviceId, "circuit:" + deviceId + ":" + now,
          "Automatic retraining of " + deviceId + " paused after " + failures
              + " consecutive failed or rejected runs; fix the cause, then `triggers enable` to resume",
          Map.of("consecutive_failures", failures, "opened_at", opened.openedAt().toString()));
    }
  }
}
