package com.retrainconsole.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

/** A real HTTP receiver on 127.0.0.1: records each body and answers with {@code statusForCall(n)}. */
final class Receiver implements AutoCloseable {
  final List<String> bodies = new CopyOnWriteArrayList<>();
  final List<String> paths = new CopyOnWriteArrayList<>();
  final AtomicInteger calls = new AtomicInteger();
  final AtomicInteger inFlight = new AtomicInteger();
  private final HttpServer server;
  private volatile CountDownLatch hold; // when set, each call waits on it before answering

  Receiver(IntUnaryOperator statusForCall) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      inFlight.incrementAndGet();
      try {
        int n = calls.incrementAndGet();
        bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        paths.add(ex.getRequestURI().getPath());
        CountDownLatch h = hold;
        if (h != null) {
          h.await(20, TimeUnit.SECONDS);
        }
        ex.sendResponseHeaders(statusForCall.applyAsInt(n), -1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        ex.close();
        inFlight.decrementAndGet();
      }
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  static Receiver answering(int status) throws IOException {
    return new Receiver(n -> status);
  }

  void holdAnswers(CountDownLatch latch) {
    hold = latch;
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** A URL nobody listens on: a receiver started and stopped. */
  static String deadUrl(String path) throws IOException {
    Receiver r = answering(200);
    String url = r.url(path);
    r.close();
    return url;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
