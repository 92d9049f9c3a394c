package com.retrainconsole.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;

import java.util.List;
import java.util.concurrent.TimeUnit;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCredential;
import com.mongodb.ServerAddress;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.bson.Document;

/**
 * How long a client takes to open the data folder's store through another process's port file (find the
 * live server, connect, authenticate, ping, ensure the indexes) in a warm JVM and in a fresh one (what every
 * CLI call against a running scheduler pays), and its first read; then what the SCRAM-SHA-256 login alone
 * adds to a new client. On a shared machine, compare builds by alternating runs: the load moves the
 * medians by more than the login costs.
 *
 * <p>Run:
 *
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp "$(cat /tmp/cp.txt):target/classes:target/test-classes" \
 *     com.retrainconsole.store.StoreConnectBenchmark [opens=20]
 * </pre>
 */
public final class StoreConnectBenchmark {
  private StoreConnectBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("--open-once")) {
      openOnce(Path.of(args[1]));
      return;
    }
    int opens = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Path dir = Files.createTempDirectory("store-connect-bench-");
    Path log = dir.resolve("serve.log");
    Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "com.retrainconsole.app.Launcher",
        "store", "serve", "--data-dir", dir.resolve("data").toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (StorePortFile.read(dir.resolve("data")).isEmpty()) {
        if (System.nanoTime() > deadline || !server.isAlive()) {
          throw new IllegalStateException("store serve did not start: " + Files.readString(log));
        }
        Thread.sleep(20);
      }
      List<Double> openMs = new ArrayList<>();
      List<Double> firstReadMs = new ArrayList<>();
      for (int i = 0; i < opens + 3; i++) { // the first 3 warm the JIT and are not counted
        long start = System.nanoTime();
        try (Store store = Store.open(StoreConfig.embedded(dir.resolve("data")))) {
          long opened = System.nanoTime();
          store.collection(Collections.SETTINGS).find(new Document("_id", "x")).first();
          long read = System.nanoTime();
          if (i >= 3) {
            openMs.add((opened - start) / 1e6);
            firstReadMs.add((read - opened) / 1e6);
          }
        }
      }
      System.out.printf("client open through the port file: median %.1f ms (min %.1f, max %.1f) over %d%n",
          median(openMs), java.util.Collections.min(openMs), java.util.Collections.max(openMs), opens);
      System.out.printf("first read after open: median %.2f ms%n", median(firstReadMs));
      List<Double> coldMs = new ArrayList<>();
      for (int i = 0; i < Math.max(5, opens / 2); i++) {
        Process cold = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), StoreConnectBenchmark.class.getName(),
            "--open-once", dir.resolve("data").toString()).redirectErrorStream(true).start();
        String out = new String(cold.getInputStream().readAllBytes());
        cold.waitFor();
        coldMs.add(Double.parseDouble(out.lines().filter(l -> l.startsWith("open-ms ")).findFirst()
            .orElseThrow(() -> new IllegalStateException(out)).substring(8)));
      }
      System.out.printf("client open in a fresh JVM (what one CLI call pays): median %.1f ms over %d%n",
          median(coldMs), coldMs.size());
      loginCost(dir.resolve("data"), opens);
    } finally {
      server.destroy();
      server.waitFor(20, TimeUnit.SECONDS);
      server.destroyForcibly();
    }
  }

  /** Child of the cold measurement: one open, as a CLI call makes it. */
  private static void openOnce(Path dataDir) {
    long start = System.nanoTime();
    try (Store store = Store.open(StoreConfig.embedded(dataDir))) {
      System.out.printf("open-ms %.1f%n", (System.nanoTime() - start) / 1e6);
    }
  }

  /**
   * What the login alone adds: a new driver client's first command (ping, which an unauthenticated
   * connection may send) with and without the credential, alternated so both see the same machine load.
   */
  private static void loginCost(Path dataDir, int rounds) {
    int port = StorePortFile.read(dataDir).orElseThrow().port();
    StoreSecret secret = StoreSecret.read(dataDir).orElseThrow();
    List<Double> plain = new ArrayList<>();
    List<Double> login = new ArrayList<>();
    for (int i = 0; i < rounds + 3; i++) {
      double p = firstPing(port, null);
      double l = firstPing(port, secret.credential());
      if (i >= 3) {
        plain.add(p);
        login.add(l);
      }
    }
    System.out.printf("new client's first ping: median %.1f ms without login, %.1f ms with SCRAM-SHA-256%n",
        median(plain), median(login));
  }

  private static double firstPing(int port, MongoCredential credential) {
    MongoClientSettings.Builder settings = MongoClientSettings.builder()
        .applyToClusterSettings(b -> b.hosts(List.of(new ServerAddress("127.0.0.1", port))));
    if (credential != null) {
      settings.credential(credential);
    }
    long start = System.nanoTime();
    try (MongoClient client = MongoClients.create(settings.build())) {
      client.getDatabase(Store.DATABASE).runCommand(new Document("ping", 1));
      return (System.nanoTime() - start) / 1e6;
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    java.util.Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
