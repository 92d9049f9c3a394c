package com.retrainconsole.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.retrainconsole.common.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The API under hostile clients, over real sockets: slow and silent connections, a full queue, malformed
 * requests, file errors that must not show server paths, and JSON bodies that name a key twice.
 */
class ApiHardeningTest extends ApiTestBase {
  static final Duration HEADER_TIMEOUT = Duration.ofSeconds(3);
  static final Duration BODY_TIMEOUT = Duration.ofSeconds(3);
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(4);

  /** A raw HTTP/1.1 answer: status line, headers and body as sent. */
  record Raw(int status, String head, String body) {
    JsonNode json() throws IOException {
      return Json.MAPPER.readTree(body);
    }

    String header(String name) {
      for (String line : head.split("\r\n")) {
        int i = line.indexOf(':');
        if (i > 0 && line.substring(0, i).trim().equalsIgnoreCase(name)) {
          return line.substring(i + 1).trim();
        }
      }
      return null;
    }
  }

  /** Sends raw bytes on a fresh connection and reads one answer (by its Content-Length), 10 s at most. */
  static Raw raw(int port, String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      return readAnswer(s.getInputStream());
    }
  }

  static Raw readAnswer(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed before a complete answer: " + head);
      }
      head.write(b);
    }
    String h = head.toString(StandardCharsets.ISO_8859_1);
    int status = Integer.parseInt(h.substring(9, 12));
    Raw partial = new Raw(status, h, "");
    String len = partial.header("Content-Length");
    byte[] body = len == null ? in.readAllBytes() : in.readNBytes(Integer.parseInt(len));
    return new Raw(status, h, new String(body, StandardCharsets.UTF_8));
  }

  /** The project's error shape, never an HTML page. */
  static JsonNode assertJsonError(Raw r, int status, String error) throws IOException {
    assertEquals(status, r.status(), r.head() + r.body());
    assertTrue(r.header("Content-Type").startsWith("application/json"), r.head());
    assertFalse(r.body().toLowerCase(Locale.ROOT).contains("<h1") || r.body().toLowerCase(Locale.ROOT)
        .contains("<html"), r.body());
    JsonNode j = r.json();
    assertEquals(status, j.get("status").asInt(), r.body());
    assertEquals(error, j.get("error").asText(), r.body());
    assertFalse(j.get("message").asText().isBlank(), r.body());
    assertEquals(16, j.get("correlation_id").asText().length(), r.body());
    assertEquals(j.get("correlation_id").asText(), r.header("X-Correlation-Id"), r.head());
    return j;
  }

  // ---- slow clients

  /** How one slow connection ended: when (ms after it opened, and on the nano clock) and what it was sent. */
  record Ended(long afterMs, long closedAtNanos, String received) {}

  @Test
  void sixteen_slow_clients_leave_health_answering_and_are_closed_after_their_timeouts() throws Exception {
    ApiServer s = startServer(ApiServer.Config.defaults().withPort(0)
        .withTimeouts(HEADER_TIMEOUT, BODY_TIMEOUT, IDLE_TIMEOUT));
    ExecutorService pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "slow-client");
      t.setDaemon(true);
      return t;
    });
    List<CompletableFuture<Ended>> headers = new ArrayList<>();
    List<CompletableFuture<Ended>> bodies = new ArrayList<>();
    List<CompletableFuture<Ended>> silent = new ArrayList<>();
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        // a header sent a byte every 200 ms: the idle timeout alone would never fire
        headers.add(slowClient(s.port(), pool, sockets, "GET /health HTTP/1.1\r\nHost: x\r\n",
            "X-Slow: " + "a".repeat(200) + "\r\n"));
        // a complete header, then a 1000-byte body sent a byte every 200 ms
        bodies.add(slowClient(s.port(), pool, sockets, "POST /api/retrain HTTP/1.1\r\nHost: x\r\nAuthorization: "
            + "Bearer " + operatorToken + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
            + "{\"device_id\":\"", "x".repeat(900)));
        // connected, never sends a byte
        silent.add(slowClient(s.port(), pool, sockets, "", ""));
      }
      assertEquals(18, sockets.size());

      // while all 18 hang, health answers every time, each within the 5 s deadline of its socket
      List<Long> millis = new ArrayList<>();
      long healthDone = 0;
      for (int i = 0; i < 9; i++) {
        long t0 = System.nanoTime();
        Raw r;
        try (Socket h = new Socket("127.0.0.1", s.port())) {
          h.setSoTimeout(5_000);
          h.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.ISO_8859_1));
          r = readAnswer(h.getInputStream());
        }
        millis.add((System.nanoTime() - t0) / 1_000);
        healthDone = System.nanoTime();
        assertEquals(200, r.status(), r.body());
        assertEquals("ok", r.json().get("status").asText());
      }
      millis.sort(null);
      System.out.println("health with 18 slow clients hanging: median " + millis.get(millis.size() / 2) / 1000.0
          + " ms, max " + millis.get(millis.size() - 1) / 1000.0 + " ms over " + millis.size() + " tries");

      for (CompletableFuture<Ended> f : headers) {
        Ended e = f.get(20, TimeUnit.SECONDS);
        assertEquals("", e.received(), "a half-sent header is closed without an answer");
        assertClosedAfter(e, HEADER_TIMEOUT, healthDone);
      }
      for (CompletableFuture<Ended> f : bodies) {
        Ended e = f.get(20, TimeUnit.SECONDS);
        Raw r = readAnswer(new java.io.ByteArrayInputStream(e.received().getBytes(StandardCharsets.ISO_8859_1)));
        assertJsonError(r, 408, "request_timeout");
        assertClosedAfter(e, BODY_TIMEOUT, healthDone);
      }
      for (CompletableFuture<Ended> f : silent) {
        Ended e = f.get(20, TimeUnit.SECONDS);
        assertEquals("", e.received());
        assertClosedAfter(e, IDLE_TIMEOUT, healthDone);
      }
      assertEquals(0, queued(), "no slow body was taken for a request");
    } finally {
      for (Socket so : sockets) {
        so.close();
      }
      pool.shutdownNow();
      s.stop();
    }
  }

  /**
   * Opens a connection, sends {@code first}, then {@code trickle} a byte every 200 ms; completes when the
   * server closes the connection (with what it sent), 15 s at most.
   */
  private CompletableFuture<Ended> slowClient(int port, ExecutorService pool, List<Socket> sockets, String first,
      String trickle) throws IOException {
    Socket so = new Socket("127.0.0.1", port);
    sockets.add(so);
    long t0 = System.nanoTime();
    OutputStream out = so.getOutputStream();
    out.write(first.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    pool.execute(() -> {
      long stop = t0 + TimeUnit.SECONDS.toNanos(15);
      for (int i = 0; i < trickle.length() && System.nanoTime() < stop; i++) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200)); // the client's own pace, not a wait for us
        try {
          out.write(trickle.charAt(i));
          out.flush();
        } catch (IOException e) {
          return; // closed by the server
        }
      }
    });
    return CompletableFuture.supplyAsync(() -> {
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      try {
        so.setSoTimeout(15_000);
        InputStream in = so.getInputStream();
        byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) >= 0; ) {
          got.write(buf, 0, n);
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("still open 15 s after it was opened; got: " + got, e);
      } catch (SocketException e) {
        // reset by the server: closed too
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      long now = System.nanoTime();
      return new Ended((now - t0) / 1_000_000, now, got.toString(StandardCharsets.ISO_8859_1));
    }, pool);
  }

  private static void assertClosedAfter(Ended e, Duration timeout, long healthDoneNanos) {
    // not before its timeout (minus scheduling slack), and well after health had answered every time
    assertTrue(e.afterMs() >= timeout.toMillis() - 300, "closed after " + e.afterMs() + " ms, timeout " + timeout);
    assertTrue(e.afterMs() <= timeout.toMillis() + 5_000, "closed only after " + e.afterMs() + " ms");
    assertTrue(healthDoneNanos < e.closedAtNanos(), "health was checked while the slow clients still hung");
  }

  @Test
  void a_full_queue_is_refused_at_once_with_503_retry_after_in_the_error_shape() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ApiServer s = ctx.apiServer(ApiServer.Config.defaults().withPort(0).withThreads(1, 1), () -> {
      entered.countDown();
      try {
        release.await(20, TimeUnit.SECONDS); // holds the only worker inside /health
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "busy";
    }, () -> Double.NaN);
    s.start();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      String health = "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
      CompletableFuture<Raw> busy = CompletableFuture.supplyAsync(() -> rawUnchecked(s.port(), health), pool);
      assertTrue(entered.await(10, TimeUnit.SECONDS), "the first request reached the worker");
      // one more may wait in the queue; of three more at least two find it full
      List<CompletableFuture<Raw>> more = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        more.add(CompletableFuture.supplyAsync(() -> rawUnchecked(s.port(), health), pool));
      }
      int refused = 0;
      for (CompletableFuture<Raw> f : more) {
        if (f.isDone() || refusedWithin(f)) {
          Raw r = f.get();
          if (r.status() == 503) {
            JsonNode j = assertJsonError(r, 503, "unavailable");
            assertTrue(j.get("message").asText().contains("busy"), r.body());
            assertEquals("1", r.header("Retry-After"), r.head());
            refused++;
          }
        }
      }
      assertTrue(refused >= 2, "refused " + refused);
      release.countDown();
      assertEquals(200, busy.get(10, TimeUnit.SECONDS).status());
      for (CompletableFuture<Raw> f : more) {
        assertTrue(List.of(200, 503).contains(f.get(10, TimeUnit.SECONDS).status()));
      }
    } finally {
      release.countDown();
      pool.shutdownNow();
      s.stop();
    }
  }

  @Test
  void an_answer_that_takes_longer_than_the_idle_timeout_is_still_delivered() throws Exception {
    // the timeouts are for clients that send slowly, not for the server's own work
    ApiServer s = ctx.apiServer(ApiServer.Config.defaults().withPort(0).withTimeouts(Duration.ofSeconds(1),
        Duration.ofSeconds(1), Duration.ofSeconds(1)), () -> {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2_500)); // the slow work under test
          return "slow";
        }, () -> Double.NaN);
    s.start();
    try {
      Raw r = raw(s.port(), "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals(200, r.status(), r.body());
      assertEquals("slow", r.json().get("scheduler").asText());
    } finally {
      s.stop();
    }
  }

  private static boolean refusedWithin(CompletableFuture<Raw> f) {
    try {
      f.get(5, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false; // the one that waits in the queue
    }
  }

  private static Raw rawUnchecked(int port, String request) {
    try {
      return raw(port, request);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // ---- malformed requests

  @Test
  void malformed_requests_get_400_in_the_json_error_shape_never_an_html_page() throws Exception {
    int port = server.port();
    String auth = "Authorization: Bearer " + adminToken + "\r\n";
    for (String cl : List.of("abc", "-5", "1e3", "12 34")) {
      Raw r = raw(port, "POST /api/retrain HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: " + cl
          + "\r\n\r\n{}");
      assertJsonError(r, 400, "bad_request");
    }
    assertJsonError(raw(port, "GET /api/runs/%ZZ HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n"), 400, "bad_request");
    JsonNode q = assertJsonError(raw(port, "GET /api/runs?status=%G1 HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n"),
        400, "invalid_query");
    assertTrue(q.get("message").asText().contains("percent-escape"), q.toString());
    assertJsonError(raw(port, "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n"),
        431, "headers_too_large");
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 2_000; i++) {
      many.append("X-H").append(i).append(": v\r\n");
    }
    assertJsonError(raw(port, "GET /health HTTP/1.1\r\nHost: x\r\n" + many + "\r\n"), 431, "headers_too_large");
    assertJsonError(raw(port, "GET /api/runs?x=" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414,
        "uri_too_long");
    assertJsonError(raw(port, "HELLO\r\n\r\n"), 400, "bad_request");
    // a chunked body has no declared length: it is cut at the limit all the same
    String chunk = "x".repeat(70 * 1024);
    assertJsonError(raw(port, "POST /api/retrain HTTP/1.1\r\nHost: x\r\n" + auth + "Transfer-Encoding: chunked\r\n"
        + "\r\n" + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n"), 413, "payload_too_large");
    // an unknown method on a known path: 405 naming what is allowed
    Raw m = raw(port, "BREW /api/retrain HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n");
    assertJsonError(m, 405, "method_not_allowed");
    assertEquals("POST", m.header("Allow"));
    assertEquals(0, queued());
  }

  // ---- no server paths in errors

  @Test
  void file_errors_name_the_file_but_never_a_server_folder() throws Exception {
    Path modelFile = ctx.registry().modelFile("t1", v2.version());
    Files.delete(modelFile);
    Res promote = call("POST", "/api/models/t1/promote", adminToken, "{\"version\":\"" + v2.version()
        + "\",\"reason\":\"lower MAE\"}");
    assertError(promote, 400, "is missing");
    assertNoServerPath(promote.raw().body());
    assertTrue(promote.json().get("message").asText().contains(modelFile.getFileName().toString()),
        promote.json().toString());

    Path pointer = ctx.registry().pointerFile("t1");
    Files.writeString(pointer, "{not json");
    Res current = call("GET", "/api/models/t1/current", analystToken, null);
    assertError(current, 400, "is not valid JSON");
    assertNoServerPath(current.raw().body());
    assertTrue(current.json().get("message").asText().contains(pointer.getFileName().toString()),
        current.json().toString());
  }

  private void assertNoServerPath(String body) throws IOException {
    for (String p : List.of(dir.toString(), dir.toRealPath().toString(), dir.getParent().toString(),
        System.getProperty("user.home"), System.getProperty("java.io.tmpdir"))) {
      assertFalse(body.contains(p), "'" + p + "' in " + body);
    }
    assertFalse(body.contains(dir.getFileName().toString()), "the test's temp folder name in " + body);
  }

  @Test
  void absolute_paths_are_cut_to_their_name_and_the_api_own_paths_are_kept() {
    assertEquals("Cannot read model file x.model (denied)",
        PathRedaction.redact("Cannot read model file /home/ada/.local/share/rc/models/t1/x.model (denied)"));
    assertEquals("Pointer file 'pointer.json' is bad.", PathRedaction.redact("Pointer file '/tmp/j1/m/t1/pointer.json'"
        + " is bad."));
    assertEquals("in models: gone", PathRedaction.redact("in C:\\Users\\ada\\AppData\\rc\\models: gone"));
    assertEquals("see file:x.db", PathRedaction.redact("see file:///var/lib/rc/x.db"));
    assertEquals("no such endpoint: /api/runs/x/logs", PathRedaction.redact("no such endpoint: /api/runs/x/logs"));
    assertEquals("1.5 km/h and a/b and */5", PathRedaction.redact("1.5 km/h and a/b and */5"));
    assertNull(PathRedaction.redact(null));
  }

  // ---- duplicate keys

  @Test
  void a_body_naming_a_key_twice_is_refused_naming_the_key_and_nothing_changes() throws Exception {
    Res retrain = call("POST", "/api/retrain", operatorToken, "{\"device_id\":\"t1\",\"days\":7,\"days\":3650}");
    assertError(retrain, 400, "days: given more than once");
    assertEquals("invalid_days", retrain.json().get("error").asText());
    assertEquals(0, queued());

    Res device = call("POST", "/api/devices", adminToken, "{\"device_id\":\"d1\",\"device_id\":\"d2\"}");
    assertError(device, 400, "device_id: given more than once");
    assertTrue(ctx.devices().find("d1").isEmpty() && ctx.devices().find("d2").isEmpty());

    Res trigger = call("POST", "/api/triggers", adminToken, "{\"device_id\":\"t1\",\"type\":\"cron\",\"spec\":"
        + "{\"cron\":\"30 2 * * *\",\"cron\":\"* * * * *\"}}");
    assertError(trigger, 400, "spec.cron: given more than once");
    assertEquals("invalid_spec.cron", trigger.json().get("error").asText());
    assertEquals(0, ctx.triggers().list(null).size());
  }
}
