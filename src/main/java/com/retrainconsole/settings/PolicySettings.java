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
 * The shared {@link Policies} in the {@code settings} collection ({@code _id: "policies"}, and {@code
 * "policies:<site>"} for a site that sets its own), so every scheduler and console on one store decides with
 * the same thresholds for a device. A site without its own document uses the fleet's. Reads fall back to the
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
    return loadStored(ID);
  }

  /** The policies that apply on {@code site}: its own when an admin saved some, else the fleet's. */
  public Policies load(String site) {
    return loadFor(site).policies();
  }

  /** {@link #load(String)} with who saved it; {@link Stored#isDefault} when neither the site nor the fleet did. */
  public Stored loadFor(String site) {
    if (site != null && settings.find(new Document("_id", idOf(site))).first() != null) {
      return loadStored(idOf(site));
    }
    return loadStored();
  }

  /** True when {@code site} has thresholds of its own. */
  public boolean hasOwn(String site) {
    return settings.find(new Document("_id", idOf(site))).first() != null;
  }

  private static String idOf(String site) {
    return ID + ":" + site;
  }

  private Stored loadStored(String id) {
    Document d = settings.find(new Document("_id", id)).first();
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
    return save(actor, null, policies);
  }

  /**
   * Saves {@code policies} for the devices of {@code site} (admins of that site), or for the whole fleet when
   * {@code site} is null (fleet admins).
   */
  public Policies save(Actor actor, String site, Policies policies) {
    if (site == null) {
      actor.require(Permission.EDIT_SETTINGS);
    } else {
      actor.require(Permission.EDIT_SETTINGS, site);
    }
    policies.requireValid();
    String id = site == null ? ID : idOf(site);
    Document doc = toDocument(policies).append("_id", id).append("updated_by", actor.user())
        .append("updated_at", Date.from(clock.instant()));
    settings.replaceOne(new Document("_id", id), doc, new ReplaceOptions().upsert(true));
    if (audit != null) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("settings", id);
      details.put("values", toDocument(policies));
      audit.record("settings_saved", actor.user(), details);
    }
    return policies;
  }

  /** Drops {@code site}'s own thresholds so it follows the fleet's again (admins of that site). */
  public boolean clear(Actor actor, String site) {
    actor.require(Permission.EDIT_SETTINGS, site);
    boolean removed = settings.deleteOne(new Document("_id", idOf(site))).getDeletedCount() > 0;
    if (removed && audit != null) {
      audit.record("settings_cleared", actor.user(), Map.of("settings", idOf(site)));
    }
    return removed;
  }

  public static Document toDocument(Policies p) {
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

  public static Policies fromDocument(Document d) {
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
