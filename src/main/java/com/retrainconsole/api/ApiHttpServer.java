package com.retrainconsole.api;

import com.retrainconsole.common.Json;
import com.retrainconsole.common.UserException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's HTTP layer on Jetty's core server (no servlets).
 *
 * <p>decision: not the JDK's com.sun.net.httpserver. It reads request headers and bodies with blocking reads
 * on the worker threads (four clients sending headers a byte at a time held all four workers; its
 * {@code maxReqTime} closes queued good requests along with the slow ones), and it answers a malformed
 * request (bad Content-Length, bad %-escape) with its own HTML page before any handler runs. Jetty reads
 * headers and bodies without holding a thread, and routes its own refusals through {@link JsonErrors}.
 *
 * <p>So a request reaches a worker only once it is complete: a header still arriving {@code headerTimeout}
 * after its first byte closes the connection, a body not complete {@code bodyTimeout} after the header gets
 * 408, a connection silent for {@code idleTimeout} is closed. Workers are a fixed pool with a bounded queue;
 * when the queue is full the request is refused at once with 503 and Retry-After instead of piling up.
 */
final class ApiHttpServer {
  private static final Logger LOG = LoggerFactory.getLogger("api");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] NO_BODY = new byte[0];
  /** Seconds a client refused for a full queue is told to wait. */
  static final int BUSY_RETRY_SECONDS = 1;

  /** What the router answered for one complete request, and who asked (for the log line). */
  record Outcome(ApiServer.Reply reply, String who) {}

  interface Router {
    Outcome route(ApiRequest request, String correlationId);
  }

  private final ApiServer.Config config;
  private final Router router;
  private final AtomicInteger inFlight = new AtomicInteger();
  // a connection's first sighting with a header half-read, by the sweep
  private final Map<EndPoint, Long> headerSince = new ConcurrentHashMap<>();
  private Server server;
  private ServerConnector connector;
  private ThreadPoolExecutor workers;
  private ScheduledThreadPoolExecutor timers;

  ApiHttpServer(ApiServer.Config config, Router router) {
    this.config = config;
    this.router = router;
  }

  void start() {
    QueuedThreadPool io = new QueuedThreadPool(10, 2);
    io.setName("api-io");
    io.setDaemon(true);
    server = new Server(io);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setRequestHeaderSize(config.maxHeaderBytes()); // request line + headers; over it: 431 (414 for the URI)
    connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(config.host());
    connector.setPort(config.port());
    connector.setIdleTimeout(config.idleTimeout().toMillis());
    server.addConnector(connector);
    server.setErrorHandler(new JsonErrors());
    server.setHandler(new Handler.Abstract.NonBlocking() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        new Exchange(request, response, callback).readBody();
        return true;
      }
    });
    server.setStopTimeout(1000);
    AtomicInteger n = new AtomicInteger();
    workers = new ThreadPoolExecutor(config.threads(), config.threads(), 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(config.queue()), r -> {
          Thread t = new Thread(r, "api-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    workers.allowCoreThreadTimeOut(true);
    timers = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "api-deadlines");
      t.setDaemon(true);
      return t;
    });
    timers.setRemoveOnCancelPolicy(true);
    long sweepMs = Math.max(50, Math.min(1000, config.headerTimeout().toMillis() / 4));
    timers.scheduleWithFixedDelay(this::closeSlowHeaders, sweepMs, sweepMs, TimeUnit.MILLISECONDS);
    try {
      server.start();
    } catch (Exception e) {
      stop();
      throw new UserException("cannot serve the API on " + config.host() + ":" + config.port() + " ("
          + e.getMessage() + "); pick another port with --api-port", e);
    }
  }

  int port() {
    return connector.getLocalPort();
  }

  void stop() {
    if (workers != null) {
      // replies being computed are still written: Jetty stops only after them
      workers.shutdown();
      try {
        workers.awaitTermination(inFlight.get() > 0 ? 1 : 0, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("management API did not stop cleanly: {}", e.toString());
    }
    if (timers != null) {
      timers.shutdownNow();
    }
    headerSince.clear();
  }

  /**
   * Closes connections whose request header has been arriving for longer than the header timeout. Jetty's
   * idle timeout alone restarts at every byte, so a byte every few seconds would keep a connection forever.
   */
  private void closeSlowHeaders() {
    try {
      long now = System.nanoTime();
      Set<EndPoint> open = new HashSet<>(connector.getConnectedEndPoints());
      headerSince.keySet().retainAll(open);
      for (EndPoint ep : open) {
        // decision: HttpConnection is in Jetty's internal package, but its parser state is the only place
        // that knows "a header has begun and is not complete"; the field it reads is volatile
        if (ep.getConnection() instanceof HttpConnection c && !c.getParser().isStart()
            && c.getParser().inHeaderState()) {
          long since = headerSince.computeIfAbsent(ep, k -> now);
          if (now - since > config.headerTimeout().toNanos()) {
            headerSince.remove(ep);
            LOG.info("closed a connection from {}: request header incomplete after {} ms",
                ep.getRemoteSocketAddress(), config.headerTimeout().toMillis());
            ep.close();
          }
        } else {
          headerSince.remove(ep);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("header timeout sweep failed: {}", e.toString()); // keep the schedule alive
    }
  }

  static String newCorrelationId() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** One request from its header to its reply. */
  private final class Exchange implements Runnable {
    final Request request;
    final Response response;
    final Callback callback;
    final String cid = newCorrelationId();
    final long t0 = System.nanoTime();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    final AtomicBoolean bodyDone = new AtomicBoolean();
    ScheduledFuture<?> deadline;

    Exchange(Request request, Response response, Callback callback) {
      this.request = request;
      this.response = response;
      this.callback = callback;
    }

    void readBody() {
      if (request.getLength() > config.maxBodyBytes()) {
        dispatch(NO_BODY, true); // declared too large: not read at all
        return;
      }
      long ms = config.bodyTimeout().toMillis();
      deadline = timers.schedule(() -> {
        if (!bodyDone.get()) {
          request.fail(new TimeoutException("body deadline")); // wakes the pending read with this failure
        }
      }, ms, TimeUnit.MILLISECONDS);
      run();
    }

    /** Reads what has arrived; asks to be called again when more does (never blocks a thread). */
    @Override
    public void run() {
      while (true) {
        Content.Chunk chunk = request.read();
        if (chunk == null) {
          request.demand(this);
          return;
        }
        if (Content.Chunk.isFailure(chunk)) {
          bodyEnded();
          bodyFailed(chunk.getFailure());
          return;
        }
        ByteBuffer b = chunk.getByteBuffer();
        boolean last = chunk.isLast();
        if (body.size() + b.remaining() > config.maxBodyBytes()) {
          chunk.release();
          bodyEnded();
          dispatch(NO_BODY, true);
          return;
        }
        byte[] part = new byte[b.remaining()];
        b.get(part);
        body.write(part, 0, part.length);
        chunk.release();
        if (last) {
          bodyEnded();
          dispatch(body.toByteArray(), false);
          return;
        }
      }
    }

    private void bodyEnded() {
      bodyDone.set(true);
      deadline.cancel(false);
    }

    private void bodyFailed(Throwable failure) {
      if (failure instanceof TimeoutException) {
        ApiServer.Reply r = ApiServer.error(408, "request_timeout", "the request body did not arrive within "
            + config.bodyTimeout().toSeconds() + " s; send the whole body at once", cid)
            .withHeader("Connection", "close");
        write(r, "-");
      } else {
        // the client went away mid-body: nobody to answer
        log(-1, "-");
        callback.failed(failure);
      }
    }

    private void dispatch(byte[] bytes, boolean tooLarge) {
      HttpFields headers = request.getHeaders();
      ApiRequest req = new ApiRequest(request.getMethod(), request.getHttpURI().getPath(),
          request.getHttpURI().getQuery(), headers::get, bytes, tooLarge);
      try {
        workers.execute(() -> answer(req));
      } catch (RejectedExecutionException e) {
        write(ApiServer.error(503, "unavailable", "the API is busy (" + config.threads() + " requests running, "
            + config.queue() + " waiting); retry in " + BUSY_RETRY_SECONDS + " s", cid)
            .withHeader("Retry-After", Integer.toString(BUSY_RETRY_SECONDS)), "-");
      }
    }

    private void answer(ApiRequest req) {
      inFlight.incrementAndGet();
      try {
        Outcome o = router.route(req, cid);
        write(o.reply(), o.who());
      } catch (RuntimeException | Error e) {
        LOG.error("{} {} failed [correlation_id={}]", req.method(), req.rawPath(), cid, e);
        log(500, "-");
        callback.failed(e);
      } finally {
        inFlight.decrementAndGet();
      }
    }

    private void write(ApiServer.Reply r, String who) {
      send(response, r, cid, Callback.from(() -> {
        log(r.status(), who);
        callback.succeeded();
      }, x -> {
        log(-1, who); // the client went away
        callback.failed(x);
      }));
    }

    private void log(int status, String who) {
      LOG.info("{} {} {} by {} in {} ms [correlation_id={}]", request.getMethod(), request.getHttpURI().getPath(),
          status, who, (System.nanoTime() - t0) / 1_000_000, cid);
    }
  }

  /** Writes a reply: a JSON body, or text with its own content type (the Prometheus exposition). */
  static void send(Response response, ApiServer.Reply r, String cid, Callback callback) {
    byte[] bytes;
    try {
      bytes = r.contentType() != null ? r.body().toString().getBytes(StandardCharsets.UTF_8)
          : Json.MAPPER.writeValueAsBytes(r.body());
    } catch (IOException e) {
      callback.failed(e);
      return;
    }
    response.setStatus(r.status());
    HttpFields.Mutable h = response.getHeaders();
    h.put(HttpHeader.CONTENT_TYPE, r.contentType() != null ? r.contentType() : "application/json; charset=utf-8");
    h.put("X-Correlation-Id", cid);
    h.put(HttpHeader.CACHE_CONTROL, "no-store"); // answers carry tokens' views of live state
    h.put("X-Content-Type-Options", "nosniff");
    r.headers().forEach(h::put);
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }

  /**
   * Jetty's own refusals (malformed request line or headers, bad Content-Length, bad %-escape in the path,
   * headers over the limit) and failures after a handler gave up, in the API's error shape instead of
   * Jetty's HTML page.
   */
  private final class JsonErrors extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      int status = request.getAttribute(ERROR_STATUS) instanceof Integer i ? i : 500;
      String reason = request.getAttribute(ERROR_MESSAGE) instanceof String s ? s : null;
      String cid = newCorrelationId();
      ApiServer.Reply r = ApiServer.error(status, code(status), message(status, reason, cid), cid);
      LOG.info("{} {} {} refused before routing: {} [correlation_id={}]", request.getMethod(),
          request.getHttpURI() == null ? "-" : request.getHttpURI().getPath(), status, reason, cid);
      send(response, r, cid, callback);
      return true;
    }

    private String code(int status) {
      return switch (status) {
        case 400 -> "bad_request";
        case 408 -> "request_timeout";
        case 413 -> "payload_too_large";
        case 414 -> "uri_too_long";
        case 431 -> "headers_too_large";
        case 500 -> "internal";
        case 503 -> "unavailable";
        default -> "http_" + status;
      };
    }

    private String message(int status, String reason, String cid) {
      return switch (status) {
        case 400 -> "malformed request" + (reason == null || reason.equals("Bad Request") ? "" : ": " + reason)
            + "; check the request line (percent-escapes are %XX with hex digits), the headers and"
            + " Content-Length (a whole number of bytes); nothing was executed";
        case 414 -> "the request URI is longer than " + config.maxHeaderBytes() + " bytes";
        case 431 -> "the request headers are larger than " + config.maxHeaderBytes() + " bytes; send fewer or"
            + " shorter headers";
        case 408 -> "the request did not arrive in time; send it at once";
        case 500 -> "internal error; the server log has the details under correlation id " + cid;
        default -> reason == null ? "HTTP " + status : reason;
      };
    }
  }
}
