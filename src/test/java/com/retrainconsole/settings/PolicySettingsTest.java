package com.retrainconsole.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.access.AccessDeniedException;
import com.retrainconsole.access.Actor;
import com.retrainconsole.access.Role;
import com.retrainconsole.alerts.AlertPolicy;
import com.retrainconsole.audit.MongoAuditLog;
import com.retrainconsole.registry.PromotionPolicy;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import com.retrainconsole.training.GatePolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PolicySettingsTest {
  static final Actor ADMIN = new Actor("ada", Role.ADMIN);
  static final Actor ANALYST = new Actor("ann", Role.ANALYST);
  final Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
  Store store;
  MongoAuditLog audit;
  PolicySettings settings;

  @BeforeEach
  void open() {
    store = Store.openInMemory();
    audit = new MongoAuditLog(store, clock);
    settings = new PolicySettings(store, audit, clock);
  }

  @AfterEach
  void close() {
    store.close();
  }

  static Policies changed() {
    return new Policies(0.05, 48, 200, 240, 0.1, 6 * 60, 0.2, 0.6, 250.0, 12, 4, 0.25, 90, 45, 5, 10, 0.08);
  }

  @Test
  void load_gives_the_defaults_of_the_three_policies_when_nothing_was_saved() {
    PolicySettings.Stored s = settings.loadStored();
    assertTrue(s.isDefault());
    Policies p = s.policies();
    assertEquals(PromotionPolicy.defaults(), p.promotion());
    assertEquals(GatePolicy.defaults(), p.gate());
    assertEquals(AlertPolicy.defaults(), p.alerts());
  }

  @Test
  void a_saved_policy_round_trips_through_the_settings_collection_with_who_and_when() {
    settings.save(ADMIN, changed());
    PolicySettings.Stored s = new PolicySettings(store, null, clock).loadStored();
    assertEquals(changed(), s.policies());
    assertEquals("ada", s.updatedBy());
    assertEquals(clock.instant(), s.updatedAt());
    assertEquals(new PromotionPolicy(0.05, 48), s.policies().promotion());
    assertEquals(Duration.ofHours(4), s.policies().gate().maxFrozen());
    assertEquals(250.0, s.policies().alerts().accuracy().maxMae());
    Document stored = store.collection(Collections.SETTINGS).find(new Document("_id", PolicySettings.ID)).first();
    assertEquals(0.05, stored.get("promotion", Document.class).getDouble("tolerance"));
    assertEquals(1, audit.recent(null, 10).stream().filter(d -> "settings_saved".equals(d.getString("action"))).count());
  }

  @Test
  void an_empty_accuracy_bound_is_stored_as_off_and_a_missing_field_falls_back_to_its_default() {
    Policies noBounds = new Policies(0.1, 24, 100, 180, 0.05, 720, 0.3, Double.NaN, Double.NaN, 10, 3, 0.3, 60, 30,
        4, 8, 0.05);
    settings.save(ADMIN, noBounds);
    assertTrue(Double.isNaN(settings.load().alertMinR2()));
    store.collection(Collections.SETTINGS).updateOne(new Document("_id", PolicySettings.ID),
        new Document("$unset", new Document("gate.min_rows", "")));
    assertEquals(GatePolicy.defaults().minRows(), settings.load().gateMinRows());
  }

  @Test
  void invalid_values_are_refused_with_each_field_named_and_nothing_is_written() {
    Policies bad = new Policies(1.5, 0, 100, 0, 0.05, 720, 0.3, 2.0, -5, 10, 11, 0.3, 60, 30, 2, 8, 0.05);
    InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> settings.save(ADMIN, bad));
    List<String> fields = e.errors().stream().map(FieldError::field).toList();
    assertEquals(List.of(Policies.PROMOTION_TOLERANCE, Policies.PROMOTION_MIN_TEST_ROWS, Policies.GATE_MAX_FROZEN,
        Policies.ALERT_MIN_R2, Policies.ALERT_MAX_MAE, Policies.ALERT_FAILURE_MIN_RUNS,
        Policies.ALERT_DEGRADATION_MIN_POINTS), fields);
    assertTrue(e.getMessage().contains("promotion.tolerance: must be between 0 % and 100 %"), e.getMessage());
    assertTrue(e.getMessage().contains("150.0 %"), e.getMessage());
    assertNull(store.collection(Collections.SETTINGS).find(new Document("_id", PolicySettings.ID)).first());
  }

  @Test
  void an_analyst_or_operator_is_refused_and_the_stored_policies_stay() {
    settings.save(ADMIN, changed());
    AccessDeniedException e = assertThrows(AccessDeniedException.class,
        () -> settings.save(ANALYST, Policies.defaults()));
    assertTrue(e.getMessage().contains("may not change settings"), e.getMessage());
    assertThrows(AccessDeniedException.class, () -> settings.save(new Actor("op", Role.OPERATOR), Policies.defaults()));
    assertEquals(changed(), settings.load());
  }

  @Test
  void a_hand_edited_invalid_document_loads_as_the_defaults_instead_of_breaking_schedulers() {
    store.collection(Collections.SETTINGS).insertOne(new Document("_id", PolicySettings.ID)
        .append("promotion", new Document("tolerance", -3.0)));
    assertEquals(Policies.defaults(), settings.load());
  }
}
