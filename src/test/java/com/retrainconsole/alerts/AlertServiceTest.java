package com.retrainconsole.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.alerts.AlertService.StatusFilter;
import com.retrainconsole.common.UserException;
import com.retrainconsole.store.Store;
import com.retrainconsole.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AlertServiceTest {
  private Store store;
  private SettableClock clock;

  @BeforeEach
  void open() {
    store = Store.openInMemory();
    clock = new SettableClock(Instant.parse("2026-11-22T10:00:00Z"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void two_instances_raising_the_same_incident_concurrently_create_one_alert() throws Exception {
    // two services = two scheduler instances, each with its own client on the same server
    AlertService a = new AlertService(store, clock);
    try (Store other = Store.open(com.retrainconsole.store.StoreConfig.remote(uriOf(store)))) {
      AlertService b = new AlertService(other, clock);
      int rounds = 20;
      int perRound = 8;
      ExecutorService pool = Executors.newFixedThreadPool(perRound);
      try {
        for (int round = 0; round < rounds; round++) {
          String key = "CIRCUIT_OPEN:dev" + round;
          CyclicBarrier start = new CyclicBarrier(perRound);
          List<Future<?>> futures = new ArrayList<>();
          for (int i = 0; i < perRound; i++) {
            AlertService s = i % 2 == 0 ? a : b;
            String runId = "run-" + round + "-" + i;
            futures.add(pool.submit(() -> {
              start.await();
              s.raise(AlertTypes.CIRCUIT_OPEN, "dev", key, "circuit open", Map.of("run_id", runId));
              return null;
            }));
          }
          for (Future<?> f : futures) {
            f.get();
          }
        }
      } finally {
        pool.shutdownNow();
      }
      List<Document> all = a.list(StatusFilter.ALL, null, 1000);
      assertEquals(rounds, all.size(), "one alert per incident");
      for (Document alert : all) {
        assertEquals(perRound, alert.getInteger("count"));
        assertEquals(perRound, alert.getList("run_ids", String.class).size());
      }
    }
  }

  @Test
  void ack_silences_a_persisting_incident_and_a_resolved_one_opens_anew() {
    AlertService alerts = new AlertService(store, clock);
    Document first = alerts.raiseAlert(AlertTypes.STUCK_JOB, "dev", "k1", "stuck", Map.of());
    Document acked = alerts.ack(first.getString("alert_id"), "ana", "looking at it");
    assertEquals("acknowledged", acked.getString("status"));
    assertEquals("ana", acked.getString("acked_by"));
    assertEquals(false, acked.containsKey("open_key"));

    clock.advance(Duration.ofMinutes(5));
    Document again = alerts.raiseAlert(AlertTypes.STUCK_JOB, "dev", "k1", "still stuck", Map.of());
    assertEquals(first.getString("alert_id"), again.getString("alert_id"));
    assertEquals("acknowledged", again.getString("status"));
    assertEquals(2, again.getInteger("count"));

    assertTrue(alerts.resolveIncident("k1", "detector", "cleared"));
    Document reopened = alerts.raiseAlert(AlertTypes.STUCK_JOB, "dev", "k1", "stuck again", Map.of());
    assertNotEquals(first.getString("alert_id"), reopened.getString("alert_id"));
    assertEquals("open", reopened.getString("status"));
    assertEquals(1, alerts.list(StatusFilter.OPEN, "dev", 10).size());
    assertEquals(1, alerts.list(StatusFilter.RESOLVED, "dev", 10).size());
    assertEquals(0, alerts.list(StatusFilter.OPEN, "other", 10).size());
  }

  @Test
  void a_list_within_devices_counts_its_limit_only_over_their_alerts_and_leaves_fleet_alerts_out() {
    AlertService alerts = new AlertService(store, clock);
    alerts.raiseAlert(AlertTypes.LOW_ACCURACY, "north-1", "n", "stale", Map.of());
    clock.advance(Duration.ofMinutes(1));
    alerts.raiseAlert(AlertTypes.STUCK_JOB, null, "scheduler", "no scheduler tick", Map.of());
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofMinutes(1));
      alerts.raiseAlert(AlertTypes.LOW_ACCURACY, "south-" + i, "s" + i, "stale", Map.of());
    }

    List<Document> mine = alerts.list(StatusFilter.ALL, null, java.util.Set.of("north-1"), 1);
    assertEquals(List.of("north-1"), mine.stream().map(d -> d.getString("device_id")).toList());
    assertEquals(5, alerts.list(StatusFilter.ALL, null, null, 10).size(), "no restriction lists every alert");
    assertTrue(alerts.list(StatusFilter.ALL, null, java.util.Set.of(), 10).isEmpty());
  }

  @Test
  void acking_an_unknown_alert_names_the_open_ones() {
    AlertService alerts = new AlertService(store, clock);
    Document open = alerts.raiseAlert(AlertTypes.LOW_ACCURACY, "dev", "k", "bad", Map.of());
    UserException e = assertThrows(UserException.class, () -> alerts.ack("alert-nope", "ana", null));
    assertTrue(e.getMessage().contains(open.getString("alert_id")), e.getMessage());
  }

  static String uriOf(Store store) {
    // the in-memory server's address: the driver's cluster description names it
    return store.connectionUri();
  }
}
