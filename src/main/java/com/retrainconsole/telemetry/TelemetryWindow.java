package com.retrainconsole.telemetry;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A device's readings over a time window, column-wise: {@code ts[i]} (epoch millis, ascending, unique)
 * and one {@code double[]} per canonical field, NaN where a reading lacks the field.
 */
public record TelemetryWindow(String deviceId, long[] ts, Map<String, double[]> columns) {
  public TelemetryWindow {
    columns = new LinkedHashMap<>(columns);
    for (Map.Entry<String, double[]> e : columns.entrySet()) {
      if (e.getValue().length != ts.length) {
        throw new IllegalArgumentException("column " + e.getKey() + " has " + e.getValue().length
            + " values for " + ts.length + " timestamps");
      }
    }
  }

  public int size() {
    return ts.length;
  }

  public boolean has(String field) {
    return columns.containsKey(field);
  }

  /** The column, or an IllegalArgumentException naming the fields that exist. */
  public double[] column(String field) {
    double[] c = columns.get(field);
    if (c == null) {
      throw new IllegalArgumentException("no field '" + field + "' in telemetry of " + deviceId
          + "; fields present: " + columns.keySet());
    }
    return c;
  }
}
