package com.retrainconsole.store;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.retrainconsole.common.UserException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one door to MongoDB. Embedded (file or memory) or remote, everything above this class uses the same
 * driver code.
 */
public final class Store implements AutoCloseable {
  public static final String DATABASE = "retrain";
  static final int TIMEOUT_SECONDS = 5;

  private static final Logger log = LoggerFactory.getLogger(Store.class);

  private final EmbeddedStore embedded; // null when remote
  private final MongoClient client;
  private final MongoDatabase db;
  private final String description;
  private final String uri; // what a child process connects with; may hold credentials: never log it

  private Store(EmbeddedStore embedded, MongoClient client, String database, String description, String uri) {
    this.embedded = embedded;
    this.uri = uri;
    this.client = client;
    this.db = client.getDatabase(database);
    this.description = description;
  }

  /**
   * Opens the store {@code config} names and makes sure the indexes exist.
   *
   * @throws UserException when the store cannot be reached or opened (message says what to check)
   */
  public static Store open(StoreConfig config) {
    if (config.mongoUri() != null) {
      return openRemote(config.mongoUri());
    }
    if (config.inMemory()) {
      return openEmbedded(EmbeddedStore.inMemory());
    }
    if (config.dataDir() == null) {
      throw new UserException("No store configured: pass --data-dir or --mongo-uri (or set RETRAIN_MONGO_URI)");
    }
    return openEmbedded(EmbeddedStore.onFile(config.dataDir()));
  }

  public static Store openInMemory() {
    return open(StoreConfig.memory());
  }

  /** Connects a client to a started embedded server; package-private so benchmarks can pick the backend. */
  static Store openEmbedded(EmbeddedStore embedded) {
    try {
      MongoClient client = MongoClients.create(settings(new ConnectionString(embedded.connectionString())));
      Store store = new Store(embedded, client, DATABASE, embedded.describe(),
          embedded.connectionString() + "/" + DATABASE);
      store.ensureIndexes();
      return store;
    } catch (RuntimeException e) {
      embedded.close();
      throw e;
    }
  }

  private static Store openRemote(String uri) {
    ConnectionString connection = parse(uri);
    String hosts = hostsOf(connection);
    String named = connection.getDatabase();
    String database = named == null || named.isBlank() ? DATABASE : named;
    MongoClient client;
    try {
      client = MongoClients.create(settings(connection));
    } catch (RuntimeException e) {
      throw new UserException(
          "Cannot set up a MongoDB client for "
              + RedactedUri.redact(uri)
              + ": "
              + RedactedUri.scrub(e.getMessage(), uri)
              + "; check --mongo-uri / RETRAIN_MONGO_URI");
    }
    try {
      // Fail now, with a clear message, instead of at the first query somewhere deep in a run.
      client.getDatabase(database).runCommand(new Document("ping", 1));
      Store store = new Store(null, client, database, "mongodb://" + hosts + "/" + database, uri.strip());
      store.ensureIndexes();
      log.info("connected to {}", store.describe());
      return store;
    } catch (MongoTimeoutException e) {
      client.close();
      throw new UserException(
          "Cannot reach MongoDB at "
              + hosts
              + " within "
              + TIMEOUT_SECONDS
              + " s ("
              + reasonOf(e, uri)
              + "); check --mongo-uri / RETRAIN_MONGO_URI, that the server is running and that this"
              + " machine can reach it (firewall, VPN)");
    } catch (MongoSecurityException e) {
      client.close();
      throw new UserException(
          "MongoDB at "
              + hosts
              + " rejected the credentials in "
              + RedactedUri.redact(uri)
              + "; check the user name, password and authSource in --mongo-uri / RETRAIN_MONGO_URI");
    } catch (MongoException e) {
      client.close();
      throw new UserException(
          "MongoDB at "
              + hosts
              + " refused a start-up command (ping, createIndexes): "
              + RedactedUri.scrub(e.getMessage(), uri)
              + "; check --mongo-uri / RETRAIN_MONGO_URI and that the user may read, write and create"
              + " indexes in database "
              + database);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  private static ConnectionString parse(String uri) {
    try {
      return new ConnectionString(uri.strip());
    } catch (IllegalArgumentException e) {
      // decision: no cause attached — the parser's own message or stack may quote the URI
      throw new UserException(
          "The MongoDB URI "
              + RedactedUri.redact(uri)
              + " is malformed: "
              + RedactedUri.scrub(e.getMessage(), uri)
              + "; pass --mongo-uri / RETRAIN_MONGO_URI as mongodb://[user:password@]host[:port]/[database]");
    }
  }

  static String hostsOf(ConnectionString connection) {
    List<String> hosts = connection.getHosts();
    boolean srv = connection.isSrvProtocol();
    return hosts.stream()
        .map(host -> srv || host.matches(".*:\\d+$") ? host : host + ":27017")
        .collect(Collectors.joining(","));
  }

  /** A short cause from the driver's timeout text, e.g. "Connection refused"; never the credentials. */
  private static String reasonOf(MongoTimeoutException e, String uri) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    String reason = "no answer";
    int causedBy = message.lastIndexOf("caused by {");
    if (causedBy >= 0) {
      int end = message.indexOf('}', causedBy);
      String inner = message.substring(causedBy + "caused by {".length(), end < 0 ? message.length() : end);
      int colon = inner.indexOf(": ");
      reason = colon >= 0 ? inner.substring(colon + 2) : inner;
    } else if (message.contains("exception={")) {
      int start = message.indexOf("exception={") + "exception={".length();
      int end = message.indexOf('}', start);
      reason = message.substring(start, end < 0 ? message.length() : end);
    }
    return RedactedUri.scrub(reason, uri);
  }

  static MongoClientSettings settings(ConnectionString connection) {
    return MongoClientSettings.builder()
        .applyConnectionString(connection)
        .applyToClusterSettings(b -> b.serverSelectionTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS))
        .applyToSocketSettings(b -> b.connectTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS))
        .build();
  }

  public void ensureIndexes() {
    Indexes.ensure(db);
  }

  public MongoDatabase db() {
    return db;
  }

  public MongoCollection<Document> collection(String name) {
    return db.getCollection(name);
  }

  /**
   * Forces everything written so far to disk, for moments where power loss matters (after a promotion, at
   * the end of an import). Embedded file store: commit + fsync. In memory: nothing to do. Remote: the
   * server's journal is its business (writes are acknowledged per the URI's write concern).
   */
  public void sync() {
    if (embedded != null) {
      embedded.sync();
    }
  }

  /** Human description without credentials: "embedded (/path/retrain.mv.db)" or "mongodb://host:port/db". */
  public String describe() {
    return description;
  }

  /**
   * A URI another process on this machine can connect with: the in-process server's loopback port for an
   * embedded store, the original URI for a remote one. It may carry a password: hand it to a child
   * through the environment (RETRAIN_MONGO_URI), never on a command line, and never log it.
   */
  public String connectionUri() {
    return uri;
  }

  public boolean isEmbedded() {
    return embedded != null;
  }

  @Override
  public void close() {
    client.close();
    if (embedded != null) {
      embedded.close();
    }
  }

  @Override
  public String toString() {
    return "Store[" + description + "]";
  }
}
