package com.retrainconsole.telemetry;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.bson.Document;

/**
 * A device as the app knows it, stored in {@code devices}:
 *
 * <pre>
 * { _id: "tracker-01", target: "power_w", lat: 37.1, lon: -3.6, zone: "Europe/Madrid",
 *   source: {kind: "buckets"}
 *        or {kind: "collection", collection: "site_readings", device_field: "inverter",
 *            device_value: "INV-7", ts_field: "time", fields: {"P_AC": "power_w", ...}},
 *   feature_spec: {...},   // owned by the features package; stored and returned as-is
 *   created_at: ISODate(...) }
 * </pre>
 *
 * {@code lat}, {@code lon} and {@code featureSpec} may be null (unknown / not chosen yet).
 */
public record DeviceConfig(
    String id,
    String target,
    Double lat,
    Double lon,
    ZoneId zone,
    Source source,
    Document featureSpec,
    Instant createdAt) {
  public static final String DEFAULT_TARGET = "power_w";

  public DeviceConfig {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("device id is empty");
    }
    target = target == null || target.isBlank() ? DEFAULT_TARGET : target;
    zone = zone == null ? ZoneId.of("UTC") : zone;
    source = source == null ? Source.buckets() : source;
  }

  /** A device with defaults: target power_w, zone UTC, telemetry in buckets, created now. */
  public static DeviceConfig of(String id) {
    return new DeviceConfig(
        id, DEFAULT_TARGET, null, null, null, Source.buckets(), null, Instant.now());
  }

  public DeviceConfig withTarget(String newTarget) {
    return new DeviceConfig(id, newTarget, lat, lon, zone, source, featureSpec, createdAt);
  }

  public DeviceConfig withLocation(double newLat, double newLon, ZoneId newZone) {
    return new DeviceConfig(id, target, newLat, newLon, newZone, source, featureSpec, createdAt);
  }

  public DeviceConfig withZone(ZoneId newZone) {
    return new DeviceConfig(id, target, lat, lon, newZone, source, featureSpec, createdAt);
  }

  public DeviceConfig withSource(Source newSource) {
    return new DeviceConfig(id, target, lat, lon, zone, newSource, featureSpec, createdAt);
  }

  public DeviceConfig withFeatureSpec(Document newSpec) {
    return new DeviceConfig(id, target, lat, lon, zone, source, newSpec, createdAt);
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
          throw new IllegalArgumentException(
              "source.fields is empty: map at least the target field");
        }
      } else if (!BUCKETS.equals(kind)) {
        throw new IllegalArgumentException(
            "source.kind must be 'buckets' or 'collection', not '" + kind + "'");
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

    Document toDocument() {
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
        throw new IllegalArgumentException(
            "source." + name + " is required for a collection source");
      }
    }
  }

  Document toDocument() {
    Document d = new Document("_id", id).append("target", target);
    if (lat != null) {
      d.append("lat", lat);
    }
    if (lon != null) {
      d.append("lon", lon);
    }
    d.append("zone", zone.getId()).append("source", source.toDocument());
    if (featureSpec != null) {
      d.append("feature_spec", featureSpec);
    }
    d.append("created_at", Date.from(createdAt == null ? Instant.now() : createdAt));
    return d;
  }

  static DeviceConfig fromDocument(Document d) {
    Number lat = d.get("lat", Number.class);
    Number lon = d.get("lon", Number.class);
    String zone = d.getString("zone");
    Date created = d.getDate("created_at");
    return new DeviceConfig(
        String.valueOf(d.get("_id")),
        d.getString("target"),
        lat == null ? null : lat.doubleValue(),
        lon == null ? null : lon.doubleValue(),
        zone == null ? null : ZoneId.of(zone),
        Source.fromDocument(d.get("source", Document.class)),
        d.get("feature_spec", Document.class),
        created == null ? null : created.toInstant());
  }
}
