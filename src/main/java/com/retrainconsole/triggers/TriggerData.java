package com.retrainconsole.triggers;

import com.retrainconsole.common.UserException;
import com.retrainconsole.registry.LoadedModel;
import com.retrainconsole.registry.ModelMeta;
import com.retrainconsole.registry.ModelRegistry;
import com.retrainconsole.registry.Pointer;
import com.retrainconsole.store.Store;
import com.retrainconsole.telemetry.DeviceConfig;
import com.retrainconsole.telemetry.DeviceRepository;
import com.retrainconsole.telemetry.TelemetrySource;
import com.retrainconsole.telemetry.TelemetrySources;
import java.time.Instant;
import java.time.ZoneId;
import com.retrainconsole.telemetry.TelemetryWindow;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the data triggers read: telemetry through the device's source, the device's zone, the production
 * model and its meta. One instance per tick or per replay, so device configs and loaded models are read once.
 */
final class TriggerData {
  private final Store store;
  private final DeviceRepository devices;
  private final ModelRegistry registry; // null: no models folder (e.g. benchmarks)
  private final Map<String, DeviceConfig> configs = new HashMap<>();
  private final Map<String, LoadedModel> models = new HashMap<>();
  private final Map<String, TelemetrySource> sources = new HashMap<>();
  private final ReferenceCache references;

  TriggerData(Store store, DeviceRepository devices, ModelRegistry registry) {
    this(store, devices, registry, new ReferenceCache());
  }

  /** {@code references}: kept by the engine across ticks. */
  TriggerData(Store store, DeviceRepository devices, ModelRegistry registry, ReferenceCache references) {
    this.store = store;
    this.devices = devices;
    this.registry = registry;
    this.references = references;
  }

  /**
   * A production model's training window as drift reads it, one per device. decision: keyed on the model
   * version and the window's bounds: the training window of a version never changes, so the reference is
   * read again only when the pointer moves (or while the window is clipped by a recent window that moves).
   * Only the columns asked for are kept (a month of one device is ~300 KB with every column).
   */
  static final class ReferenceCache {
    private record Entry(String key, TelemetryWindow window) {}

    private final Map<String, Entry> byDevice = new java.util.concurrent.ConcurrentHashMap<>();

    TelemetryWindow get(String device, String version, Instant from, Instant to, Set<String> columns,
        TelemetrySource source) {
      String key = version + "|" + from + "|" + to + "|" + new TreeSet<>(columns);
      Entry e = byDevice.get(device);
      if (e != null && e.key().equals(key)) {
        return e.window();
      }
      TelemetryWindow w = project(source.read(device, from, to), columns);
      byDevice.put(device, new Entry(key, w));
      return w;
    }

    int size() {
      return byDevice.size();
    }
  }

  static TelemetryWindow project(TelemetryWindow w, Set<String> columns) {
    Map<String, double[]> kept = new LinkedHashMap<>();
    for (String c : columns) {
      if (w.has(c)) {
        kept.put(c, w.column(c));
      }
    }
    return new TelemetryWindow(w.deviceId(), w.ts(), kept);
  }

  /** Rows of {@code w} with {@code from <= ts < to}. */
  static TelemetryWindow slice(TelemetryWindow w, Instant from, Instant to) {
    long[] ts = w.ts();
    int lo = lowerBound(ts, from.toEpochMilli());
    int hi = lowerBound(ts, to.toEpochMilli());
    Map<String, double[]> cols = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> e : w.columns().entrySet()) {
      cols.put(e.getKey(), Arrays.copyOfRange(e.getValue(), lo, hi));
    }
    return new TelemetryWindow(w.deviceId(), Arrays.copyOfRange(ts, lo, hi), cols);
  }

  private static int lowerBound(long[] ts, long v) {
    int lo = 0;
    int hi = ts.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ts[mid] < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The training window of {@code version}, through the cache. */
  TelemetryWindow reference(String id, String version, Instant from, Instant to, Set<String> columns) {
    return references.get(id, version, from, to, columns, source(id));
  }

  DeviceConfig device(String id) {
    return configs.computeIfAbsent(id, k -> devices.find(k).orElseGet(() -> DeviceConfig.of(k)));
  }

  ZoneId zone(String id) {
    return device(id).zone();
  }

  TelemetrySource source(String id) {
    return sources.computeIfAbsent(id, k -> TelemetrySources.forDevice(store, device(k)));
  }

  /** Readings with {@code after < ts < at} (after null: all readings before at). */
  long newRows(String id, Instant after, Instant at) {
    TelemetrySource source = source(id);
    if (after == null && source instanceof com.retrainconsole.telemetry.BucketTelemetryStore buckets) {
      // decision: all readings before `at` is the device's summary count when nothing newer exists; it is one
      // small document instead of a window read over the whole history
      Optional<Instant> newest = buckets.newest(id);
      if (newest.isEmpty()) {
        return 0;
      }
      if (newest.get().isBefore(at)) {
        return buckets.count(id);
      }
    }
    Instant from = after != null ? after.plusMillis(1) : source.oldest(id).orElse(null);
    if (from == null || !from.isBefore(at)) {
      return 0;
    }
    return source.read(id, from, at).size();
  }

  /**
   * The production model's meta: the one in service now (live) or, in a replay, the one in service at
   * {@code at} according to the pointer ledger.
   */
  Optional<ModelMeta> productionMeta(String id, Instant at, boolean live) {
    if (registry == null) {
      return Optional.empty();
    }
    try {
      if (live) {
        Optional<Pointer> p = registry.current(id);
        return p.map(pointer -> registry.meta(id, pointer.version()));
      }
      return registry.versionAt(id, at).map(v -> registry.meta(id, v));
    } catch (UserException e) {
      return Optional.empty();
    }
  }

  /** The model of {@code meta}, sha256-checked by the registry; cached per version. */
  LoadedModel model(String id, ModelMeta meta, boolean live) {
    String key = id + "|" + meta.version();
    LoadedModel m = models.get(key);
    if (m == null) {
      LoadedModel current = live ? registry.loadCurrent(id) : null;
      m = current != null && current.meta().version().equals(meta.version()) ? current
          : registry.load(id, meta.version());
      models.put(key, m);
    }
    return m;
  }
}
