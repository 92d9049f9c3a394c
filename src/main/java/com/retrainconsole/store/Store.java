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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
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
  // a server writes its port file right after opening the file; this covers that window
  static final Duration LOCKED_WAIT = Duration.ofSeconds(1);

  private static final Logger log = LoggerFactory.getLogger(Store.class);

  private final EmbeddedStore embedded; // null when remote
  private final MongoClient client;
  private final MongoDatabase db;
  private volatile String description;
  private volatile StorePortFile.Entry served; // port file this process wrote, removed on close
  private final String uri; // what a child process connects with; may hold credentials: never log it
  private final boolean local; // this machine's data folder, opened here or reached through its port file

  private Store(EmbeddedStore embedded, MongoClient client, String database, String description, String uri) {
    this(embedded, client, database, description, uri, embedded != null);
  }

  private Store(EmbeddedStore embedded, MongoClient client, String database, String description, String uri,
      boolean local) {
    this.embedded = embedded;
    this.local = local;
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
    return openDataDir(config.dataDir());
  }

  /**
   * The data folder's store: through the process that serves it (port file, docs/ARCHITECTURE.md §8) if there is one,
   * else by opening the file. decision: when the file is locked, wait briefly for a port file, because the
   * holder may be a server that has not written it yet.
   */
  private static Store openDataDir(Path dataDir) {
    Optional<StorePortFile.Entry> live = StorePortFile.findLive(dataDir);
    if (live.isPresent()) {
      return openServedClient(dataDir, live.get());
    }
    try {
      return openEmbedded(EmbeddedStore.onFile(dataDir));
    } catch (UserException e) {
      if (!EmbeddedStore.isLockedFailure(e)) {
        throw e;
      }
      long deadline = System.nanoTime() + LOCKED_WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        live = StorePortFile.findLive(dataDir);
        if (live.isPresent()) {
          return openServedClient(dataDir, live.get());
        }
        sleepQuietly(100);
      }
      throw e;
    }
  }

  private static Store openServedClient(Path dataDir, StorePortFile.Entry entry) {
    String where = "127.0.0.1:" + entry.port();
    // no secret file: a server from before the store had one, which admits anyone
    Optional<StoreSecret> secret = StoreSecret.read(dataDir);
    MongoClientSettings.Builder settings = MongoClientSettings.builder(
        settings(new ConnectionString("mongodb://" + where)));
    secret.ifPresent(s -> settings.credential(s.credential()));
    MongoClient client = MongoClients.create(settings.build());
    try {
      client.getDatabase(DATABASE).runCommand(new Document("ping", 1));
      Store store = new Store(null, client, DATABASE,
          "embedded via store serve on " + where + " (pid " + entry.pid() + ")",
          secret.map(s -> s.uri(entry.port(), DATABASE)).orElse("mongodb://" + where + "/" + DATABASE), true);
      store.ensureIndexes();
      log.info("connected to {}", store.describe());
      return store;
    } catch (MongoSecurityException e) {
      client.close();
      throw new UserException("The store served on " + where + " by process " + entry.pid()
          + " refused this process's login (" + e.getMessage() + "): the secret in "
          + StoreSecret.path(dataDir) + " is not the server's; if that process was just restarted, try again", e);
    } catch (MongoException e) {
      client.close();
      throw new UserException("The store served on " + where + " by process " + entry.pid()
          + " does not answer (" + e.getMessage() + "); stop that process or wait for it to finish starting", e);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /**
   * Opens the embedded file store of {@code dataDir} in this process and serves it on 127.0.0.1:{@code
   * port} (0 = any free port) for other processes, with a port file; for {@code store serve}.
   *
   * @throws UserException when another process already serves or holds the folder
   */
  public static Store serve(Path dataDir, int port) {
    Optional<StorePortFile.Entry> live = StorePortFile.findLive(dataDir);
    if (live.isPresent()) {
      throw new UserException("The data folder " + dataDir.toAbsolutePath().normalize()
          + " is already served on 127.0.0.1:" + live.get().port() + " by process " + live.get().pid());
    }
    return openEmbedded(EmbeddedStore.onFile(dataDir, true, port)).serveOnLoopback();
  }

  /**
   * Lets other processes in: records this process's loopback port and pid in {@code <data-dir>/store.port}
   * and the login secret in {@code <data-dir>/store.secret}, both 0600 (the embedded server already listens
   * on 127.0.0.1), so they connect here instead of failing on the file
   * lock. For long-running openers (scheduler, console). Removed on {@link #close()}. A no-op for a remote
   * store, an in-memory store or a store reached through another process's port file. Returns this.
   */
  public Store serveOnLoopback() {
    if (embedded == null || embedded.dataFileOrNull() == null || served != null) {
      return this;
    }
    Path dataDir = embedded.dataFileOrNull().getParent();
    // the secret first: a client that finds the port file must find the secret of the same server
    embedded.secretOrNull().write(dataDir);
    served = StorePortFile.write(dataDir, embedded.port(), Instant.now());
    description = embedded.describe() + " served on 127.0.0.1:" + embedded.port();
    log.info("serving {} for other processes (port file {})", description, StorePortFile.path(dataDir));
    return this;
  }

  /** The loopback port other processes may use, when this process runs the embedded server. */
  public OptionalInt embeddedPort() {
    return embedded == null ? OptionalInt.empty() : OptionalInt.of(embedded.port());
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public static Store openInMemory() {
    return open(StoreConfig.memory());
  }

  /** Connects a client to a started embedded server; package-private so benchmarks can pick the backend. */
  static Store openEmbedded(EmbeddedStore embedded) {
    try {
      MongoClientSettings.Builder settings = MongoClientSettings.builder(
          settings(new ConnectionString("mongodb://127.0.0.1:" + embedded.port())));
      StoreSecret secret = embedded.secretOrNull();
      if (secret != null) {
        settings.credential(secret.credential()); // this process's own client logs in like any other
      }
      MongoClient client = MongoClients.create(settings.build());
      Store store = new Store(embedded, client, DATABASE, embedded.describe(), embedded.connectionUri(DATABASE));
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
   * embedded store (with the login secret of a file store), the original URI for a remote one. It may carry a password: hand it to a child
   * through the environment (RETRAIN_MONGO_URI), never on a command line, and never log it.
   */
  public String connectionUri() {
    return uri;
  }

  public boolean isEmbedded() {
    return embedded != null;
  }

  /**
   * True for this machine's embedded store, whether opened in this process or reached through the port file
   * of a scheduler serving it: whoever can read the data folder owns the store (the default admin role).
   */
  public boolean isLocal() {
    return local;
  }

  @Override
  public void close() {
    StorePortFile.Entry own = served;
    if (own != null) {
      // first, so no new client is sent to a server that is going away
      Path dataDir = embedded.dataFileOrNull().getParent();
      StorePortFile.removeOwn(dataDir, own);
      embedded.secretOrNull().removeIfOwn(dataDir);
      served = null;
    }
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
