package com.retrainconsole.api;

import com.retrainconsole.access.Actor;
import com.retrainconsole.access.Role;
import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.app.AppContext;
import com.retrainconsole.store.Store;
import com.retrainconsole.telemetry.DeviceConfig;
import com.retrainconsole.ui.RunsViewBench;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Read load on the management API: N clients (default 50) each looping GET /api/runs?limit=50 (one call in
 * four filtered by device_id) with an analyst token, over an in-memory store holding ~2,000 runs, for a
 * duration (default 30 s). Prints requests, errors (non-200 or I/O failures), throughput and latency
 * percentiles. Args: [seconds] [clients] [runs] [server threads].
 */
public final class ApiLoadBench {
  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
    ApiServer.Config config = ApiServer.Config.defaults().withPort(0);
    if (args.length > 3) {
      int threads = Integer.parseInt(args[3]);
      config = config.withThreads(threads, config.queue());
    }
    Path dir = Files.createTempDirectory("api-bench");
    try (AppContext ctx = AppContext.open(new AppConfig(null, dir, dir.resolve("models")), Store.openInMemory(),
        Clock.systemUTC())) {
      RunsViewBench.DEVICES.forEach(d -> ctx.devices().upsert(DeviceConfig.of(d)));
      RunsViewBench.generate(ctx.store(), runs, Instant.now(), 42);
      ApiTokens tokens = new ApiTokens(ctx.store(), ctx.clock());
      String token = tokens.create(new Actor("ada", Role.ADMIN), "dashboard", Role.ANALYST).token();
      ApiServer server = ctx.apiServer(config, () -> "stopped", () -> Double.NaN);
      server.start();
      try {
        run(server.port(), token, seconds, clients, runs, config.threads());
      } finally {
        server.stop();
      }
    }
  }

  private static void run(int port, String token, int seconds, int clients, int runs, int serverThreads)
      throws Exception {
    // one shared client like a dashboard process would hold; its connection pool serves all workers
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String base = "http://127.0.0.1:" + port + "/api/runs?limit=50";
    // warm-up: JIT and connection pool, not counted
    for (int i = 0; i < 50; i++) {
      http.send(request(base, token), HttpResponse.BodyHandlers.ofString());
    }
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    AtomicLong errors = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    List<String> firstErrors = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<long[]>> results = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      final int seed = c;
      results.add(pool.submit(() -> {
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] lat = new long[1024];
        int n = 0;
        while (System.nanoTime() < end) {
          String uri = rnd.nextInt(4) == 0
              ? base + "&device_id=" + RunsViewBench.DEVICES.get(rnd.nextInt(RunsViewBench.DEVICES.size()))
              : base;
          long s = System.nanoTime();
          try {
            HttpResponse<String> r = http.send(request(uri, token), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
              errors.incrementAndGet();
              if (firstErrors.size() < 5) {
                firstErrors.add(r.statusCode() + " " + r.body());
              }
            }
            bytes.addAndGet(r.body().length());
          } catch (Exception e) {
            errors.incrementAndGet();
            if (firstErrors.size() < 5) {
              firstErrors.add(e.toString());
            }
          }
          if (n == lat.length) {
            lat = Arrays.copyOf(lat, n * 2);
          }
          lat[n++] = System.nanoTime() - s;
        }
        return Arrays.copyOf(lat, n);
      }));
    }
    List<long[]> parts = new ArrayList<>();
    for (Future<long[]> f : results) {
      parts.add(f.get());
    }
    double elapsed = (System.nanoTime() - t0) / 1e9;
    pool.shutdown();
    long[] all = parts.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    System.out.printf("ApiLoadBench: %d runs in store, %d clients, %d server threads, %.1f s, GET /api/runs?limit=50"
        + " (1 in 4 with &device_id=)%n", runs, clients, serverThreads, elapsed);
    System.out.printf("requests %d, errors %d (non-200 or I/O), throughput %.0f req/s, %.1f MB/s%n", all.length,
        errors.get(), all.length / elapsed, bytes.get() / elapsed / 1e6);
    System.out.printf("latency ms: p50 %.1f  p95 %.1f  p99 %.1f  max %.1f%n", pct(all, 0.50), pct(all, 0.95),
        pct(all, 0.99), all.length == 0 ? 0 : all[all.length - 1] / 1e6);
    firstErrors.forEach(e -> System.out.println("  error: " + e));
  }

  private static HttpRequest request(String uri, String token) {
    return HttpRequest.newBuilder(URI.create(uri)).header("Authorization", "Bearer " + token)
        .timeout(Duration.ofSeconds(30)).GET().build();
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
  }
}
