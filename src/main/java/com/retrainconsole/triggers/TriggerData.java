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
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

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

  TriggerData(Store store, DeviceRepository devices, ModelRegistry registry) {
    this.store = store;
    this.devices = devices;
    this.registry = registry;
  }

  DeviceConfig device(String id) {
    return configs.computeIfAbsent(id, k -> devices.find(k).orElseGet(() -> DeviceConfig.of(k)));
  }

  ZoneId zone(String id) {
    return device(id).zone();
  }

  TelemetrySource source(String id) {
    return TelemetrySources.forDevice(store, device(id));
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
