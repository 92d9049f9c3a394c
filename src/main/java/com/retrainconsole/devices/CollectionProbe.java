package com.retrainconsole.devices;

import com.mongodb.client.MongoCollection;
import com.retrainconsole.common.FieldException;
import com.retrainconsole.store.Store;
import com.retrainconsole.telemetry.CanonicalFields;
import com.retrainconsole.telemetry.DeviceConfig;
import com.retrainconsole.telemetry.MappedCollectionSource;
import com.retrainconsole.telemetry.TelemetryWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.bson.Document;
import org.bson.types.Decimal128;

/**
 * Looks at a site's own collection before the app relies on it: which fields its documents have (from a
 * sample), whether a proposed mapping names fields that exist and hold numbers, and what the model will
 * see through it (a preview of the newest rows). decision: a mapping is judged against real documents,
 * not trusted, because a typo in a site field otherwise reads as an all-NaN column that only fails at
 * train time, days later.
 */
public final class CollectionProbe {
  static final int SAMPLE = 500;
  public static final int PREVIEW_ROWS = 5;

  private final Store store;

  public CollectionProbe(Store store) {
    this.store = store;
  }

  /** One field seen in the sample: its kind (number, date, text, other), how many documents have it, an example. */
  public record DiscoveredField(String name, String kind, int present, String example) {}

  /** What a sample of a collection holds; {@code deviceValues} are the values of the device field seen, if one was named. */
  public record Sample(String collection, int documents, List<DiscoveredField> fields, List<String> deviceValues) {
    public Optional<DiscoveredField> field(String name) {
      return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }
  }

  /** A checked mapping with the newest rows as the model will see them (canonical names). */
  public record Preview(List<String> columns, List<PreviewRow> rows, long readingsInLastDay) {}

  public record PreviewRow(Instant ts, Map<String, Double> values) {}

  /** The collections of the connected database that are not the app's own. */
  public List<String> siteCollections() {
    Set<String> own = new TreeSet<>(com.retrainconsole.store.Collections.ALL);
    List<String> out = new ArrayList<>();
    for (String name : store.db().listCollectionNames()) {
      if (!own.contains(name) && !name.startsWith("system.")) {
        out.add(name);
      }
    }
    out.sort(String::compareTo);
    return out;
  }

  /**
   * Samples {@code collection} (the documents of one device when {@code deviceField}/{@code deviceValue} are
   * given) and lists the top-level fields found.
   */
  public Sample discover(String collection, String deviceField, String deviceValue) {
    MongoCollection<Document> c = requireCollection(collection);
    Document filter = deviceField != null && deviceValue != null ? MappedCollectionSource.deviceFilter(deviceField, deviceValue) : new Document();
    Map<String, int[]> counts = new LinkedHashMap<>();
    Map<String, String> kinds = new LinkedHashMap<>();
    Map<String, String> examples = new LinkedHashMap<>();
    Set<String> values = new LinkedHashSet<>();
    int n = 0;
    for (Document d : c.find(filter).sort(new Document("_id", -1)).limit(SAMPLE)) {
      n++;
      for (Map.Entry<String, Object> e : d.entrySet()) {
        if (e.getKey().equals("_id")) {
          continue;
        }
        counts.computeIfAbsent(e.getKey(), k -> new int[1])[0]++;
        String kind = kindOf(e.getValue());
        // a field is "number" when any document holds a number there; text only when none does
        kinds.merge(e.getKey(), kind, (old, now) -> old.equals("number") || now.equals("null") ? old
            : now.equals("number") || old.equals("null") ? now : old);
        if (e.getValue() != null) {
          examples.putIfAbsent(e.getKey(), String.valueOf(e.getValue()));
        }
      }
    }
    if (deviceValue != null && n > 0) {
      values.add(deviceValue); // the sample holds only that device's documents
    } else if (deviceField != null && deviceValue == null) {
      // decision: the sample holds the newest documents, often of one device only; the values come from
      // distinct over the collection (a scan on the embedded store, bounded to what a picker can show)
      for (org.bson.BsonValue v : c.distinct(deviceField, org.bson.BsonValue.class)) {
        if (values.size() >= 200) {
          break;
        }
        values.add(v.isString() ? v.asString().getValue() : v.isNumber() ? String.valueOf(v.asNumber().longValue())
            : v.toString());
      }
    }
    List<String> sortedValues = new ArrayList<>(values);
    sortedValues.sort(String::compareTo); // distinct's order is the server's; a picker wants a stable one
    List<DiscoveredField> fields = new ArrayList<>();
    counts.forEach((name, count) -> fields.add(new DiscoveredField(name, kinds.get(name), count[0],
        examples.getOrDefault(name, ""))));
    return new Sample(collection, n, fields, List.copyOf(sortedValues));
  }

