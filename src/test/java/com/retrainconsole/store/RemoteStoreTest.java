package com.retrainconsole.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.common.UserException;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The remote path, against real servers: a closed port, and an embedded server reached by URI. */
class RemoteStoreTest {
  private static final String PASSWORD = "s3cret";

  @Test
  void unreachable_uri_fails_naming_the_host_and_never_the_password() throws IOException {
    int closedPort = closedPort();
    String uri = "mongodb://alice:" + PASSWORD + "@127.0.0.1:" + closedPort + "/retrain";

    long start = System.nanoTime();
    // generous bound only to turn a hang into a failure; the figure itself is printed, not asserted
    UserException error =
        assertTimeoutPreemptively(
            Duration.ofSeconds(15),
            () -> assertThrows(UserException.class, () -> Store.open(StoreConfig.remote(uri))));
    System.out.printf("unreachable URI failed after %d ms: %s%n", (System.nanoTime() - start) / 1_000_000, error.getMessage());

    String message = error.getMessage();
    assertTrue(message.startsWith("Cannot reach MongoDB at 127.0.0.1:" + closedPort + " within 5 s"), message);
    assertTrue(message.contains("check --mongo-uri / RETRAIN_MONGO_URI"), message);
    assertFalse(message.contains(PASSWORD), message);
    assertNull(error.getCause(), "a driver exception as cause could carry connection details into logs");
  }

  @Test
  void malformed_uri_names_the_problem_without_echoing_the_password() {
    String uri = "mongodb://alice:" + PASSWORD + "@db.example:notaport/retrain";

    UserException error = assertThrows(UserException.class, () -> Store.open(StoreConfig.remote(uri)));

    String message = error.getMessage();
    assertTrue(message.startsWith("The MongoDB URI mongodb://alice:***@db.example:notaport/retrain is malformed: "), message);
    assertTrue(message.toLowerCase().contains("port"), message);
    assertFalse(message.contains(PASSWORD), message);
  }

  @Test
  void uri_without_a_scheme_is_malformed() {
    UserException error = assertThrows(UserException.class, () -> Store.open(StoreConfig.remote("db.example:27017")));
    assertTrue(error.getMessage().contains("mongodb://"), error.getMessage());
  }

  @Test
  void reachable_server_is_used_with_the_database_named_in_the_uri() {
    try (EmbeddedStore server = EmbeddedStore.inMemory();
        Store store = Store.open(StoreConfig.remote("mongodb://127.0.0.1:" + server.port() + "/site_a?appName=retrain"))) {
      assertFalse(store.isEmbedded());
      assertEquals("site_a", store.db().getName());
      assertEquals("mongodb://127.0.0.1:" + server.port() + "/site_a", store.describe());
      store.collection(Collections.TRIGGERS).insertOne(new Document("trigger_id", "t-1"));
      // indexes were ensured on the remote database too
      assertThrows(
          com.mongodb.MongoWriteException.class,
          () -> store.collection(Collections.TRIGGERS).insertOne(new Document("trigger_id", "t-1")));
    }
  }

  @Test
  void database_defaults_to_retrain_when_the_uri_names_none() {
    try (EmbeddedStore server = EmbeddedStore.inMemory();
        Store store = Store.open(StoreConfig.remote("mongodb://127.0.0.1:" + server.port()))) {
      assertEquals(Store.DATABASE, store.db().getName());
    }
  }

  @Test
  void rejected_credentials_are_reported_without_the_password() {
    // mongo-java-server has no authentication, so any credentials fail the handshake
    try (EmbeddedStore server = EmbeddedStore.inMemory()) {
      String uri = "mongodb://alice:" + PASSWORD + "@127.0.0.1:" + server.port() + "/retrain";
      UserException error =
          assertTimeoutPreemptively(
              Duration.ofSeconds(15), () -> assertThrows(UserException.class, () -> Store.open(StoreConfig.remote(uri))));
      System.out.println("credentials refused: " + error.getMessage());
      assertTrue(error.getMessage().contains("127.0.0.1:" + server.port()), error.getMessage());
      assertFalse(error.getMessage().contains(PASSWORD), error.getMessage());
    }
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort(); // closed again when we return: connecting is refused
    }
  }
}
