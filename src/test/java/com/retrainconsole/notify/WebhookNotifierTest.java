package com.retrainconsole.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.retrainconsole.access.AccessDeniedException;
import com.retrainconsole.access.Actor;
import com.retrainconsole.access.Role;
import com.retrainconsole.alerts.AlertService;
import com.retrainconsole.alerts.AlertTypes;
import com.retrainconsole.common.Json;
import com.retrainconsole.runs.RunRepository;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.store.Store;
import com.retrainconsole.testing.SettableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class WebhookNotifierTest {
  static final Actor ADMIN = new Actor("ada", Role.ADMIN);
  static final Backoff FAST = new Backoff(List.of(Duration.ofMillis(10)), 5);

  private Store store;
  private SettableClock clock;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeEach
  void open() {
    store = Store.openInMemory();
    clock = new SettableClock(Instant.parse("2026-11-22T10:00:00Z"));
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    store.close();
  }

  private Receiver receiver(Receiver r) {
    closing.add(r);
    return r;
  }

  private Notifications notifications(Clock c, Backoff backoff) {
    Notifications n = new Notifications(store, c, backoff, Duration.ofMillis(20));
    closing.add(n::stop);
    return n;
  }

  private String failRun(Clock c, String device, String error) {
    RunRepository runs = new RunRepository(store, c);
    String id = runs.startInline(device, new Document("type", "manual"), new Document()).getString("run_id");
    runs.finish(id, RunStatus.FAILED, new Document("error", error));
    return id;
  }

  private String completeRun(Clock c, String device, boolean promoted, String version) {
    RunRepository runs = new RunRepository(store, c);
    String id = runs.startInline(device, new Document("type", "manual"), new Document()).getString("run_id");
    runs.finish(id, RunStatus.COMPLETED, new Document("model", new Document("version", version))
        .append("decision", new Document("promoted", promoted).append("reason", "MAE 41.0 W < 55.2 W")));
    return id;
  }

  @Test
  void a_failed_run_produces_one_generic_delivery_with_device_and_error() throws Exception {
    Receiver r = receiver(Receiver.answering(200));
    Notifications n = notifications(clock, Backoff.defaults());
    Webhook w = n.webhooks().add(ADMIN, r.url("/hook"), null, WebhookFormat.GENERIC, WebhookEvent.parseList(null));
    assertEquals(0, n.notifier().tick()); // first tick sets the watermark: history before it is not replayed

    clock.advance(Duration.ofSeconds(5));
    String runId = failRun(clock, "tracker01", "no telemetry in the last 14 days");
    clock.advance(Duration.ofSeconds(5));
    assertEquals(1, n.notifier().tick());
    clock.advance(Duration.ofSeconds(5));
    assertEquals(0, n.notifier().tick(), "the overlap window finds the run again but enqueues it once");
    assertEquals(1, n.worker().drainDue());

    assertEquals(1, r.bodies.size());
    JsonNode body = Json.MAPPER.readTree(r.bodies.get(0));
    assertEquals("run_failed", body.get("event").asText());
    assertEquals("tracker01", body.get("device_id").asText());
    assertEquals(runId, body.get("run_id").asText());
    assertEquals("failed", body.get("status").asText());
    assertEquals("no telemetry in the last 14 days", body.get("message").asText());
    assertEquals("2026-11-22T10:00:05Z", body.get("at").asText());
    Document d = n.deliveries().list(w.id(), 10).get(0);
    assertEquals(WebhookDeliveries.DELIVERED, d.getString("status"));
    assertEquals(1, d.getInteger("attempts"));
  }

  @Test
  void finished_deliveries_past_the_retention_are_purged_and_pending_ones_and_recent_ones_stay() throws Exception {
    Receiver ok = receiver(Receiver.answering(200));
    Notifications n = notifications(clock, Backoff.defaults());
    n.webhooks().add(ADMIN, ok.url("/hook"), null, WebhookFormat.GENERIC, WebhookEvent.parseList(null));
    n.notifier().tick();
    clock.advance(Duration.ofSeconds(1));
    failRun(clock, "tracker01", "old failure");
    clock.advance(Duration.ofSeconds(1));
    assertEquals(1, n.notifier().tick());
    assertEquals(1, n.worker().drainDue()); // delivered
    Receiver dead = receiver(Receiver.answering(500));
    n.webhooks().add(ADMIN, dead.url("/down"), null, WebhookFormat.GENERIC, WebhookEvent.parseList(null));
    clock.advance(Duration.ofSeconds(1));
    failRun(clock, "tracker02", "old failure, receiver down");
    clock.advance(Duration.ofSeconds(1));
    assertEquals(2, n.notifier().tick());
    n.worker().drainDue(); // one delivered, one pending again after its first failure
    long pendingBefore = n.deliveries().list(null, 100).stream()
        .filter(d -> WebhookDeliveries.PENDING.equals(d.getString("status"))).count();
    assertEquals(1, pendingBefore);

    clock.advance(WebhookDeliveries.RETENTION.plusHours(2)); // past the retention and the hourly purge
    failRun(clock, "tracker03", "recent failure");
    clock.advance(Duration.ofSeconds(1));
    n.notifier().tick();
    List<Document> left = n.deliveries().list(null, 100);
    assertEquals(3, left.size(), "two delivered old ones purged; the old pending one and the two new ones stay: "
        + left);
    assertEquals(1, left.stream().filter(d -> "tracker02".equals(d.getString("device_id"))).count());
    assertTrue(left.stream().filter(d -> "tracker02".equals(d.getString("device_id")))
        .allMatch(d -> WebhookDeliveries.PENDING.equals(d.getString("status"))));
    assertEquals(2, left.stream().filter(d -> "tracker03".equals(d.getString("device_id"))).count());
    assertEquals(0, n.notifier().tick(), "a purged event is never sent again: the scan starts at the watermark");
  }

  @Test
  void a_promotion_produces_one_delivery_and_a_kept_champion_none() throws Exception {
    Receiver r = receiver(Receiver.answering(204));
    Notifications n = notifications(clock, Backoff.defaults());
    n.webhooks().add(ADMIN, r.url("/hook"), "tracker02", WebhookFormat.GENERIC,
        EnumSet.of(WebhookEvent.RUN_PROMOTED, WebhookEvent.RUN_FAILED));
    n.notifier().tick();
    clock.advance(Duration.ofSeconds(1));
    String promoted = completeRun(clock, "tracker02", true, "v0003");
    completeRun(clock, "tracker02", false, "v0004");
    failRun(clock, "tracker01", "other device: not this webhook's");
    clock.advance(Duration.ofSeconds(1));
    assertEquals(1, n.notifier().tick());
    n.worker().drainDue();

    assertEquals(1, r.bodies.size());
    JsonNode body = Json.MAPPER.readTree(r.bodies.get(0));
    assertEquals("run_promoted", body.get("event").asText());
    assertEquals(promoted, body.get("run_id").asText());
    assertEquals("v0003", body.get("version").asText());
    assertEquals("MAE 41.0 W < 55.2 W", body.get("decision").asText());
  }

  @Test
  void alerts_raised_and_resolved_and_an_open_circuit_are_notified() throws Exception {
    Receiver r = receiver(Receiver.answering(200));
    Notifications n = notifications(clock, Backoff.defaults());
    n.webhooks().add(ADMIN, r.url("/hook"), null, WebhookFormat.GENERIC,
        EnumSet.of(WebhookEvent.ALERT_RAISED, WebhookEvent.ALERT_RESOLVED, WebhookEvent.CIRCUIT_OPENED));
    n.notifier().tick();
    AlertService alerts = new AlertService(store, clock);
    clock.advance(Duration.ofSeconds(1));
    Document low = alerts.raiseAlert(AlertTypes.LOW_ACCURACY, "tracker01", "low:tracker01", "MAE 90 W", Map.of());
    alerts.raiseAlert(AlertTypes.CIRCUIT_OPEN, "tracker03", "circuit:tracker03", "3 failures in a row", Map.of());
    clock.advance(Duration.ofSeconds(1));
    assertEquals(2, n.notifier().tick());
    clock.advance(Duration.ofSeconds(1));
    alerts.resolve(low.getString("alert_id"), "ada", "retrained");
    clock.advance(Duration.ofSeconds(1));
    assertEquals(1, n.notifier().tick());
    n.worker().drainDue();

    List<String> events = new ArrayList<>();
    for (String b : r.bodies) {
      JsonNode j = Json.MAPPER.readTree(b);
      events.add(j.get("event").asText() + "@" + j.get("device_id").asText());
    }
    assertEquals(List.of("alert_raised@tracker01", "circuit_opened@tracker03", "alert_resolved@tracker01"), events);
  }

  @Test
  void slack_and_teams_receive_their_own_payload_shapes() throws Exception {
    Receiver slack = receiver(Receiver.answering(200));
    Receiver teams = receiver(Receiver.answering(200));
    Notifications n = notifications(clock, Backoff.defaults());
    n.webhooks().add(ADMIN, slack.url("/services/T0/B0/x"), null, WebhookFormat.SLACK, EnumSet.allOf(WebhookEvent.class));
    n.webhooks().add(ADMIN, teams.url("/webhookb2/abc"), null, WebhookFormat.TEAMS, EnumSet.allOf(WebhookEvent.class));
    n.notifier().tick();
    clock.advance(Duration.ofSeconds(1));
    String runId = failRun(clock, "tracker01", "trainer ran out of memory");
    clock.advance(Duration.ofSeconds(1));
    assertEquals(2, n.notifier().tick());
    n.worker().drainDue();

    JsonNode s = Json.MAPPER.readTree(slack.bodies.get(0));
    assertEquals(List.of("text"), fieldNames(s));
    assertEquals("Retrain run failed on tracker01 (run " + runId + "): trainer ran out of memory", s.get("text").asText());
    JsonNode t = Json.MAPPER.readTree(teams.bodies.get(0));
    assertEquals("MessageCard", t.get("@type").asText());
    assertEquals("http://schema.org/extensions", t.get("@context").asText());
    assertEquals("Retrain run failed on tracker01", t.get("summary").asText());
    assertTrue(t.get("text").asText().contains("trainer ran out of memory"), t.toString());
  }

  @Test
  void a_receiver_failing_twice_gets_the_delivery_on_the_third_attempt_after_backoff() throws Exception {
    Receiver r = receiver(new Receiver(call -> call <= 2 ? 500 : 200));
    Notifications n = notifications(clock, Backoff.defaults());
    Webhook w = n.webhooks().add(ADMIN, r.url("/hook"), null, WebhookFormat.GENERIC, EnumSet.allOf(WebhookEvent.class));
    n.notifier().tick();
    clock.advance(Duration.ofSeconds(1));
    failRun(clock, "tracker01", "boom");
    clock.advance(Duration.ofSeconds(1));
    n.notifier().tick();

    assertEquals(1, n.worker().drainDue());
    Document d = n.deliveries().list(w.id(), 1).get(0);
    assertEquals(WebhookDeliveries.PENDING, d.getString("status"));
    assertEquals(500, d.getInteger("last_http_status"));
    assertEquals(clock.instant().plusSeconds(10), d.getDate("next_attempt_at").toInstant());
    clock.advance(Duration.ofSeconds(9));
    assertEquals(0, n.worker().drainDue(), "not due before the first backoff (10 s)");
    clock.advance(Duration.ofSeconds(1));
    assertEquals(1, n.worker().drainDue());
    clock.advance(Duration.ofSeconds(29));
    assertEquals(0, n.worker().drainDue(), "not due before the second backoff (30 s)");
    clock.advance(Duration.ofSeconds(1));
    assertEquals(1, n.worker().drainDue());

    d = n.deliveries().list(w.id(), 1).get(0);
    assertEquals(WebhookDeliveries.DELIVERED, d.getString("status"));
    assertEquals(3, d.getInteger("attempts"));
    assertEquals(3, r.calls.get());
    assertEquals(r.bodies.get(0), r.bodies.get(2), "every attempt sends the same payload");
  }

  @Test
  void a_dead_receiver_fails_after_max_attempts_and_a_hung_one_never_blocks_the_tick() throws Exception {
    Clock real = Clock.systemUTC();
    Receiver hung = receiver(Receiver.answering(200));
    CountDownLatch release = new CountDownLatch(1);
    hung.holdAnswers(release);
    Notifications n = notifications(real, FAST);
    Webhook slow = n.webhooks().add(ADMIN, hung.url("/slow"), null, WebhookFormat.GENERIC,
        EnumSet.of(WebhookEvent.RUN_FAILED));
    Webhook dead = n.webhooks().add(ADMIN, Receiver.deadUrl("/dead"), null, WebhookFormat.GENERIC,
        EnumSet.of(WebhookEvent.RUN_FAILED));
    n.notifier().tick();
    n.start();
    failRun(real, "tracker01", "first");
    waitUntil(() -> n.notifier().tick() == 2);
    waitUntil(() -> hung.inFlight.get() == 1); // the worker is stuck inside the hung receiver

    failRun(real, "tracker02", "second");
    int enqueued = 0;
    for (int i = 0; i < 100 && enqueued == 0; i++) { // the new run may share the watermark's millisecond
      enqueued = n.notifier().tick();
    }
    assertEquals(2, enqueued);
    assertEquals(1, hung.inFlight.get(), "tick returned while the delivery worker was still waiting on HTTP");
    release.countDown();

    waitUntil(() -> n.deliveries().list(dead.id(), 10).stream()
        .allMatch(d -> WebhookDeliveries.FAILED.equals(d.getString("status"))));
    for (Document d : n.deliveries().list(dead.id(), 10)) {
      assertEquals(5, d.getInteger("attempts"));
      assertNull(d.getInteger("last_http_status"));
      assertTrue(d.getString("last_error").contains("ConnectException"), d.getString("last_error"));
    }
    waitUntil(() -> n.deliveries().list(slow.id(), 10).stream()
        .allMatch(d -> WebhookDeliveries.DELIVERED.equals(d.getString("status"))));
  }

  @Test
  void the_secret_path_of_a_webhook_url_never_reaches_the_log() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger("com.retrainconsole.notify");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    Level before = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    logger.addAppender(appender);
    try {
      Receiver failing = receiver(Receiver.answering(500));
      Receiver ok = receiver(Receiver.answering(200));
      Notifications n = notifications(clock, new Backoff(List.of(Duration.ofSeconds(1)), 2));
      n.webhooks().add(ADMIN, failing.url("/services/T0/B0/SECRETxyz?token=QSECRET"), null, WebhookFormat.SLACK,
          EnumSet.allOf(WebhookEvent.class));
      n.webhooks().add(ADMIN, ok.url("/webhookb2/SECRETxyz"), null, WebhookFormat.TEAMS,
          EnumSet.allOf(WebhookEvent.class));
      n.webhooks().add(ADMIN, Receiver.deadUrl("/SECRETxyz"), null, WebhookFormat.GENERIC,
          EnumSet.allOf(WebhookEvent.class));
      n.notifier().tick();
      clock.advance(Duration.ofSeconds(1));
      failRun(clock, "tracker01", "boom");
      clock.advance(Duration.ofSeconds(1));
      n.notifier().tick();
      n.worker().drainDue();
      clock.advance(Duration.ofSeconds(2));
      n.worker().drainDue();

      assertTrue(appender.list.size() >= 5, "delivered, retried and failed attempts are logged: " + appender.list);
      for (ILoggingEvent e : appender.list) {
        String line = e.getFormattedMessage();
        assertFalse(line.contains("SECRET"), line);
        assertTrue(line.contains("http://127.0.0.1:"), "the log names the receiver's host: " + line);
      }
      for (Webhook w : n.webhooks().list()) {
        assertFalse(w.redactedUrl().contains("SECRET"), w.redactedUrl());
      }
    } finally {
      logger.detachAppender(appender);
      logger.setLevel(before);
    }
  }

  @Test
  void only_an_admin_adds_or_removes_webhooks_and_urls_are_checked() {
    Notifications n = notifications(clock, Backoff.defaults());
    Actor operator = new Actor("otto", Role.OPERATOR);
    assertThrows(AccessDeniedException.class, () -> n.webhooks().add(operator, "http://example.org/x", null,
        WebhookFormat.GENERIC, EnumSet.allOf(WebhookEvent.class)));
    Webhook w = n.webhooks().add(ADMIN, "https://example.org/x", null, WebhookFormat.GENERIC,
        EnumSet.allOf(WebhookEvent.class));
    assertThrows(AccessDeniedException.class, () -> n.webhooks().remove(operator, w.id()));
    com.retrainconsole.common.UserException bad = assertThrows(com.retrainconsole.common.UserException.class,
        () -> n.webhooks().add(ADMIN, "ftp://example.org/SECRET", null, WebhookFormat.GENERIC,
            EnumSet.allOf(WebhookEvent.class)));
    assertFalse(bad.getMessage().contains("SECRET"), bad.getMessage());
    assertTrue(n.webhooks().remove(ADMIN, w.id()));
    assertTrue(n.webhooks().list().isEmpty());
  }

  @Test
  void redaction_keeps_scheme_host_and_port_only() {
    assertEquals("https://hooks.slack.com/…", RedactedUrl.of("https://hooks.slack.com/services/T0/B0/XXXX"));
    assertEquals("http://127.0.0.1:8080/…", RedactedUrl.of("http://user:pw@127.0.0.1:8080/?key=abc"));
    assertEquals("https://example.org/", RedactedUrl.of("https://example.org"));
    assertEquals("<invalid url>", RedactedUrl.of("not a url with SECRET"));
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  static void waitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 20 s");
      }
      Thread.sleep(10);
    }
  }
}
