package com.retrainconsole.devices;

import com.retrainconsole.telemetry.DeviceConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Which of a device's fields an edit changed: what the audit ledger records. */
public final class DeviceDiff {
  private DeviceDiff() {}

  public static List<String> changedFields(DeviceConfig a, DeviceConfig b) {
    List<String> out = new ArrayList<>();
    add(out, "site", a.site(), b.site());
    add(out, "display_name", a.displayName(), b.displayName());
    add(out, "target", a.target(), b.target());
    add(out, "target_unit", a.targetUnit(), b.targetUnit());
    add(out, "lat", a.lat(), b.lat());
    add(out, "lon", a.lon(), b.lon());
    add(out, "zone", a.zone(), b.zone());
    add(out, "source", a.source(), b.source());
    add(out, "feature_spec", a.featureSpec(), b.featureSpec());
    add(out, "forecast", a.forecast(), b.forecast());
    add(out, "enabled", a.enabled(), b.enabled());
    add(out, "notes", a.notes(), b.notes());
    return out;
  }

  private static void add(List<String> out, String name, Object a, Object b) {
    if (!Objects.equals(a, b)) {
      out.add(name);
    }
  }
}
