package com.retrainconsole.registry;

import com.retrainconsole.common.UserException;
import com.retrainconsole.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.tribuo.Model;
import org.tribuo.regression.Regressor;

/**
 * Prints how long registry operations take on this machine (tiny CART models, file ledger, fsync on).
 * Run: {@code mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt && java -cp
 * target/test-classes:target/classes:$(cat /tmp/cp.txt) com.retrainconsole.registry.RegistryBenchmark 50}
 */
public final class RegistryBenchmark {
  private RegistryBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    Path dir = Files.createTempDirectory("registry-bench");
    try {
      ModelRegistry registry =
          new ModelRegistry(dir.resolve("models"), new FilePointerLedger(dir.resolve("ledger.jsonl")), Clock.systemUTC());
      Model<Regressor> model = TestModels.train(1);
      String device = "bench";
      List<String> versions = new ArrayList<>();
      for (int i = 0; i < 5; i++) { // warm-up
        versions.add(registry.saveCandidate(device, model, TestModels.draft(device, "w", 40)).version());
      }
      long t = System.nanoTime();
      for (int i = 0; i < n; i++) {
        versions.add(registry.saveCandidate(device, model, TestModels.draft(device, "r" + i, 40)).version());
      }
      double save = (System.nanoTime() - t) / 1e6 / n;
      long size = Files.size(registry.modelFile(device, versions.get(0)));

      t = System.nanoTime();
      for (int i = 0; i < n; i++) {
        registry.promote(device, versions.get(i % versions.size()), "bench", "bench " + i);
      }
      double promote = (System.nanoTime() - t) / 1e6 / n;

      t = System.nanoTime();
      for (int i = 0; i < n; i++) {
        registry.loadCurrent(device);
      }
      double load = (System.nanoTime() - t) / 1e6 / n;

      t = System.nanoTime();
      for (int i = 0; i < n; i++) {
        registry.list(device);
      }
      double list = (System.nanoTime() - t) / 1e6 / n;

      t = System.nanoTime();
      List<String> deleted = registry.applyRetention(device, ModelRegistry.DEFAULT_KEEP);
      double retention = (System.nanoTime() - t) / 1e6;

      System.out.printf(
          "RegistryBenchmark (n=%d, model file %d bytes, %d versions listed):%n"
              + "  saveCandidate %.1f ms/op%n  promote %.1f ms/op (sha check + pointer + %d meta files)%n"
              + "  loadCurrent (sha + deserialize) %.1f ms/op%n  list %.1f ms/op%n"
              + "  applyRetention(20) deleted %d in %.1f ms%n",
          n, size, versions.size(), save, promote, versions.size(), load, list, deleted.size(), retention);
    } catch (UserException e) {
      System.err.println(e.getMessage());
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
