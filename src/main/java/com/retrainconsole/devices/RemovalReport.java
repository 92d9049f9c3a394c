package com.retrainconsole.devices;

import java.util.List;

/** What removing a device deleted (its configuration and triggers) and what it kept on purpose. */
public record RemovalReport(String deviceId, List<String> triggersRemoved, long readingsKept, int modelVersionsKept,
    long runsKept, String collection) {

  /** @param collection the site collection the device read, or null for the app's buckets */
  public String describe() {
    String readings = collection == null ? readingsKept + " readings in telemetry"
        : "the readings in collection " + collection + " (never touched)";
    String back = collection == null ? "`devices add " + deviceId + "` brings the device back with them."
        : "`devices add " + deviceId + "` then `devices source " + deviceId + " --collection " + collection
            + " ...` brings the device back.";
    return "Removed device " + deviceId + " (its configuration" + (triggersRemoved.isEmpty() ? ""
        : " and " + triggersRemoved.size() + " trigger(s): " + String.join(", ", triggersRemoved)) + "). Kept: "
        + readings + ", " + modelVersionsKept + " model version(s), " + runsKept + " run record(s); " + back;
  }
}
