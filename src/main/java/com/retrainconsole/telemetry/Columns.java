package com.retrainconsole.telemetry;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Growable primitive columns: timestamps plus named double columns kept the same length, NaN where
 * a row lacks a field. decision: readers and the importer append here instead of building
 * per-reading objects, so a million readings cost a few arrays, not a million maps.
 */
final class Columns {
  private long[] ts = new long[1024];
  private final Map<String, double[]> values = new LinkedHashMap<>();
  private int size;

  int size() {
    return size;
  }

  /** Starts a new row with every existing column NaN; returns its index. */
  int addRow(long timestamp) {
    if (size == ts.length) {
      int capacity = ts.length * 2;
      ts = Arrays.copyOf(ts, capacity);
      for (Map.Entry<String, double[]> e : values.entrySet()) {
        double[] grown = Arrays.copyOf(e.getValue(), capacity);
        Arrays.fill(grown, size, capacity, Double.NaN);
        e.setValue(grown);
      }
    }
    ts[size] = timestamp;
    return size++;
  }

  void set(int row, String field, double value) {
    double[] column = values.get(field);
    if (column == null) {
      column = new double[ts.length];
      Arrays.fill(column, Double.NaN);
      values.put(field, column);
    }
    column[row] = value;
  }

  void setTs(int row, long timestamp) {
    ts[row] = timestamp;
  }

  /** Drops rows from {@code from} on (used when a row turns out invalid after it was started). */
  void truncate(int from) {
    for (double[] column : values.values()) {
      Arrays.fill(column, from, size, Double.NaN);
    }
    size = from;
  }

  /** The rows sorted by time, keeping only the first row of each timestamp. */
  TelemetryWindow toWindow(String deviceId) {
    int[] order = PrimitiveSort.order(ts, size);
    int kept = 0;
    int[] keep = new int[size];
    for (int i = 0; i < size; i++) {
      if (kept > 0 && ts[order[i]] == ts[keep[kept - 1]]) {
        continue;
      }
      keep[kept++] = order[i];
    }
    long[] outTs = new long[kept];
    for (int i = 0; i < kept; i++) {
      outTs[i] = ts[keep[i]];
    }
    Map<String, double[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> e : values.entrySet()) {
      double[] source = e.getValue();
      double[] column = new double[kept];
      for (int i = 0; i < kept; i++) {
        column[i] = source[keep[i]];
      }
      out.put(e.getKey(), column);
    }
    return new TelemetryWindow(deviceId, outTs, out);
  }
}
