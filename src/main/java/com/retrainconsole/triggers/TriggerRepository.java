package com.retrainconsole.triggers;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Sorts;
import com.retrainconsole.common.UserException;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bson.Document;

/** Triggers in {@code triggers}, keyed by {@code trigger_id} (unique index). */
public final class TriggerRepository {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final MongoCollection<Document> triggers;
  private final Clock clock;

  public TriggerRepository(Store store, Clock clock) {
    this.triggers = store.collection(Collections.TRIGGERS);
    this.clock = clock;
  }

  /** Validates, fills defaults, schedules the first slot after now and stores an enabled trigger. */
  public Trigger add(String deviceId, TriggerType type, Document spec, Guards guards) {
    if (deviceId == null || deviceId.isBlank()) {
      throw new UserException("--device is empty");
    }
    Instant now = clock.instant();
    Document full = TriggerSpecs.normalize(type, spec, now);
    byte[] b = new byte[3];
    RANDOM.nextBytes(b);
    String id = "trg-" + type.wire().replace("_", "") + "-" + HexFormat.of().formatHex(b);
    Trigger t = new Trigger(id, deviceId, type, true, full, guards == null ? Guards.defaults() : guards, now, now,
        null, null, null, Circuit.CLOSED, List.of());
    t = withNext(t, now);
    triggers.insertOne(t.toDocument());
    return t;
  }

  private static Trigger withNext(Trigger t, Instant now) {
    Instant next = t.schedule().nextAfter(now).map(Schedule.Fire::at).orElse(null);
    return new Trigger(t.triggerId(), t.deviceId(), t.type(), t.enabled(), t.spec(), t.guards(), t.createdAt(),
        t.updatedAt(), next, t.lastEvaluatedAt(), t.lastFiredAt(), t.circuit(), t.history());
  }

  /** All triggers (optionally of one device), by device then id. */
  public List<Trigger> list(String deviceId) {
    Document filter = deviceId == null ? new Document() : new Document("device_id", deviceId);
    List<Trigger> out = new ArrayList<>();
    for (Document d : triggers.find(filter).sort(Sorts.ascending("device_id", "trigger_id"))) {
      out.add(Trigger.fromDocument(d));
    }
    return out;
  }

  public Optional<Trigger> find(String triggerId) {
    return Optional.ofNullable(triggers.find(new Document("trigger_id", triggerId)).first()).map(Trigger::fromDocument);
  }

  /** The trigger, or a UserException listing the trigger ids that exist. */
  public Trigger require(String triggerId) {
    return find(triggerId).orElseThrow(() -> {
      List<String> ids = list(null).stream().map(Trigger::triggerId).toList();
      return new UserException("Unknown trigger '" + triggerId + "'. "
          + (ids.isEmpty() ? "No triggers yet: add one with triggers add" : "Known triggers: " + String.join(", ", ids)));
    });
  }

  /**
   * Applies spec changes (merged over the stored spec, then validated as a whole) and guard changes;
   * a schedule change re-plans the next slot from now.
   */
  public Trigger edit(String triggerId, Document specChanges, Guards guards) {
    Trigger t = require(triggerId);
    Instant now = clock.instant();
    Document merged = new Document(t.spec());
    if (specChanges != null) {
      merged.putAll(specChanges);
    }
    Document full = TriggerSpecs.normalize(t.type(), merged, now);
    Trigger edited = new Trigger(t.triggerId(), t.deviceId(), t.type(), t.enabled(), full,
        guards == null ? t.guards() : guards, t.createdAt(), now, t.nextFireAt(), t.lastEvaluatedAt(),
        t.lastFiredAt(), t.circuit(), t.history());
    if (!full.equals(t.spec())) {
      edited = withNext(edited, now);
    }
    triggers.updateOne(new Document("trigger_id", triggerId), new Document("$set", new Document("spec", full)
        .append("guards", edited.guards().toDocument()).append("updated_at", Date.from(now))
        .append("next_fire_at", Circuit.date(edited.nextFireAt()))));
    return edited;
  }

  /**
   * Enables the trigger and closes its device's circuit (on every trigger of the device): runs that
   * finished before now no longer count towards the breaker. Slots missed while disabled are not fired:
   * the next slot is planned from now.
   */
  public Trigger enable(String triggerId) {
    Trigger t = require(triggerId);
    Instant now = clock.instant();
    Instant next = t.schedule().nextAfter(now).map(Schedule.Fire::at).orElse(null);
    triggers.updateOne(new Document("trigger_id", triggerId), new Document("$set", new Document("enabled", true)
        .append("updated_at", Date.from(now)).append("next_fire_at", Circuit.date(next))));
    closeCircuit(t.deviceId(), now);
    return require(triggerId);
  }

  public void closeCircuit(String deviceId, Instant now) {
    triggers.updateMany(new Document("device_id", deviceId), new Document("$set",
        new Document("circuit", new Circuit(false, null, 0, now).toDocument())));
  }

  public Trigger disable(String triggerId) {
    require(triggerId);
    triggers.updateOne(new Document("trigger_id", triggerId), new Document("$set",
        new Document("enabled", false).append("updated_at", Date.from(clock.instant()))));
    return require(triggerId);
  }

  /** Deletes the trigger; its events stay (they explain runs it fired). */
  public Trigger remove(String triggerId) {
    Trigger t = require(triggerId);
    triggers.deleteOne(new Document("trigger_id", triggerId));
    return t;
  }

  MongoCollection<Document> collection() {
    return triggers;
  }
}
