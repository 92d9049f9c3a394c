package com.retrainconsole.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoCredential;
import com.mongodb.MongoSecurityException;
import com.mongodb.ServerAddress;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The served file store admits only clients that log in with the secret beside the port file, and the
 * files that give access (data file, port file, secret, their folder) are the user's alone.
 */
class StoreAuthTest {
  @TempDir Path dir;

  private Path data() {
    return dir.resolve("data");
  }

  /** A plain driver client on the loopback port, as any local account could make one. */
  private static MongoClient rawClient(int port, MongoCredential credential) {
    MongoClientSettings.Builder settings = MongoClientSettings.builder()
        .applyToClusterSettings(b -> b.hosts(List.of(new ServerAddress("127.0.0.1", port)))
            .serverSelectionTimeout(5, TimeUnit.SECONDS));
    if (credential != null) {
      settings.credential(credential);
    }
    return MongoClients.create(settings.build());
  }

  @Test
  void a_client_without_the_secret_can_neither_read_nor_write_tokens_or_users() {
    try (Store owner = Store.open(StoreConfig.embedded(data())).serveOnLoopback()) {
      owner.collection(Collections.USERS).insertOne(new Document("_id", "alice").append("role", "operator"));
      int port = owner.embeddedPort().orElseThrow();
      try (MongoClient intruder = rawClient(port, null)) {
        MongoDatabase db = intruder.getDatabase(Store.DATABASE);
        // the handshake still works, so the driver connects and the refusal is a clear command error
        assertEquals(1.0, ((Number) db.runCommand(new Document("ping", 1)).get("ok")).doubleValue());

        MongoCommandException write = assertThrows(MongoCommandException.class, () ->
            db.getCollection(Collections.API_TOKENS).insertOne(new Document("token_hash", "forged").append("role", "admin")));
        assertEquals(13, write.getErrorCode(), write.getMessage());
        assertTrue(write.getMessage().contains("requires authentication")
            && write.getMessage().contains(StoreSecret.path(data()).toString()), write.getMessage());

        MongoCommandException read = assertThrows(MongoCommandException.class, () ->
            db.getCollection(Collections.USERS).find().first());
        assertEquals(13, read.getErrorCode(), read.getMessage());
        assertThrows(MongoCommandException.class, () ->
            db.getCollection(Collections.USERS).updateOne(new Document("_id", "alice"),
                new Document("$set", new Document("role", "admin"))));
        assertThrows(MongoCommandException.class, () -> intruder.listDatabaseNames().first());
        assertThrows(MongoCommandException.class, () -> db.runCommand(new Document("serverStatus", 1)));
      }
      assertEquals(0, owner.collection(Collections.API_TOKENS).countDocuments(), "nothing forged");
      assertEquals("operator", owner.collection(Collections.USERS).find().first().getString("role"));
    }
  }

  @Test
  void a_client_with_a_wrong_secret_is_refused_and_one_with_the_secret_file_gets_in() {
    try (Store owner = Store.open(StoreConfig.embedded(data())).serveOnLoopback()) {
      int port = owner.embeddedPort().orElseThrow();
      String wrong = StoreSecret.random().password();
      try (MongoClient guesser = rawClient(port,
          MongoCredential.createScramSha256Credential(StoreSecret.USER, StoreSecret.AUTH_DATABASE, wrong.toCharArray()))) {
        MongoSecurityException refused = assertThrows(MongoSecurityException.class, () ->
            guesser.getDatabase(Store.DATABASE).getCollection(Collections.USERS).find().first());
        assertTrue(String.valueOf(refused.getCause()).contains("Authentication failed"), String.valueOf(refused.getCause()));
      }
      try (MongoClient otherUser = rawClient(port, MongoCredential.createScramSha256Credential("admin",
          StoreSecret.AUTH_DATABASE, StoreSecret.read(data()).orElseThrow().password().toCharArray()))) {
        assertThrows(MongoSecurityException.class, () ->
            otherUser.getDatabase(Store.DATABASE).getCollection(Collections.USERS).find().first());
      }
      // whoever can read the data folder logs in with the stock driver's SCRAM-SHA-256, on every connection
      StoreSecret secret = StoreSecret.read(data()).orElseThrow();
      try (MongoClient own = rawClient(port, secret.credential())) {
        own.getDatabase(Store.DATABASE).getCollection("probe").insertOne(new Document("from", "owner's client"));
      }
      assertEquals(1, owner.collection("probe").countDocuments());
      // and so does a child handed the store's URI, and a driver that negotiates the mechanism itself
      try (Store child = Store.open(StoreConfig.remote(owner.connectionUri()))) {
        assertEquals(1, child.collection("probe").countDocuments());
      }
      try (MongoClient negotiating = MongoClients.create("mongodb://" + StoreSecret.USER + ":" + secret.password()
          + "@127.0.0.1:" + port + "/?serverSelectionTimeoutMS=5000")) {
        assertEquals(1, negotiating.getDatabase(Store.DATABASE).getCollection("probe").countDocuments());
      }
    }
  }

