package com.retrainconsole.store;

import com.mongodb.client.MongoCollection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.bson.Document;

/**
 * Single-insert and insertMany rates of the embedded store: durable H2 backend vs stock H2 vs memory, plus
 * file growth per commit and what a full compaction gives back.
 *
 * <p>Run:
 *
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp "$(cat /tmp/cp.txt):target/classes:target/test-classes" \
 *     com.retrainconsole.store.StoreBenchmark [singles=3000] [insertMany docs=100000]
 * </pre>
 *
 * Each backend runs twice in one JVM: the first pass includes JIT warm-up (what a short CLI call sees),
 * the second is the steady state.
 */
public final class StoreBenchmark {
  private StoreBenchmark() {}

  public static void main(String[] args) throws Exception {
    int singles = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    int many = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    System.out.printf("singles=%d insertMany=%d docs (batches of 1000), doc ~250 B%n", singles, many);
    for (String backend : List.of("durable", "stock", "memory")) {
      run(backend, singles, many);
      run(backend, singles, many);
    }
  }

  private static void run(String backend, int singles, int many) throws IOException {
    Path dir = Files.createTempDirectory("store-bench-");
    try {
      EmbeddedStore embedded =
          backend.equals("memory") ? EmbeddedStore.inMemory() : EmbeddedStore.onFile(dir, backend.equals("durable"));
      long sizeBefore;
      long sizeAfterSingles;
      double singleRate;
      double manyRate;
      try (Store store = Store.openEmbedded(embedded)) {
        MongoCollection<Document> coll = store.collection("bench");
        coll.insertOne(doc(-1)); // collection created before measuring
        sizeBefore = fileSize(dir);
        long start = System.nanoTime();
        for (int i = 0; i < singles; i++) {
          coll.insertOne(doc(i));
        }
        singleRate = singles / seconds(start);
        sizeAfterSingles = fileSize(dir);

        MongoCollection<Document> bulk = store.collection("bench_many");
        start = System.nanoTime();
        List<Document> batch = new ArrayList<>(1000);
        for (int i = 0; i < many; i++) {
          batch.add(doc(i));
          if (batch.size() == 1000) {
            bulk.insertMany(batch);
            batch = new ArrayList<>(1000);
          }
        }
        if (!batch.isEmpty()) {
          bulk.insertMany(batch);
        }
        manyRate = many / seconds(start);
      }
      System.out.printf(
          "%-8s single insertOne %,8.0f/s | insertMany %,9.0f docs/s | file growth %,7.0f B per single insert",
          backend, singleRate, manyRate, (sizeAfterSingles - sizeBefore) / (double) singles);
      if (!backend.equals("memory")) {
        long closedSize = fileSize(dir);
        EmbeddedStore.CompactionResult compaction = EmbeddedStore.compact(dir);
        System.out.printf(
            " | closed file %,d B, compacted to %,d B in %d ms",
            closedSize, compaction.bytesAfter(), compaction.took().toMillis());
      }
      System.out.println();
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Document doc(int i) {
    return new Document("device_id", "dev-" + (i % 10))
        .append("n", i)
        .append("power_w", 1234.5 + i)
        .append("note", "x".repeat(180));
  }

  private static long fileSize(Path dir) throws IOException {
    Path file = EmbeddedStore.dataFile(dir);
    return Files.exists(file) ? Files.size(file) : 0;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