  /**
   * Checks {@code source} against the documents of its device and returns the preview; a FieldException
   * naming the source field that is wrong otherwise. {@code target} must be among the mapped fields.
   */
  public Preview check(DeviceConfig.Source source, String target) {
    if (source.isBuckets()) {
      throw new IllegalArgumentException("only a collection source is probed");
    }
    requireCollection(source.collection());
    Sample any = discover(source.collection(), null, null);
    if (any.documents() == 0) {
      throw new FieldException("source.collection", "collection '" + source.collection() + "' is empty");
    }
    if (any.field(source.deviceField()).isEmpty()) {
      throw new FieldException("source.device_field", "no document of '" + source.collection() + "' has a field '"
          + source.deviceField() + "'; fields found: " + names(any));
    }
    Sample mine = discover(source.collection(), source.deviceField(), source.deviceValue());
    if (mine.documents() == 0) {
      Sample values = discover(source.collection(), source.deviceField(), null);
      throw new FieldException("source.device_value", "no document of '" + source.collection() + "' has "
          + source.deviceField() + " = '" + source.deviceValue() + "'; values seen: "
          + String.join(", ", values.deviceValues()));
    }
    Optional<DiscoveredField> ts = mine.field(source.tsField());
    if (ts.isEmpty()) {
      throw new FieldException("source.ts_field", "the documents of " + source.deviceValue() + " have no field '"
          + source.tsField() + "'; fields found: " + names(mine));
    }
    if (!ts.get().kind().equals("date") && !ts.get().kind().equals("number")) {
      throw new FieldException("source.ts_field", "'" + source.tsField() + "' holds " + ts.get().kind() + " (e.g. "
          + ts.get().example() + "); it must be a date or epoch seconds/milliseconds");
    }
    Map<String, String> seen = new LinkedHashMap<>();
    for (Map.Entry<String, String> m : source.fields().entrySet()) {
      String field = "source.fields." + m.getKey();
      Optional<DiscoveredField> found = mine.field(m.getKey());
      if (found.isEmpty()) {
        throw new FieldException(field, "the documents of " + source.deviceValue() + " in '" + source.collection()
            + "' have no field '" + m.getKey() + "'; numeric fields found: " + numericNames(mine));
      }
      if (!found.get().kind().equals("number")) {
        throw new FieldException(field, "'" + m.getKey() + "' holds " + found.get().kind() + " (e.g. "
            + found.get().example() + "), not numbers; map a numeric field: " + numericNames(mine));
      }
      CanonicalFields.check(m.getValue(), field);
      String clash = seen.put(m.getValue(), m.getKey());
      if (clash != null) {
        throw new FieldException(field, "'" + clash + "' and '" + m.getKey() + "' both map to " + m.getValue());
      }
    }
    if (!seen.containsKey(target)) {
      throw new FieldException("source.fields", "no field is mapped to the target '" + target + "'; map the field"
          + " holding it, e.g. " + numericNames(mine).stream().findFirst().orElse("P_AC") + "=" + target);
    }
    return preview(source);
  }

  /** The newest rows of the device as the model reads them. */
  public Preview preview(DeviceConfig.Source source) {
    MappedCollectionSource reader = new MappedCollectionSource(store.collection(source.collection()), source);
    Optional<Instant> newest = reader.newest(source.deviceValue());
    List<String> columns = List.copyOf(new LinkedHashSet<>(source.fields().values()));
    if (newest.isEmpty()) {
      return new Preview(columns, List.of(), 0);
    }
    Instant to = newest.get().plusMillis(1);
    TelemetryWindow w = reader.read(source.deviceValue(), to.minus(Duration.ofDays(1)), to);
    List<PreviewRow> rows = new ArrayList<>();
    for (int i = Math.max(0, w.size() - PREVIEW_ROWS); i < w.size(); i++) {
      Map<String, Double> values = new LinkedHashMap<>();
      for (String col : columns) {
        double v = w.column(col)[i];
        values.put(col, Double.isNaN(v) ? null : v);
      }
      rows.add(new PreviewRow(Instant.ofEpochMilli(w.ts()[i]), values));
    }
    return new Preview(columns, rows, w.size());
  }

  private MongoCollection<Document> requireCollection(String collection) {
    if (collection == null || collection.isBlank()) {
      throw new FieldException("source.collection", "name the collection that holds the readings");
    }
    List<String> names = new ArrayList<>();
    store.db().listCollectionNames().forEach(names::add);
    if (!names.contains(collection)) {
      names.removeIf(n -> com.retrainconsole.store.Collections.ALL.contains(n) || n.startsWith("system."));
      names.sort(String::compareTo);
      throw new FieldException("source.collection", "no collection '" + collection + "' in the connected store"
          + (names.isEmpty() ? " (it has no collections besides the app's own)" : "; collections: "
          + String.join(", ", names)));
    }
    return store.collection(collection);
  }

  private static String kindOf(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Number || v instanceof Decimal128) {
      return "number";
    }
    if (v instanceof Date) {
      return "date";
    }
    if (v instanceof String) {
      return "text";
    }
    return v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }

  private static String names(Sample s) {
    return String.join(", ", s.fields().stream().map(DiscoveredField::name).toList());
  }

  private static List<String> numericNames(Sample s) {
    return s.fields().stream().filter(f -> f.kind().equals("number")).map(DiscoveredField::name).toList();
  }
}
