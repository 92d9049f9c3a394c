package com.retrainconsole.triggers;

import com.retrainconsole.testing.SettableClock;
import com.retrainconsole.alerts.AlertSink;
import com.retrainconsole.registry.ModelRegistry;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import com.retrainconsole.telemetry.DeviceRepository;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bson.Document;

/** A store, a clock, the trigger services over them, and helpers to tick and count runs. */
final class Fixture implements AutoCloseable {
  final Store store;
  final SettableClock clock;
  final TriggerRepository triggers;
  final DeviceRepository devices;
  final TriggerEvents events;

  Fixture(Instant start) {
    this(Store.openInMemory(), start);
  }

  Fixture(Store store, Instant start) {
    this.store = store;
    this.clock = new SettableClock(start);
    this.triggers = new TriggerRepository(store, clock);
    this.devices = new DeviceRepository(store);
    this.events = new TriggerEvents(store);
  }

  TriggerEngine engine(ModelRegistry registry, AlertSink alerts) {
    return new TriggerEngine(store, clock, devices, registry, alerts, TriggerEngine.Settings.defaults());
  }

  TriggerEngine engine() {
    return engine(null, AlertSink.NONE);
  }

  static Guards noGuards() {
    return new Guards(Duration.ZERO, null, null);
  }

  /** Ticks every {@code step} from the clock's time up to {@code to} (inclusive). */
  void tickUntil(com.retrainconsole.scheduler.TriggerTick engine, Instant to, Duration step) {
    for (Instant t = clock.instant(); !t.isAfter(to); t = t.plus(step)) {
      clock.set(t);
      engine.tick(t);
    }
  }

  List<Document> runsOf(String triggerId) {
    return store.collection(Collections.MODEL_RUNS).find(new Document("trigger.trigger_id", triggerId))
        .into(new ArrayList<>());
  }

  /** The scheduled instants of the runs a trigger created (from their fire keys). */
  List<Instant> firedSlots(String triggerId) {
    List<Instant> out = new ArrayList<>();
    for (Document r : runsOf(triggerId)) {
      out.add(Instant.parse(r.getString("fire_key").substring(triggerId.length() + 1)));
    }
    out.sort(null);
    return out;
  }

  /** Fires per local day in {@code zone}. */
  Map<LocalDate, Integer> firesPerDay(String triggerId, ZoneId zone) {
    Map<LocalDate, Integer> out = new TreeMap<>();
    for (Instant i : firedSlots(triggerId)) {
      out.merge(i.atZone(zone).toLocalDate(), 1, Integer::sum);
    }
    return out;
  }

  @Override
  public void close() {
    store.close();
  }
}
