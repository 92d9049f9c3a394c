package com.retrainconsole.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.audit.PointerMove;
import com.retrainconsole.common.Json;
import com.retrainconsole.testing.TestModels;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a JVM that promotes in a tight loop at random moments and checks, after every kill, that the
 * pointer still names a whole, verifiable model and that the next start cleans up after the crash.
 */
class PointerCrashTest {
  private static final String DEVICE = "crash-dev";
  private static final int KILLS = Integer.getInteger("crash.kills", 30);
  // decision: a child JVM needs 1-2 s to its first promote (class loading over the full test classpath,
  // more on a busy machine), so the loop also stops after this budget once MIN_KILLS are done.
  private static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(35);
  private static final int MIN_KILLS = 10;

  @TempDir Path temp;

  /** What the kill loop saw. */
  private record LaneStats(int kills, int tempFiles, int reconciled, int moves, long startNanos) {}

  @Test
  void pointer_survives_kills_during_promote_and_always_loads() throws Exception {
    LaneStats stats = runLane(temp, KILLS, new Random(20261122L));

    assertTrue(stats.kills() >= Math.min(MIN_KILLS, KILLS), "kills: " + stats.kills());
    System.out.printf(
        "PointerCrashTest: %d kills, %d temp files found after kills, %d ledger entries reconciled,"
            + " %d pointer moves in all; child start to first promote %.0f ms avg%n",
        stats.kills(), stats.tempFiles(), stats.reconciled(), stats.moves(),
        stats.startNanos() / 1e6 / stats.kills());
  }

  private LaneStats runLane(Path laneDir, int kills, Random random) throws Exception {
    Path modelsDir = laneDir.resolve("models");
    Path ledgerFile = laneDir.resolve("ledger.jsonl");
    ModelRegistry setup = new ModelRegistry(modelsDir, new FilePointerLedger(ledgerFile), Clock.systemUTC());
    List<String> versions = new ArrayList<>();
    for (int seed = 1; seed <= 3; seed++) {
      versions.add(
          setup.saveCandidate(DEVICE, TestModels.train(seed), TestModels.draft(DEVICE, "run-" + seed, 40))
              .version());
    }
    setup.promote(DEVICE, versions.get(0), "test", "initial");

    int tempFiles = 0;
    int reconciled = 0;
    long startNanos = 0;
    long loopStart = System.nanoTime();
    int kill = 0;
    for (; kill < kills; kill++) {
      if (kill >= MIN_KILLS && System.nanoTime() - loopStart > BUDGET_NANOS) {
        break;
      }
      long t0 = System.nanoTime();
      Process child = startChild(laneDir, modelsDir, ledgerFile, versions);
      try (BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line = out.readLine(); // blocks until the child's first promote is done
        startNanos += System.nanoTime() - t0;
        assertEquals("ready", line, "child did not start; see " + laneDir.resolve("child-stderr.txt"));
        // decision: the kill moment is random on purpose (0-40 ms into the promote loop, where one
        // promote takes ~15 ms); this is the experiment, not a wait for a condition.
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(random.nextInt(40_000)));
      } finally {
        child.destroyForcibly();
        child.waitFor();
      }

      tempFiles += countTempFiles(modelsDir.resolve(DEVICE));
      FilePointerLedger ledger = new FilePointerLedger(ledgerFile);
      int entriesBefore = ledger.history(DEVICE).size();
      ModelRegistry restarted = new ModelRegistry(modelsDir, ledger, Clock.systemUTC());

      // The pointer parses, names a saved version, and that version's file verifies and deserializes.
      Pointer pointer =
          Json.MAPPER.readValue(modelsDir.resolve(DEVICE).resolve("current_model.json").toFile(), Pointer.class);
      assertTrue(versions.contains(pointer.version()), pointer.version());
      LoadedModel loaded = restarted.loadCurrent(DEVICE);
      assertEquals(pointer.version(), loaded.meta().version());
      assertEquals(pointer.sha256(), loaded.meta().sha256());
      // Start-up removed the crash's temp files and left every version intact.
      assertEquals(0, countTempFiles(modelsDir.resolve(DEVICE)), "temp files left after restart");
      assertEquals(versions.size(), restarted.list(DEVICE).size());
      // Ledger and stages agree with the pointer (reconciled when the kill fell between the writes).
      List<PointerMove> history = ledger.history(DEVICE);
      reconciled += history.size() - entriesBefore;
      assertTrue(
          history.stream()
              .anyMatch(m -> m.toVersion().equals(pointer.version()) && m.at().equals(pointer.promotedAt())),
          "ledger lacks the pointer's move");
      assertEquals(
          List.of(pointer.version()),
          restarted.list(DEVICE).stream()
              .filter(m -> m.stage() == Stage.PRODUCTION)
              .map(ModelMeta::version)
              .collect(Collectors.toList()));
    }
    int moves = new FilePointerLedger(ledgerFile).history(DEVICE).size();
    return new LaneStats(kill, tempFiles, reconciled, moves, startNanos);
  }

  private static Process startChild(Path laneDir, Path modelsDir, Path ledgerFile, List<String> versions)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx128m");
    command.add("-XX:TieredStopAtLevel=1"); // starts faster; the child's speed is not under test
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(PointerCrashChild.class.getName());
    command.add(modelsDir.toString());
    command.add(DEVICE);
    command.add(ledgerFile.toString());
    command.addAll(versions);
    return new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.appendTo(laneDir.resolve("child-stderr.txt").toFile()))
        .start();
  }

  private static int countTempFiles(Path deviceDir) throws Exception {
    try (Stream<Path> files = Files.walk(deviceDir)) {
      return (int) files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count();
    }
  }
}
