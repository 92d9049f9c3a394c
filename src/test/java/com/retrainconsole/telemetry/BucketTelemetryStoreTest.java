package com.retrainconsole.telemetry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BucketTelemetryStoreTest {
  private static final long T0 = Instant.parse("2026-05-15T10:00:00Z").toEpochMilli();
  private static final long MIN = 60_000L;
  private static Store store;
  private BucketTelemetryStore telemetry;

  @BeforeAll
  static void open() {
    store = Store.openInMemory();
  }

  @AfterAll
  static void close() {
    store.close();
  }

  @BeforeEach
  void clean() {
    store.collection(Collections.TELEMETRY).deleteMany(new Document());
    store.collection(Collections.DEVICES).deleteMany(new Document());
    telemetry = new BucketTelemetryStore(store);
  }

  private static long[] minutes(int from, int to, int step) {
    long[] ts = new long[(to - from + step - 1) / step];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = T0 + (from + (long) i * step) * MIN;
    }
    return ts;
  }

  private static double[] ramp(long[] ts) {
    double[] v = new double[ts.length];
    for (int i = 0; i < ts.length; i++) {
      v[i] = (ts[i] - T0) / (double) MIN;
    }
    return v;
  }

  @Test
  void stores_one_bucket_per_device_hour_and_reads_back_the_window_in_time_order() {
    long[] ts = minutes(0, 180, 5); // three hours
    WriteSummary summary = telemetry.write("a", ts, Map.of("power_w", ramp(ts)));

    assertEquals(new WriteSummary(36, 0), summary);
    assertEquals(3, store.collection(Collections.TELEMETRY).countDocuments());
    Document bucket =
        store
            .collection(Collections.TELEMETRY)
            .find(new Document("_id", "a|2026-05-15T11:00:00Z"))
            .first();
    assertEquals(12, bucket.getInteger("n"));
    assertEquals("a", bucket.getString("device_id"));

    TelemetryWindow w =
        telemetry.read(
            "a", Instant.ofEpochMilli(T0 + 50 * MIN), Instant.ofEpochMilli(T0 + 125 * MIN));
    assertArrayEquals(minutes(50, 125, 5), w.ts());
    assertArrayEquals(ramp(minutes(50, 125, 5)), w.column("power_w"));
  }

  @Test
  void writing_the_same_readings_twice_adds_nothing_the_second_time() {
    long[] ts = minutes(0, 600, 1);
    telemetry.write("a", ts, Map.of("power_w", ramp(ts)));

    WriteSummary again = telemetry.write("a", ts, Map.of("power_w", ramp(ts)));

    assertEquals(new WriteSummary(0, 600), again);
    assertEquals(600, telemetry.count("a"));
    assertEquals(
        600,
        telemetry.read("a", Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 600 * MIN)).size());
  }

  @Test
  void merges_new_readings_and_new_fields_into_an_existing_hour_keeping_the_stored_value_on_a_clash() {
    long[] even = minutes(0, 60, 2);
    telemetry.write("a", even, Map.of("power_w", ramp(even)));
    long[] every = minutes(0, 60, 1);
    double[] other = new double[every.length];
    java.util.Arrays.fill(other, -1);
    double[] temp = new double[every.length];
    java.util.Arrays.fill(temp, 20);

    WriteSummary summary =
        telemetry.write("a", every, Map.of("power_w", other, "ambient_temp_c", temp));

    // 30 new readings; the 30 stored ones gain a temperature; their power differs: 30 conflicts
    assertEquals(30, summary.written());
    assertEquals(30, summary.updated());
    assertEquals(0, summary.alreadyPresent());
    assertEquals(30, summary.conflictCount());
    assertEquals(0, summary.replaced());
    assertEquals(new WriteSummary.Conflict(T0 + 2 * MIN, "power_w", 2, -1), summary.conflicts().get(1));
    TelemetryWindow w =
        telemetry.read("a", Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 60 * MIN));
    assertArrayEquals(every, w.ts());
    assertEquals(0.0, w.column("power_w")[0]); // stored
    assertEquals(-1.0, w.column("power_w")[1]); // new
    assertEquals(20.0, w.column("ambient_temp_c")[0]); // stored reading gained the temperature
    assertEquals(20.0, w.column("ambient_temp_c")[1]);
    assertEquals(60, telemetry.count("a"));
  }

  @Test
  void replaces_differing_values_only_when_asked_and_treats_tiny_float_noise_as_the_same_value() {
    long[] ts = minutes(0, 4, 1);
    telemetry.write("a", ts, Map.of("power_w", new double[] {1, 2, 3, 4}));

    WriteSummary noise =
        telemetry.write("a", ts, Map.of("power_w", new double[] {1, 2 + 1e-12, 3, 4}));
    WriteSummary replaced =
        telemetry.write("a", ts, Map.of("power_w", new double[] {1, 2, 30, Double.NaN}), true);

    assertEquals(new WriteSummary(0, 4), noise);
    assertEquals(1, replaced.replaced());
    assertEquals(1, replaced.updated());
    assertEquals(3, replaced.alreadyPresent());
    assertArrayEquals(new double[] {1, 2, 30, 4}, telemetry.read("a", Instant.ofEpochMilli(T0),
        Instant.ofEpochMilli(T0 + 60 * MIN)).column("power_w")); // missing incoming value: kept
  }

  @Test
  void deletes_a_range_rewriting_partial_buckets_removing_empty_ones_and_keeping_the_summary_right() {
    long[] ts = minutes(0, 180, 10); // 18 readings over three hours
    telemetry.write("a", ts, Map.of("power_w", ramp(ts)));
    telemetry.write("b", ts, Map.of("power_w", ramp(ts)));

    // 10:30 .. 12:00 (exclusive): 3 readings of hour 10, all 6 of hour 11
    long removed = telemetry.delete("a", Instant.ofEpochMilli(T0 + 30 * MIN),
        Instant.ofEpochMilli(T0 + 120 * MIN));

    assertEquals(9, removed);
    TelemetryWindow w = telemetry.read("a", Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 180 * MIN));
    assertArrayEquals(new long[] {T0, T0 + 10 * MIN, T0 + 20 * MIN, T0 + 120 * MIN, T0 + 130 * MIN,
        T0 + 140 * MIN, T0 + 150 * MIN, T0 + 160 * MIN, T0 + 170 * MIN}, w.ts());
    assertArrayEquals(new double[] {0, 10, 20, 120, 130, 140, 150, 160, 170}, w.column("power_w"));
    assertEquals(0, store.collection(Collections.TELEMETRY)
        .countDocuments(new Document("_id", "a|2026-05-15T11:00:00Z")));
    assertEquals(9, telemetry.count("a"));
    assertEquals(18, telemetry.count("b")); // other devices untouched

    assertEquals(9, telemetry.delete("a", Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 180 * MIN)));
    assertEquals(0, telemetry.count("a"));
    assertEquals(Optional.empty(), telemetry.newest("a"));
    assertEquals(List.of("b"), telemetry.devices());
  }

  @Test
  void accepts_unsorted_input_and_counts_repeated_timestamps_once() {
    long[] ts = {T0 + 3 * MIN, T0 + MIN, T0 + 2 * MIN, T0 + MIN, T0 + 70 * MIN};
    double[] v = {3, 1, 2, 99, 70};

    WriteSummary summary = telemetry.write("a", ts, Map.of("power_w", v));

    assertEquals(new WriteSummary(4, 1), summary);
    TelemetryWindow w =
        telemetry.read("a", Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 2 * 3600_000L));
    assertArrayEquals(new long[] {T0 + MIN, T0 + 2 * MIN, T0 + 3 * MIN, T0 + 70 * MIN}, w.ts());
    assertArrayEquals(new double[] {1, 2, 3, 70}, w.column("power_w"));
  }

  @Test
  void keeps_missing_values_as_nan_and_fills_fields_absent_from_some_hours() {
    long[] first = minutes(0, 60, 30);
    long[] second = minutes(60, 120, 30);
    telemetry.write("a", first, Map.of("power_w", new double[] {1, Double.NaN}));
    telemetry.write(
        "a", second, Map.of("power_w", new double[] {3, 4}, "wind_speed_ms", new double[] {5, 6}));

    TelemetryWindow w =
        telemetry.read("a", Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 120 * MIN));

    assertArrayEquals(new double[] {1, Double.NaN, 3, 4}, w.column("power_w"));
    assertArrayEquals(new double[] {Double.NaN, Double.NaN, 5, 6}, w.column("wind_speed_ms"));
  }

  @Test
  void reports_newest_oldest_devices_and_counts_per_device() {
    long[] ts = minutes(-30, 200, 10);
    telemetry.write("b", ts, Map.of("power_w", ramp(ts)));
    telemetry.write("a", minutes(0, 10, 5), Map.of("power_w", new double[] {1, 2}));

    assertEquals(Optional.of(Instant.ofEpochMilli(T0 - 30 * MIN)), telemetry.oldest("b"));
    assertEquals(Optional.of(Instant.ofEpochMilli(T0 + 190 * MIN)), telemetry.newest("b"));
    assertEquals(Optional.empty(), telemetry.newest("nobody"));
    assertEquals(List.of("a", "b"), telemetry.devices());
    assertEquals(ts.length, telemetry.count("b"));
    assertEquals(2, telemetry.count("a"));
    assertEquals(
        0,
        telemetry
            .read(
                "a", Instant.ofEpochMilli(T0 + 10 * MIN), Instant.ofEpochMilli(T0 + 5 * 3600_000L))
            .size());
  }

  @Test
  void reads_short_windows_by_bucket_id_and_long_ones_by_hour_range_with_the_same_result() {
    long day = 86_400_000L;
    long[] ts = new long[150];
    double[] v = new double[150];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = T0 + i * day + 7 * MIN;
      v[i] = i;
    }
    telemetry.write("a", ts, Map.of("power_w", v));
    telemetry.write("b", ts, Map.of("power_w", v));

    TelemetryWindow shortWindow =
        telemetry.read(
            "a", Instant.ofEpochMilli(T0 + 10 * day), Instant.ofEpochMilli(T0 + 20 * day));
    TelemetryWindow longWindow =
        telemetry.read("a", Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 140 * day));

    assertTrue(140 * 24 > BucketTelemetryStore.MAX_HOURS_BY_ID);
    assertArrayEquals(java.util.Arrays.copyOfRange(v, 10, 20), shortWindow.column("power_w"));
    assertArrayEquals(java.util.Arrays.copyOfRange(v, 0, 140), longWindow.column("power_w"));
    assertArrayEquals(java.util.Arrays.copyOfRange(ts, 0, 140), longWindow.ts());
  }

  @Test
  void keeps_a_device_summary_that_survives_config_edits_and_can_be_rebuilt_from_the_buckets() {
    long[] ts = minutes(0, 120, 10);
    telemetry.write("a", ts, Map.of("power_w", ramp(ts)));
    telemetry.write("a", ts, Map.of("power_w", ramp(ts))); // already present: count unchanged
    DeviceRepository devices = new DeviceRepository(store);
    devices.upsert(DeviceConfig.of("a").withTarget("ac_power_w"));
    devices.replace(DeviceConfig.of("a").withTarget("dc_power_w"));

    Document summary =
        store
            .collection(Collections.DEVICES)
            .find(new Document("_id", "a"))
            .first()
            .get(BucketTelemetryStore.SUMMARY, Document.class);
    assertEquals(12L, summary.get("count", Number.class).longValue());
    assertEquals(Optional.of(Instant.ofEpochMilli(T0 + 110 * MIN)), telemetry.newest("a"));
    assertEquals("dc_power_w", devices.require("a").target());

    // buckets deleted behind the store's back: the summary is stale until rebuilt
    store
        .collection(Collections.TELEMETRY)
        .deleteOne(new Document("_id", "a|2026-05-15T11:00:00Z"));
    telemetry.rebuildSummary("a");

    assertEquals(6, telemetry.count("a"));
    assertEquals(Optional.of(Instant.ofEpochMilli(T0 + 50 * MIN)), telemetry.newest("a"));
    assertEquals(Optional.of(Instant.ofEpochMilli(T0)), telemetry.oldest("a"));
  }

  @Test
  void answers_from_the_buckets_when_a_device_has_no_summary() {
    long[] ts = minutes(0, 120, 10);
    telemetry.write("a", ts, Map.of("power_w", ramp(ts)));
    store.collection(Collections.DEVICES).deleteMany(new Document());

    assertEquals(12, telemetry.count("a"));
    assertEquals(Optional.of(Instant.ofEpochMilli(T0 + 110 * MIN)), telemetry.newest("a"));
    assertEquals(Optional.of(Instant.ofEpochMilli(T0)), telemetry.oldest("a"));
  }
}
