package com.retrainconsole.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Projections;
import com.retrainconsole.common.UserException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 against the durable embedded store: a child JVM writes and reports each acknowledged write; we
 * SIGKILL it at a random moment, reopen the file here and check that every acknowledged write is there and
 * that the unique index still rejects duplicates. The same data folder is reused across rounds, so each
 * round also recovers a file that was itself recovered.
 */
class StoreKillTest {
  private static final int ROUNDS = 8;

  @TempDir Path tempDir;

  /** What the children reported as acknowledged, over all rounds. */
  private final Set<String> ackedIds = new HashSet<>();
  private final Set<String> ackedTriggerIds = new HashSet<>();
  private final Map<String, Integer> ackedCounters = new HashMap<>();
  private final List<String> ackedTriggersLastRound = new ArrayList<>();

  @Test
  void every_acknowledged_write_survives_kill_9_and_unique_index_stays_consistent() throws Exception {
    Path dataDir = tempDir.resolve("data");
    long seed = System.nanoTime();
    Random random = new Random(seed);
    for (int round = 0; round < ROUNDS; round++) {
      int killAfterInserts = 10 + random.nextInt(200);
      ackedTriggersLastRound.clear();
      long started = System.nanoTime();
      Process child = startChild(dataDir, "r" + round, "write");
      try (BufferedReader out = stdout(child)) {
        awaitReady(child, out);
        System.out.printf("round %d: child ready in %d ms%n", round, (System.nanoTime() - started) / 1_000_000);
        started = System.nanoTime();
        int inserts = 0;
        String line;
        while (inserts < killAfterInserts && (line = out.readLine()) != null) {
          if (record(line) && line.startsWith("I ")) {
            inserts++;
          }
        }
        // SIGKILL. decision: through the ProcessHandle, because Process.destroyForcibly() also closes our
        // end of stdout and we must still read the acknowledgements already in the pipe.
        child.toHandle().destroyForcibly();
        // lines already in the pipe were acknowledged before the kill
        while ((line = out.readLine()) != null) {
          record(line);
        }
      }
      child.waitFor();
      long killedAt = System.nanoTime();
      System.out.printf("round %d: wrote for %d ms%n", round, (killedAt - started) / 1_000_000);
      System.out.printf("round %d: %d inserts acknowledged, file %,d bytes%n", round, inserts(round), Files.size(EmbeddedStore.dataFile(dataDir)));
      assertTrue(inserts(round) > 0, "round " + round + " acknowledged nothing; child stderr: " + stderr(round));
      verify(dataDir, "seed " + seed + ", round " + round);
      System.out.printf("round %d: verified in %d ms%n", round, (System.nanoTime() - killedAt) / 1_000_000);
    }
  }

  @Test
  void second_process_on_the_same_data_dir_is_told_it_is_in_use() throws Exception {
    Path dataDir = tempDir.resolve("shared");
    Process holder = startChild(dataDir, "h", "hold");
    try (BufferedReader out = stdout(holder)) {
      awaitReady(holder, out);
      UserException error =
          assertThrows(UserException.class, () -> Store.open(StoreConfig.embedded(dataDir)).close());
      assertEquals(
          "The data folder "
              + dataDir.toAbsolutePath().normalize()
              + " is in use by another Retrain Console process; close it or pass a different --data-dir",
          error.getMessage());
    } finally {
      holder.getOutputStream().close(); // lets the holder exit cleanly
      holder.waitFor();
    }
    // once the other process is gone the folder opens
    try (Store store = Store.open(StoreConfig.embedded(dataDir))) {
      assertTrue(store.isEmbedded());
    }
  }

