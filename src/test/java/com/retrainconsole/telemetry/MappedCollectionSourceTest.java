package com.retrainconsole.telemetry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoCollection;
import com.retrainconsole.common.UserException;
import com.retrainconsole.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MappedCollectionSourceTest {
  private static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
  private static final long MIN = 60_000L;
  private static Store store;

  @BeforeAll
  static void open() {
    store = Store.openInMemory();
  }

  @AfterAll
  static void close() {
    store.close();
  }

  private static DeviceConfig.Source mapping(String collection, String tsField) {
    return DeviceConfig.Source.collection(
        collection,
        "inverter",
        "INV-7",
        tsField,
        Map.of("P_AC", "power_w", "G_POA", "irradiance_wm2"));
  }

  @Test
  void reads_a_sites_per_reading_collection_through_the_field_mapping() {
    MongoCollection<Document> site = store.collection("site_readings");
    List<Document> docs = new ArrayList<>();
    // inserted newest first, with another inverter interleaved, a text value and an unmapped field
    for (int i = 9; i >= 0; i--) {
      docs.add(
          new Document("inverter", "INV-7")
              .append("time", new Date(T0 + i * 5 * MIN))
              .append("P_AC", i == 4 ? (Object) "ERR" : (Object) (100.0 * i))
              .append("G_POA", 10 * i)
              .append("note", "x"));
      docs.add(
          new Document("inverter", "INV-8")
              .append("time", new Date(T0 + i * 5 * MIN))
              .append("P_AC", -1.0));
    }
    docs.add(
        new Document("inverter", "INV-7")
            .append("time", null)
            .append("P_AC", 5.0)); // no time: skipped
    site.insertMany(docs);
    DeviceConfig device = DeviceConfig.of("tracker-7").withSource(mapping("site_readings", "time"));
    TelemetrySource source = TelemetrySources.forDevice(store, device);

    TelemetryWindow w =
        source.read(
            "tracker-7", Instant.ofEpochMilli(T0 + 5 * MIN), Instant.ofEpochMilli(T0 + 30 * MIN));

    assertInstanceOf(MappedCollectionSource.class, source);
    assertEquals("tracker-7", w.deviceId());
    assertArrayEquals(
        new long[] {T0 + 5 * MIN, T0 + 10 * MIN, T0 + 15 * MIN, T0 + 20 * MIN, T0 + 25 * MIN},
        w.ts());
    assertArrayEquals(new double[] {100, 200, 300, Double.NaN, 500}, w.column("power_w"));
    assertArrayEquals(new double[] {10, 20, 30, 40, 50}, w.column("irradiance_wm2"));
    assertEquals(2, w.columns().size());
    assertEquals(Optional.of(Instant.ofEpochMilli(T0 + 45 * MIN)), source.newest("tracker-7"));
    assertEquals(Optional.of(Instant.ofEpochMilli(T0)), source.oldest("tracker-7"));
  }

  @Test
  void reads_times_stored_as_epoch_seconds_and_numeric_device_ids() {
    MongoCollection<Document> site = store.collection("site_epoch");
    for (int i = 0; i < 4; i++) {
      site.insertOne(
          new Document("inverter", 7)
              .append("t", (T0 + i * MIN) / 1000)
              .append("P_AC", (double) i));
    }
    DeviceConfig.Source src =
        DeviceConfig.Source.collection(
            "site_epoch", "inverter", "7", "t", Map.of("P_AC", "power_w"));
    TelemetrySource source =
        TelemetrySources.forDevice(store, DeviceConfig.of("d").withSource(src));

    TelemetryWindow w =
        source.read("d", Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 10 * MIN));

    assertArrayEquals(new long[] {T0, T0 + MIN, T0 + 2 * MIN, T0 + 3 * MIN}, w.ts());
    assertArrayEquals(new double[] {0, 1, 2, 3}, w.column("power_w"));
  }

  @Test
  void an_empty_device_reads_as_an_empty_window_with_the_mapped_fields() {
    TelemetrySource source =
        new MappedCollectionSource(
            store.collection("nothing_here"), mapping("nothing_here", "time"));

    TelemetryWindow w = source.read("d", Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + MIN));

    assertEquals(0, w.size());
    assertTrue(w.has("power_w"));
    assertEquals(Optional.empty(), source.newest("d"));
  }

  @Test
  void text_timestamps_are_refused_with_a_message_naming_the_field() {
    store
        .collection("site_text")
        .insertOne(
            new Document("inverter", "INV-7")
                .append("time", "2026-03-01 00:00")
                .append("P_AC", 1.0));
    TelemetrySource source =
        new MappedCollectionSource(store.collection("site_text"), mapping("site_text", "time"));

    UserException e =
        assertThrows(
            UserException.class,
            () -> source.read("d", Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + MIN)));

    assertTrue(e.getMessage().contains("'time'"), e.getMessage());
  }
}
