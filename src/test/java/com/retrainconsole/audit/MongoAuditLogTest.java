package com.retrainconsole.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MongoAuditLogTest {
  private static Store store;
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);
  private MongoAuditLog log;

  @BeforeAll
  static void start() {
    store = Store.openInMemory();
  }

  @AfterAll
  static void stop() {
    store.close();
  }

  @BeforeEach
  void clean() {
    store.collection(Collections.AUDIT).deleteMany(new Document());
    log = new MongoAuditLog(store, clock);
  }

  private static PointerMove move(String action, String device, String from, String to, String at) {
    return new PointerMove(action, device, from, to, "alice", "because", Instant.parse(at));
  }

  @Test
  void stores_pointer_moves_with_the_contract_fields() {
    log.append(move("promote", "d1", null, "v1", "2026-11-22T10:00:00.250Z"));

    Document doc = store.collection(Collections.AUDIT).find().first();
    assertEquals("promote", doc.getString("action"));
    assertEquals("d1", doc.getString("device_id"));
    assertNull(doc.get("from_version"));
    assertEquals("v1", doc.getString("to_version"));
    assertEquals("alice", doc.getString("actor"));
    assertEquals("because", doc.getString("reason"));
    assertEquals(Instant.parse("2026-11-22T10:00:00.250Z"), doc.getDate("at").toInstant());
  }

  @Test
  void history_is_per_device_in_time_order_and_holds_only_pointer_moves() {
    log.append(move("promote", "d1", null, "v1", "2026-11-22T10:00:00Z"));
    log.append(move("promote", "d2", null, "x1", "2026-11-22T10:30:00Z"));
    log.append(move("rollback", "d1", "v2", "v1", "2026-11-22T12:00:00Z"));
    log.append(move("promote", "d1", "v1", "v2", "2026-11-22T11:00:00Z"));
    log.record("set_stage", "bob", Map.of("device_id", "d1", "version", "v3", "to_stage", "staging"));

    List<PointerMove> history = log.history("d1");

    assertEquals(
        List.of("v1", "v2", "v1"), history.stream().map(PointerMove::toVersion).collect(Collectors.toList()));
    assertEquals("rollback", history.get(2).action());
    assertEquals(1, log.history("d2").size());
    assertEquals(List.of(), log.history("d3"));
  }

  @Test
  void moves_at_the_same_instant_keep_append_order() {
    for (int i = 0; i < 20; i++) {
      log.append(move("promote", "d1", null, "v" + i, "2026-11-22T10:00:00Z"));
    }
    List<String> order = log.history("d1").stream().map(PointerMove::toVersion).collect(Collectors.toList());
    for (int i = 0; i < 20; i++) {
      assertEquals("v" + i, order.get(i));
    }
  }

  @Test
  void records_other_actions_with_actor_time_and_details() {
    log.record(
        "set_stage",
        "bob",
        Map.of("device_id", "d1", "version", "v3", "requested_at", Instant.parse("2026-11-22T09:00:00Z")));
    log.record("settings_change", "admin", Map.of("key", "tolerance", "value", 0.2));

    List<Document> recent = log.recent(null, 10);
    assertEquals(2, recent.size());
    Document stage = log.recent("d1", 10).get(0);
    assertEquals("set_stage", stage.getString("action"));
    assertEquals("bob", stage.getString("actor"));
    assertEquals(clock.instant(), stage.getDate("at").toInstant());
    Document details = stage.get("details", Document.class);
    assertEquals("v3", details.getString("version"));
    assertEquals(Instant.parse("2026-11-22T09:00:00Z"), details.getDate("requested_at").toInstant());
  }
}
