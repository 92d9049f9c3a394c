package com.retrainconsole.devices;

import java.util.List;

/** What removing a device deleted (its configuration and triggers) and what it kept on purpose. */
public record RemovalReport(String deviceId, List<String> triggersRemoved, long readingsKept, int modelVersionsKept,
    long runsKept) {

  public String describe() {
    return "Removed device " + deviceId + " (its configuration" + (triggersRemoved.isEmpty() ? ""
        : " and " + triggersRemoved.size() + " trigger(s): " + String.join(", ", triggersRemoved)) + "). Kept: "
        + readingsKept + " readings in telemetry, " + modelVersionsKept + " model version(s), " + runsKept
        + " run record(s); `devices add " + deviceId + "` brings the device back with them.";
  }
}
