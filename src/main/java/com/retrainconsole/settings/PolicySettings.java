package com.retrainconsole.settings;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.ReplaceOptions;
import com.retrainconsole.access.Actor;
import com.retrainconsole.access.Permission;
import com.retrainconsole.audit.MongoAuditLog;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared {@link Policies} in the {@code settings} collection (one document, {@code _id: "policies"}),
 * so every scheduler and console on one store decides with the same thresholds. Reads fall back to the
 * defaults per missing field; writes are admin-only, validated, and recorded in the audit ledger.
 */
public final class PolicySettings {
  public static final String ID = "policies";
  private static final Logger log = LoggerFactory.getLogger(PolicySettings.class);

  private final MongoCollection<Document> settings;
  private final MongoAuditLog audit; // may be null (no ledger entry)
  private final Clock clock;

  /** What is stored, and who saved it when (null for the defaults). */
  public record Stored(Policies policies, String updatedBy, Instant updatedAt) {
    public boolean isDefault() {
      return updatedAt == null;
    }
  }

  public PolicySettings(Store store, MongoAuditLog audit, Clock clock) {
    this.settings = store.collection(Collections.SETTINGS);
    this.audit = audit;
    this.clock = clock;
  }

  /** The stored policies, or the defaults when none were saved. */
  public Policies load() {
    return loadStored().policies();
  }

  public Stored loadStored() {
    Document d = settings.find(new Document("_id", ID)).first();
    if (d == null) {
      return new Stored(Policies.defaults(), null, null);
    }
    Policies p = fromDocument(d);
    if (!p.validate().isEmpty()) {
      // decision: a hand-edited invalid document must not stop every scheduler; decide with the defaults
      log.warn("stored policies are invalid ({}); using the defaults until an admin saves valid ones", p.validate());
      p = Policies.defaults();
    }
    Date at = d.getDate("updated_at");
    return new Stored(p, d.getString("updated_by"), at == null ? null : at.toInstant());
  }

  /**
   * Saves {@code policies} for everyone on this store.
   *
   * @throws com.retrainconsole.access.AccessDeniedException unless {@code actor} may edit settings
   * @throws InvalidSettingsException naming every invalid field; nothing is written then
   */
  public Policies save(Actor actor, Policies policies) {
    actor.require(Permission.EDIT_SETTINGS);
    policies.requireValid();
    Document doc = toDocument(policies).append("_id", ID).append("updated_by", actor.user())
        .append("updated_at", Date.from(clock.instant()));
    settings.replaceOne(new Document("_id", ID), doc, new ReplaceOptions().upsert(true));
    if (audit != null) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("settings", ID);
      details.put("values", toDocument(policies));
      audit.record("settings_saved", actor.user(), details);
    }
    return policies;
  }

  static Document toDocument(Policies p) {
    return new Document("promotion", new Document("tolerance", p.promotionTolerance())
            .append("min_test_rows", p.promotionMinTestRows()))
        .append("gate", new Document("min_rows", p.gateMinRows())
            .append("max_frozen_minutes", p.gateMaxFrozenMinutes())
            .append("max_frozen_share", p.gateMaxFrozenShare())
            .append("max_nan_burst_minutes", p.gateMaxNanBurstMinutes())
            .append("max_nan_share", p.gateMaxNanShare()))
        .append("alerts", new Document("min_r2", nullIfNaN(p.alertMinR2()))
            .append("max_mae_w", nullIfNaN(p.alertMaxMae()))
            .append("failure_window", p.alertFailureWindow())
            .append("failure_min_runs", p.alertFailureMinRuns())
            .append("failure_rate", p.alertFailureRate())
            .append("pending_overdue_minutes", p.alertPendingOverdueMinutes())
            .append("running_stall_minutes", p.alertRunningStallMinutes())
            .append("degradation_min_points", p.alertDegradationMinPoints())
            .append("degradation_window", p.alertDegradationWindow())
            .append("degradation_relative_slope", p.alertDegradationSlope()));
  }

  static Policies fromDocument(Document d) {
    Policies def = Policies.defaults();
    Document pr = sub(d, "promotion");
    Document g = sub(d, "gate");
    Document a = sub(d, "alerts");
    return new Policies(
        num(pr, "tolerance").map(Number::doubleValue).orElse(def.promotionTolerance()),
        num(pr, "min_test_rows").map(Number::intValue).orElse(def.promotionMinTestRows()),
        num(g, "min_rows").map(Number::intValue).orElse(def.gateMinRows()),
        num(g, "max_frozen_minutes").map(Number::longValue).orElse(def.gateMaxFrozenMinutes()),
        num(g, "max_frozen_share").map(Number::doubleValue).orElse(def.gateMaxFrozenShare()),
        num(g, "max_nan_burst_minutes").map(Number::longValue).orElse(def.gateMaxNanBurstMinutes()),
        num(g, "max_nan_share").map(Number::doubleValue).orElse(def.gateMaxNanShare()),
        bound(a, "min_r2", def.alertMinR2()),
        bound(a, "max_mae_w", def.alertMaxMae()),
        num(a, "failure_window").map(Number::intValue).orElse(def.alertFailureWindow()),
        num(a, "failure_min_runs").map(Number::intValue).orElse(def.alertFailureMinRuns()),
        num(a, "failure_rate").map(Number::doubleValue).orElse(def.alertFailureRate()),
        num(a, "pending_overdue_minutes").map(Number::longValue).orElse(def.alertPendingOverdueMinutes()),
        num(a, "running_stall_minutes").map(Number::longValue).orElse(def.alertRunningStallMinutes()),
        num(a, "degradation_min_points").map(Number::intValue).orElse(def.alertDegradationMinPoints()),
        num(a, "degradation_window").map(Number::intValue).orElse(def.alertDegradationWindow()),
        num(a, "degradation_relative_slope").map(Number::doubleValue).orElse(def.alertDegradationSlope()));
  }

  /** An accuracy bound: a stored null means "off" (NaN); a missing key means the default. */
  private static double bound(Document d, String key, double def) {
    if (!d.containsKey(key)) {
      return def;
    }
    return num(d, key).map(Number::doubleValue).orElse(Double.NaN);
  }

  private static Object nullIfNaN(double v) {
    return Double.isNaN(v) ? null : v;
  }

  private static Document sub(Document d, String key) {
    Object v = d.get(key);
    return v instanceof Document doc ? doc : new Document();
  }

  private static Optional<Number> num(Document d, String key) {
    Object v = d.get(key);
    return v instanceof Number n ? Optional.of(n) : Optional.empty();
  }
}
