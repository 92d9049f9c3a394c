package com.retrainconsole.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.retrainconsole.common.UserException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedStoreTest {
  @TempDir Path tempDir;

  @Test
  void data_written_before_close_is_there_after_reopen() {
    Path dataDir = tempDir.resolve("not/yet/created");
    try (Store store = Store.open(StoreConfig.embedded(dataDir))) {
      assertTrue(store.isEmbedded());
      assertEquals("embedded (" + EmbeddedStore.dataFile(dataDir) + ")", store.describe());
      store.collection(Collections.MODEL_RUNS).insertOne(new Document("run_id", "run-1").append("status", "pending"));
      store
          .collection(Collections.MODEL_RUNS)
          .findOneAndUpdate(
              Filters.eq("run_id", "run-1"),
              Updates.set("status", "running"),
              new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
      store.collection(Collections.SETTINGS).insertMany(List.of(new Document("_id", "a"), new Document("_id", "b")));
      store.sync();
    }
    assertTrue(Files.isRegularFile(dataDir.resolve(EmbeddedStore.DATA_FILE_NAME)));

    try (Store store = Store.open(StoreConfig.embedded(dataDir))) {
      Document run = store.collection(Collections.MODEL_RUNS).find(new Document("run_id", "run-1")).first();
      assertEquals("running", run.getString("status"));
      assertEquals(2, store.collection(Collections.SETTINGS).countDocuments());
      // the unique index came back with the file
      assertDuplicateRejected(store.collection(Collections.MODEL_RUNS), new Document("run_id", "run-1"));
    }
  }

  @Test
  void second_open_of_the_same_data_dir_says_it_is_in_use() {
    Path dataDir = tempDir.resolve("data");
    try (Store first = Store.open(StoreConfig.embedded(dataDir))) {
      UserException error = assertThrows(UserException.class, () -> Store.open(StoreConfig.embedded(dataDir)));
      assertEquals(
          "The data folder " + dataDir.toAbsolutePath().normalize()
              + " is in use by another Retrain Console process; close it or pass a different --data-dir",
          error.getMessage());
      // the first store is unharmed
      first.collection(Collections.SETTINGS).insertOne(new Document("_id", "still-works"));
    }
  }

  @Test
  void compaction_shrinks_a_bloated_file_and_keeps_the_data() {
    Path dataDir = tempDir.resolve("bloated");
    int writes = 200;
    try (Store store = Store.open(StoreConfig.embedded(dataDir))) {
      MongoCollection<Document> settings = store.collection(Collections.SETTINGS);
      // every acknowledged write is a commit that appends a chunk: single writes bloat the file
      for (int i = 0; i < writes; i++) {
        settings.insertOne(new Document("_id", "k" + i).append("value", i));
      }
    }

    EmbeddedStore.CompactionResult result = EmbeddedStore.compact(dataDir);

    System.out.println("compaction: " + result);
    assertEquals(EmbeddedStore.dataFile(dataDir), result.file());
    assertTrue(
        result.bytesAfter() * 2 < result.bytesBefore(),
        "expected the file to shrink to under half, got " + result);
    try (Store store = Store.open(StoreConfig.embedded(dataDir))) {
      MongoCollection<Document> settings = store.collection(Collections.SETTINGS);
      assertEquals(writes, settings.countDocuments());
      assertEquals(199, settings.find(new Document("_id", "k199")).first().getInteger("value"));
    }
  }

  @Test
  void compaction_refuses_a_folder_in_use_and_a_folder_without_data() {
    Path dataDir = tempDir.resolve("busy");
    try (Store store = Store.open(StoreConfig.embedded(dataDir))) {
      UserException busy = assertThrows(UserException.class, () -> EmbeddedStore.compact(dataDir));
      assertTrue(busy.getMessage().contains("is in use by another Retrain Console process"), busy.getMessage());
    }
    UserException empty = assertThrows(UserException.class, () -> EmbeddedStore.compact(tempDir.resolve("nothing")));
    assertTrue(empty.getMessage().contains("There is no data file"), empty.getMessage());
  }

  @Test
  void fire_key_index_allows_many_runs_without_one_and_rejects_a_repeated_one_on_file_and_in_memory() {
    try (Store onFile = Store.open(StoreConfig.embedded(tempDir.resolve("keys")));
        Store inMemory = Store.openInMemory()) {
      for (Store store : List.of(onFile, inMemory)) {
        for (String collection : List.of(Collections.RUN_QUEUE, Collections.MODEL_RUNS)) {
          MongoCollection<Document> runs = store.collection(collection);
          runs.insertOne(new Document("run_id", "manual-1"));
          runs.insertOne(new Document("run_id", "manual-2"));
          runs.insertOne(new Document("run_id", "fired-1").append("fire_key", "trig-1:2026-11-22T18:00:00Z"));
          assertDuplicateRejected(
              runs, new Document("run_id", "fired-2").append("fire_key", "trig-1:2026-11-22T18:00:00Z"));
          assertDuplicateRejected(runs, new Document("run_id", "manual-1"));
          assertEquals(3, runs.countDocuments(), store.describe() + " " + collection);
        }
        store.collection(Collections.TRIGGERS).insertOne(new Document("trigger_id", "trig-1"));
        assertDuplicateRejected(store.collection(Collections.TRIGGERS), new Document("trigger_id", "trig-1"));
      }
    }
  }

  @Test
  void unique_index_over_existing_duplicates_is_reported_as_a_user_error() {
    try (Store store = Store.openInMemory()) {
      MongoCollection<Document> triggers = store.collection(Collections.TRIGGERS);
      triggers.dropIndex("trigger_id_1");
      triggers.insertOne(new Document("trigger_id", "t-1"));
      triggers.insertOne(new Document("trigger_id", "t-1"));

      UserException error = assertThrows(UserException.class, store::ensureIndexes);

      assertTrue(error.getMessage().startsWith("Cannot create the unique index {\"trigger_id\": 1} on triggers"), error.getMessage());
      assertTrue(error.getMessage().endsWith("holds duplicates of that key: remove them, then start again"), error.getMessage());
    }
  }

  @Test
  void aggregate_is_a_read_unless_it_writes_its_output() {
    assertTrue(DurableH2Backend.isRead("aggregate", command("aggregate", "runs", List.of(command("$match", "x")))));
    assertFalse(DurableH2Backend.isRead("aggregate", command("aggregate", "runs", List.of(command("$out", "copy")))));
    assertFalse(DurableH2Backend.isRead("aggregate", command("aggregate", "runs", List.of(command("$merge", "copy")))));
    assertTrue(DurableH2Backend.isRead("find", command("find", "runs", List.of())));
    assertFalse(DurableH2Backend.isRead("insert", command("insert", "runs", List.of())));
    // an unknown command is committed like a write: the safe side
    assertFalse(DurableH2Backend.isRead("someFutureCommand", command("someFutureCommand", "runs", List.of())));
  }

  /** A command as the server sees it (mongo-java-server's own Document type). */
  private static de.bwaldvogel.mongo.bson.Document command(String name, Object value, List<?> pipeline) {
    de.bwaldvogel.mongo.bson.Document command = new de.bwaldvogel.mongo.bson.Document(name, value);
    command.put("pipeline", pipeline);
    return command;
  }

  private static de.bwaldvogel.mongo.bson.Document command(String name, Object value) {
    return new de.bwaldvogel.mongo.bson.Document(name, value);
  }

  private static void assertDuplicateRejected(MongoCollection<Document> collection, Document duplicate) {
    MongoWriteException error = assertThrows(MongoWriteException.class, () -> collection.insertOne(duplicate));
    assertEquals(ErrorCategory.DUPLICATE_KEY, ErrorCategory.fromErrorCode(error.getCode()));
  }
}