  @Test
  void the_secret_is_new_for_each_server_and_leaves_with_the_port_file() {
    String first;
    try (Store owner = Store.open(StoreConfig.embedded(data())).serveOnLoopback()) {
      first = StoreSecret.read(data()).orElseThrow().password();
      assertTrue(owner.connectionUri().contains(first), "children get the login in their URI");
    }
    assertFalse(Files.exists(StoreSecret.path(data())), "a clean close removes the secret");
    assertFalse(Files.exists(StorePortFile.path(data())));
    try (Store owner = Store.open(StoreConfig.embedded(data())).serveOnLoopback()) {
      assertNotEquals(first, StoreSecret.read(data()).orElseThrow().password());
    }
  }

  @Test
  void the_data_folder_is_0700_and_the_data_port_and_secret_files_0600() throws Exception {
    Path fresh = dir.resolve("new/data");
    try (Store owner = Store.open(StoreConfig.embedded(fresh)).serveOnLoopback()) {
      assertEquals("rwx------", mode(fresh));
      assertEquals("rw-------", mode(EmbeddedStore.dataFile(fresh)));
      assertEquals("rw-------", mode(StorePortFile.path(fresh)));
      assertEquals("rw-------", mode(StoreSecret.path(fresh)));
      assertEquals(List.of(), leftovers(fresh), "no temp files left behind");
    }
  }

  @Test
  void an_existing_folder_and_data_file_with_looser_modes_are_tightened_on_open() throws Exception {
    try (Store first = Store.open(StoreConfig.embedded(data()))) {
      first.collection("probe").insertOne(new Document("n", 1));
    }
    // as an earlier version left them, with the usual umask
    Files.setPosixFilePermissions(data(), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(EmbeddedStore.dataFile(data()), PosixFilePermissions.fromString("rw-r--r--"));
    // and a port file of a server that died before the secret existed
    Files.writeString(StorePortFile.path(data()), "{\"port\": 1, \"pid\": 1, \"data_file\": \"x\"}");
    Files.setPosixFilePermissions(StorePortFile.path(data()), PosixFilePermissions.fromString("rw-r--r--"));

    try (Store owner = Store.open(StoreConfig.embedded(data())).serveOnLoopback()) {
      assertEquals(1, owner.collection("probe").countDocuments());
      assertEquals("rwx------", mode(data()));
      assertEquals("rw-------", mode(EmbeddedStore.dataFile(data())));
      assertEquals("rw-------", mode(StorePortFile.path(data())));
    }
    assertEquals("rw-------", mode(EmbeddedStore.dataFile(data())), "and stays so after a close");
    EmbeddedStore.compact(data());
    assertEquals("rw-------", mode(EmbeddedStore.dataFile(data())), "compaction writes a new file: private too");
  }

  @Test
  void a_shared_sticky_folder_is_left_as_it_is_but_the_files_in_it_are_private() throws Exception {
    Path shared = dir.resolve("shared");
    Files.createDirectories(shared);
    Files.setAttribute(shared, "unix:mode", 01777);
    try (Store owner = Store.open(StoreConfig.embedded(shared)).serveOnLoopback()) {
      assertEquals(01777, (int) (Integer) Files.getAttribute(shared, "unix:mode") & 07777);
      assertEquals("rw-------", mode(EmbeddedStore.dataFile(shared)));
      assertEquals("rw-------", mode(StoreSecret.path(shared)));
    }
  }

  @Test
  void the_in_memory_store_of_the_tests_stays_open() {
    try (Store memory = Store.openInMemory();
        MongoClient plain = MongoClients.create(memory.connectionUri())) {
      plain.getDatabase(Store.DATABASE).getCollection("probe").insertOne(new Document("n", 1));
      assertEquals(1, memory.collection("probe").countDocuments());
    }
  }

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  private static List<String> leftovers(Path folder) throws Exception {
    try (var files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
    }
  }
}
