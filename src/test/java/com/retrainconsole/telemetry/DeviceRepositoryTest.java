package com.retrainconsole.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.common.UserException;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeviceRepositoryTest {
  private static Store store;
  private DeviceRepository devices;

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
    store.collection(Collections.DEVICES).deleteMany(new Document());
    devices = new DeviceRepository(store);
  }

  @Test
  void a_new_device_gets_defaults_and_round_trips_every_field() {
    Document spec =
        new Document("lags", List.of("15m", "1d")).append("rolling", new Document("w", 4));
    DeviceConfig config =
        DeviceConfig.of("t1")
            .withLocation(37.1, -3.6, ZoneId.of("Europe/Madrid"))
            .withFeatureSpec(spec)
            .withSource(
                DeviceConfig.Source.collection("site", "inv", "7", "time", Map.of("P", "power_w")));

    devices.upsert(config);
    DeviceConfig read = devices.require("t1");

    assertEquals("power_w", read.target());
    assertEquals(37.1, read.lat());
    assertEquals(ZoneId.of("Europe/Madrid"), read.zone());
    assertEquals(spec, read.featureSpec());
    assertEquals(Map.of("P", "power_w"), read.source().fields());
    assertEquals("7", read.source().deviceValue());
    assertEquals(config.createdAt().toEpochMilli(), read.createdAt().toEpochMilli());
    assertEquals(ZoneId.of("UTC"), DeviceConfig.of("x").zone());
    assertTrue(DeviceConfig.of("x").source().isBuckets());
  }

  @Test
  void upsert_keeps_existing_fields_and_fills_only_missing_ones() {
    devices.upsert(DeviceConfig.of("t1").withTarget("ac_power_w"));

    devices.upsert(DeviceConfig.of("t1").withLocation(10.0, 20.0, ZoneId.of("Asia/Tokyo")));

    DeviceConfig read = devices.require("t1");
    assertEquals("ac_power_w", read.target());
    assertEquals(10.0, read.lat());
    assertEquals(ZoneId.of("UTC"), read.zone()); // zone existed already (default), so it is kept
  }

  @Test
  void replace_overwrites_an_existing_device() {
    devices.upsert(DeviceConfig.of("t1").withTarget("ac_power_w"));

    devices.replace(DeviceConfig.of("t1").withTarget("dc_power_w"));

    assertEquals("dc_power_w", devices.require("t1").target());
  }

  @Test
  void require_names_the_known_devices_when_the_id_is_unknown() {
    UserException none = assertThrows(UserException.class, () -> devices.require("x"));
    assertEquals(
        "Unknown device 'x'. No devices yet: run simulate or import-csv first", none.getMessage());

    devices.upsert(DeviceConfig.of("b"));
    devices.upsert(DeviceConfig.of("a"));
    UserException some = assertThrows(UserException.class, () -> devices.require("x"));

    assertEquals("Unknown device 'x'. Known devices: a, b", some.getMessage());
    assertEquals(List.of("a", "b"), devices.list().stream().map(DeviceConfig::id).toList());
  }

  @Test
  void a_collection_source_without_a_field_mapping_is_refused() {
    com.retrainconsole.common.FieldException e =
        assertThrows(
            com.retrainconsole.common.FieldException.class,
            () -> DeviceConfig.Source.collection("site", "inv", "7", "time", Map.of()));
    assertEquals("source.fields", e.field());
    assertTrue(e.getMessage().contains("fields"));
    assertTrue(devices.find("nobody").isEmpty());
  }
}
