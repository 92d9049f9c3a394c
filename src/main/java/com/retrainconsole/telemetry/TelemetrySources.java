package com.retrainconsole.telemetry;

import com.retrainconsole.store.Store;

/** Picks where a device's readings are read from. */
public final class TelemetrySources {
  private TelemetrySources() {}

  public static TelemetrySource forDevice(Store store, DeviceConfig device) {
    DeviceConfig.Source source = device.source();
    if (source.isBuckets()) {
      return new BucketTelemetryStore(store);
    }
    return new MappedCollectionSource(store.collection(source.collection()), source);
  }
}