  private void verify(Path dataDir, String context) {
    try (Store store = Store.open(StoreConfig.embedded(dataDir))) {
      MongoCollection<Document> writes = store.collection(KillTestWriter.WRITES);
      Set<String> storedIds = new HashSet<>();
      Map<String, Integer> storedCounters = new HashMap<>();
      for (Document doc : writes.find().projection(Projections.include("_id", "n"))) {
        String id = doc.getString("_id");
        if (id.startsWith("counter-")) {
          storedCounters.put(id.substring("counter-".length()), doc.getInteger("n"));
        } else {
          storedIds.add(id);
        }
      }
      Set<String> lostIds = new HashSet<>(ackedIds);
      lostIds.removeAll(storedIds);
      assertTrue(lostIds.isEmpty(), context + ": lost " + lostIds.size() + " acknowledged inserts, e.g. " + first(lostIds));

      ackedCounters.forEach(
          (prefix, acked) -> {
            Integer stored = storedCounters.get(prefix);
            assertTrue(
                stored != null && stored >= acked,
                context + ": upserted counter " + prefix + " is " + stored + ", acknowledged " + acked);
          });

      MongoCollection<Document> triggers = store.collection(Collections.TRIGGERS);
      List<String> storedTriggerIds = new ArrayList<>();
      triggers.find().projection(Projections.include("trigger_id")).forEach(d -> storedTriggerIds.add(d.getString("trigger_id")));
      Set<String> distinctTriggerIds = new HashSet<>(storedTriggerIds);
      assertEquals(distinctTriggerIds.size(), storedTriggerIds.size(), context + ": duplicate trigger_id stored");
      Set<String> lostTriggers = new HashSet<>(ackedTriggerIds);
      lostTriggers.removeAll(distinctTriggerIds);
      assertTrue(lostTriggers.isEmpty(), context + ": lost acknowledged triggers " + lostTriggers);

      // the unique index must still know every key: a duplicate of an acknowledged one is refused
      for (String triggerId : ackedTriggersLastRound) {
        MongoWriteException duplicate =
            assertThrows(
                MongoWriteException.class,
                () -> triggers.insertOne(new Document("trigger_id", triggerId)),
                context + ": duplicate trigger_id " + triggerId + " was accepted");
        assertEquals(ErrorCategory.DUPLICATE_KEY, ErrorCategory.fromErrorCode(duplicate.getCode()));
      }
    }
  }

  /** Records one acknowledged write; returns false for a line the kill cut short (or READY). */
  private boolean record(String line) {
    if (!line.endsWith(" " + KillTestWriter.END)) {
      return false;
    }
    String[] parts = line.split(" ");
    switch (parts[0]) {
      case "I" -> ackedIds.add(parts[1]);
      case "U" -> ackedCounters.merge(parts[1], Integer.parseInt(parts[2]), Math::max);
      case "T" -> {
        ackedTriggerIds.add(parts[1]);
        ackedTriggersLastRound.add(parts[1]);
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  private long inserts(int round) {
    return ackedIds.stream().filter(id -> id.startsWith("r" + round + "-")).count();
  }

  private Process startChild(Path dataDir, String prefix, String mode) throws IOException {
    // surefire may hide the real class path behind a manifest-only jar; that jar works for a child too
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new ProcessBuilder(
            java.toString(),
            "-Xmx256m",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            classPath,
            KillTestWriter.class.getName(),
            dataDir.toString(),
            prefix,
            "durable",
            mode)
        .redirectError(tempDir.resolve(prefix + ".stderr").toFile())
        .start();
  }

  private static BufferedReader stdout(Process child) {
    return new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
  }

  private void awaitReady(Process child, BufferedReader out) throws IOException {
    String line;
    do {
      line = out.readLine(); // skips anything a library may print before READY
    } while (line != null && !line.equals("READY" + KillTestWriter.END));
    if (line == null) {
      child.destroyForcibly();
      fail("child exited before opening the store; stderr: " + stderrOf(child));
    }
  }

  private String stderrOf(Process child) {
    try (var files = Files.list(tempDir)) {
      StringBuilder all = new StringBuilder();
      for (Path file : files.filter(f -> f.toString().endsWith(".stderr")).toList()) {
        all.append(Files.readString(file));
      }
      return all.toString();
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private String stderr(int round) {
    try {
      return Files.readString(tempDir.resolve("r" + round + ".stderr"));
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private static String first(Set<String> ids) {
    return ids.stream().sorted().limit(5).toList().toString();
  }
}
