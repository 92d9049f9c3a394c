package com.retrainconsole.telemetry;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import com.retrainconsole.common.DeviceIds;
import com.retrainconsole.common.FieldException;
import org.bson.Document;

/**
 * A device as the app knows it, stored in {@code devices}:
 *
 * <pre>
 * { _id: "tracker-01", site: "Almería north", display_name: "Tracker 1 (row 4)",
 *   target: "power_w", target_unit: "W", lat: 37.1, lon: -3.6, zone: "Europe/Madrid",
 *   source: {kind: "buckets"}
 *        or {kind: "collection", collection: "site_readings", device_field: "inverter",
 *            device_value: "INV-7", ts_field: "time", fields: {"P_AC": "power_w", ...}},
 *   feature_spec: {...},   // owned by the features package; absent = derived from the fields present
 *   forecast: false,       // true: the target is not a live reading, so no feature may lag it
 *   enabled: true, notes: "...", created_at: ISODate(...) }
 * </pre>
 *
 * {@code site}, {@code displayName}, {@code targetUnit}, {@code lat}, {@code lon}, {@code featureSpec} and
 * {@code notes} may be null (unknown / not chosen yet).
 */
public record DeviceConfig(
    String id,
    String site,
    String displayName,
    String target,
    String targetUnit,
    Double lat,
    Double lon,
    ZoneId zone,
    Source source,
    Document featureSpec,
    boolean forecast,
    boolean enabled,
    String notes,
    Instant createdAt) {
  public static final String DEFAULT_TARGET = "power_w";
  /** The site of a device that names none: every store has it, so old devices keep working. */
  public static final String DEFAULT_SITE = "default";

  public DeviceConfig {
    DeviceIds.require(id);
    site = blankToNull(site);
    displayName = blankToNull(displayName);
    target = target == null || target.isBlank() ? DEFAULT_TARGET : target.trim();
    targetUnit = blankToNull(targetUnit);
    notes = blankToNull(notes);
    zone = zone == null ? ZoneId.of("UTC") : zone;
    source = source == null ? Source.buckets() : source;
    if (lat != null && !(lat >= -90 && lat <= 90)) {
      throw new FieldException("lat", "latitude must be between -90 and 90 degrees, got " + lat);
    }
    if (lon != null && !(lon >= -180 && lon <= 180)) {
      throw new FieldException("lon", "longitude must be between -180 and 180 degrees, got " + lon);
    }
    if ((lat == null) != (lon == null)) {
      throw new FieldException(lat == null ? "lat" : "lon", "give latitude and longitude together");
    }
  }

  /** The site this device belongs to for access checks: {@link #DEFAULT_SITE} when none was set. */
  public String siteOrDefault() {
    return site == null ? DEFAULT_SITE : site;
  }

  /** A device with defaults: target power_w, zone UTC, telemetry in buckets, enabled, created now. */
  public static DeviceConfig of(String id) {
    return new DeviceConfig(id, null, null, DEFAULT_TARGET, null, null, null, null, Source.buckets(), null,
        false, true, null, Instant.now());
  }

  /** The name to show: the display name, else the id. */
  public String label() {
    return displayName == null ? id : displayName;
  }

  /** The target's unit: as configured, else the canonical field's, else empty. */
  public String unit() {
    return targetUnit != null ? targetUnit : CanonicalFields.unitOf(target).orElse("");
  }

  public DeviceConfig withTarget(String newTarget) {
    return new DeviceConfig(id, site, displayName, newTarget, targetUnit, lat, lon, zone, source, featureSpec,
        forecast, enabled, notes, createdAt);
  }

  public DeviceConfig withLocation(double newLat, double newLon, ZoneId newZone) {
    return new DeviceConfig(id, site, displayName, target, targetUnit, newLat, newLon, newZone, source,
        featureSpec, forecast, enabled, notes, createdAt);
  }

  public DeviceConfig withZone(ZoneId newZone) {
    return new DeviceConfig(id, site, displayName, target, targetUnit, lat, lon, newZone, source, featureSpec,
        forecast, enabled, notes, createdAt);
  }

  public DeviceConfig withSource(Source newSource) {
    return new DeviceConfig(id, site, displayName, target, targetUnit, lat, lon, zone, newSource, featureSpec,
        forecast, enabled, notes, createdAt);
  }

  public DeviceConfig withFeatureSpec(Document newSpec) {
    return new DeviceConfig(id, site, displayName, target, targetUnit, lat, lon, zone, source, newSpec,
        forecast, enabled, notes, createdAt);
  }

  public DeviceConfig withDescription(String newSite, String newDisplayName, String newNotes) {
    return new DeviceConfig(id, newSite, newDisplayName, target, targetUnit, lat, lon, zone, source, featureSpec,
        forecast, enabled, newNotes, createdAt);
  }

  public DeviceConfig withTargetDetails(String newTarget, String newUnit, boolean newForecast) {
    return new DeviceConfig(id, site, displayName, newTarget, newUnit, lat, lon, zone, source, featureSpec,
        newForecast, enabled, notes, createdAt);
  }

  public DeviceConfig withEnabled(boolean newEnabled) {
    return new DeviceConfig(id, site, displayName, target, targetUnit, lat, lon, zone, source, featureSpec,
        forecast, newEnabled, notes, createdAt);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  /**
   * Where a device's readings live: {@code buckets} (written by the app) or a site's own {@code
   * collection} with one document per reading, read through {@code fields} (site name → canonical
   * name) and selected by {@code deviceField = deviceValue}.
   */
  public record Source(
      String kind,
      String collection,
      String deviceField,
      String deviceValue,
      String tsField,
      Map<String, String> fields) {
    public static final String BUCKETS = "buckets";
    public static final String COLLECTION = "collection";

    public Source {
      Objects.requireNonNull(kind, "kind");
      fields =
          fields == null
              ? Map.of()
              : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
      if (COLLECTION.equals(kind)) {
        requireText(collection, "collection");
        requireText(deviceField, "device_field");
        requireText(deviceValue, "device_value");
        requireText(tsField, "ts_field");
        if (fields.isEmpty()) {
          throw new FieldException("source.fields", "the mapping is empty: map at least the target field,"
              + " e.g. P_AC=power_w");
        }
      } else if (!BUCKETS.equals(kind)) {
        throw new FieldException("source.kind", "must be 'buckets' or 'collection', not '" + kind + "'");
      }
    }

    public static Source buckets() {
      return new Source(BUCKETS, null, null, null, null, Map.of());
    }

    public static Source collection(
        String collection,
        String deviceField,
        String deviceValue,
        String tsField,
        Map<String, String> fields) {
      return new Source(COLLECTION, collection, deviceField, deviceValue, tsField, fields);
    }

    public boolean isBuckets() {
      return BUCKETS.equals(kind);
    }

    public Document toDocument() {
      Document d = new Document("kind", kind);
      if (!isBuckets()) {
        d.append("collection", collection)
            .append("device_field", deviceField)
            .append("device_value", deviceValue)
            .append("ts_field", tsField)
            .append("fields", new Document(new LinkedHashMap<>(fields)));
      }
      return d;
    }

    static Source fromDocument(Document d) {
      if (d == null) {
        return buckets();
      }
      Map<String, String> fields = new LinkedHashMap<>();
      Document f = d.get("fields", Document.class);
      if (f != null) {
        f.forEach((k, v) -> fields.put(k, String.valueOf(v)));
      }
      return new Source(
          d.getString("kind"),
          d.getString("collection"),
          d.getString("device_field"),
          d.get("device_value") == null ? null : String.valueOf(d.get("device_value")),
          d.getString("ts_field"),
          fields);
    }

    private static void requireText(String value, String name) {
      if (value == null || value.isBlank()) {
        throw new FieldException("source." + name, "required for a collection source");
      }
    }
  }

  Document toDocument() {
    Document d = new Document("_id", id);
    putIfSet(d, "site", site);
    putIfSet(d, "display_name", displayName);
    d.append("target", target);
    putIfSet(d, "target_unit", targetUnit);
    putIfSet(d, "lat", lat);
    putIfSet(d, "lon", lon);
    d.append("zone", zone.getId()).append("source", source.toDocument());
    putIfSet(d, "feature_spec", featureSpec);
    d.append("forecast", forecast).append("enabled", enabled);
    putIfSet(d, "notes", notes);
    d.append("created_at", Date.from(createdAt == null ? Instant.now() : createdAt));
    return d;
  }

  /** The optional fields, which an explicit replace unsets when they are null. */
  static final java.util.List<String> OPTIONAL_FIELDS =
      java.util.List.of("site", "display_name", "target_unit", "lat", "lon", "feature_spec", "notes");

  private static void putIfSet(Document d, String key, Object value) {
    if (value != null) {
      d.append(key, value);
    }
  }

  static DeviceConfig fromDocument(Document d) {
    Number lat = d.get("lat", Number.class);
    Number lon = d.get("lon", Number.class);
    String zone = d.getString("zone");
    Date created = d.getDate("created_at");
    Object enabled = d.get("enabled");
    return new DeviceConfig(
        String.valueOf(d.get("_id")),
        d.getString("site"),
        d.getString("display_name"),
        d.getString("target"),
        d.getString("target_unit"),
        lat == null ? null : lat.doubleValue(),
        lon == null ? null : lon.doubleValue(),
        zone == null ? null : ZoneId.of(zone),
        Source.fromDocument(d.get("source", Document.class)),
        d.get("feature_spec", Document.class),
        Boolean.TRUE.equals(d.get("forecast")),
        !Boolean.FALSE.equals(enabled),
        d.getString("notes"),
        created == null ? null : created.toInstant());
  }
}
