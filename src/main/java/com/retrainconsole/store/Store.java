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
import com.mongodb.event.ConnectionCheckOutFailedEvent;
import com.mongodb.event.ConnectionPoolListener;
import com.mongodb.event.ServerDescriptionChangedEvent;
import com.mongodb.event.ServerListener;
import com.retrainconsole.common.UserException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one door to MongoDB. Embedded (file or memory) or remote, everything above this class uses the same
 * driver code.
 *
 * <p>A store reached through another process's port file follows its data folder (docs/ARCHITECTURE.md §8):
 * when that server goes away it reconnects to the process that serves the folder next, or, if this process
 * asked to serve ({@link #serveOnLoopback()}) and nobody does, opens the file and serves it itself. Its
 * {@link #db()} and collections are handles that follow the switch, so services keep the ones they hold.
 */
public final class Store implements AutoCloseable {
  public static final String DATABASE = "retrain";
  static final int TIMEOUT_SECONDS = 5;
  // a server writes its port file right after opening the file; this covers that window
  static final Duration LOCKED_WAIT = Duration.ofSeconds(1);
  /**
   * How often a client of another process's server checks it is there (the driver's monitor; a hello on
   * loopback): a dead server is noticed within this even when the client is idle.
   */
  static final Duration FOLLOW_HEARTBEAT = Duration.ofSeconds(1);
  private static final long FOLLOW_RETRY_MIN_MS = 100;
  private static final long FOLLOW_RETRY_MAX_MS = 500; // a look is a file read and a connect: cheap

  static final Duration BACKUP_CHECK_DELAY = Duration.ofMinutes(1);
  static final Duration BACKUP_CHECK_EVERY = Duration.ofHours(1);

  private static final Logger log = LoggerFactory.getLogger(Store.class);

  /**
   * One connection to the store: the client, the server it reaches and what this process wrote to let
   * others in. Replaced whole when a following store switches servers.
   *
   * @param embedded the server this process runs, or null
   * @param follows the port-file entry of the other process's server this link reaches, or null
   * @param served the port file this process wrote (removed on close), or null
   * @param uri what a child process connects with; may hold credentials: never log it
   */
  private record Link(EmbeddedStore embedded, MongoClient client, MongoDatabase database, String description,
      String uri, StorePortFile.Entry follows, StorePortFile.Entry served) {
    Link serving(StorePortFile.Entry entry, String newDescription) {
      return new Link(embedded, client, database, newDescription, uri, follows, entry);
    }
  }

  private final boolean local; // this machine's data folder, opened here or reached through its port file
  private final Path followedDir; // the data folder this store follows through its port file; null: never switches
  private final MongoDatabase db;
  private final Object lock = new Object();
  private volatile Link link;
  private ScheduledExecutorService backupTimer; // while this process serves, or may take over, the file
  private volatile boolean serveWanted; // serveOnLoopback was asked: a long-lived process, it may take the file over
  private volatile boolean closed;
  private boolean lossSignalled; // guarded by lock
  private final Thread follower; // null unless followedDir != null

  private Store(Link link, boolean local, Path followedDir, LossSignal signal) {
    this.link = link;
    this.local = local;
    this.followedDir = followedDir;
    this.db = followedDir == null ? link.database() : FollowingHandles.database(() -> this.link.database());
    if (followedDir != null) {
      follower = new Thread(this::follow, "store-follower");
      follower.setDaemon(true);
      follower.start();
      signal.target = this::serverLost;
    } else {
      follower = null;
    }
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
    LossSignal signal = new LossSignal();
    Store store = new Store(clientLink(dataDir, entry, signal), true, dataDir.toAbsolutePath().normalize(), signal);
    log.info("connected to {}", store.describe());
    return store;
  }

  /**
   * A client of the process that serves {@code dataDir} as {@code entry} says, logged in with the secret
   * beside the port file, checked with a ping and the indexes.
   */
  private static Link clientLink(Path dataDir, StorePortFile.Entry entry, LossSignal signal) {
    String where = "127.0.0.1:" + entry.port();
    // no secret file: a server from before the store had one, which admits anyone
    Optional<StoreSecret> secret = StoreSecret.read(dataDir);
    MongoClientSettings.Builder settings = MongoClientSettings.builder(
            settings(new ConnectionString("mongodb://" + where)))
        .applyToServerSettings(b -> b.heartbeatFrequency(FOLLOW_HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS)
            .addServerListener(signal))
        .applyToConnectionPoolSettings(b -> b.addConnectionPoolListener(signal));
    secret.ifPresent(s -> settings.credential(s.credential()));
    MongoClient client = MongoClients.create(settings.build());
    try {
      MongoDatabase database = client.getDatabase(DATABASE);
      database.runCommand(new Document("ping", 1));
      Indexes.ensure(database);
      return new Link(null, client, database,
          "embedded via store serve on " + where + " (pid " + entry.pid() + ")",
          secret.map(s -> s.uri(entry.port(), DATABASE)).orElse("mongodb://" + where + "/" + DATABASE),
          entry, null);
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
   * on 127.0.0.1), so they connect here instead of failing on the file lock. For long-running openers
   * (scheduler, console). Removed on {@link #close()}. A no-op for a remote or in-memory store; a store
   * reached through another process's port file remembers it, and serves the file itself if it ever takes
   * it over. Returns this.
   */
  public Store serveOnLoopback() {
    serveWanted = true;
    synchronized (lock) {
      if (!closed) {
        link = serveIfOwner(link);
      }
    }
    startBackupTimer();
    return this;
  }

  /**
   * The daily backup of a served store (docs/ARCHITECTURE.md §2): checked hourly, on a thread of its own so a
   * backup never delays a scheduler tick or a console view; the first check a minute after start, so a
   * process that restarts keeps its start fast. It backs up whatever this process serves at the time, so a
   * process that takes the file over from a dead server backs it up too.
   */
  private synchronized void startBackupTimer() {
    if (backupTimer != null) {
      return;
    }
    backupTimer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "store-backup");
      t.setDaemon(true);
      return t;
    });
    backupTimer.scheduleWithFixedDelay(() -> backupIfDue(Instant.now()), BACKUP_CHECK_DELAY.toSeconds(),
        BACKUP_CHECK_EVERY.toSeconds(), TimeUnit.SECONDS);
  }

  private synchronized void stopBackupTimer() {
    if (backupTimer == null) {
      return;
    }
    // decision: shutdown, not shutdownNow: an interrupt during a read on H2's own channel would close that
    // channel (ClosedByInterruptException) under the store; a backup in progress finishes first
    backupTimer.shutdown();
    try {
      backupTimer.awaitTermination(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    backupTimer = null;
  }

  /**
   * The daily backup, if due, of the store this process holds (docs/ARCHITECTURE.md §2); nothing for a client
   * of another process's store or a remote one (their holder backs up). Never throws.
   */
  public Optional<StoreBackups.BackupResult> backupIfDue(Instant now) {
    EmbeddedStore embedded = link.embedded();
    return embedded == null ? Optional.empty() : embedded.backupIfDue(now);
  }

  /**
   * Asks the process that serves {@code dataDir} (as {@code entry}) to back its store up now ({@code store
   * backup}), logged in with the secret beside the port file like any client.
   */
  static StoreBackups.BackupResult requestBackup(Path dataDir, StorePortFile.Entry entry) {
    String where = "127.0.0.1:" + entry.port();
    MongoClientSettings.Builder settings = MongoClientSettings.builder(
        settings(new ConnectionString("mongodb://" + where)));
    StoreSecret.read(dataDir).ifPresent(secret -> settings.credential(secret.credential()));
    try (MongoClient client = MongoClients.create(settings.build())) {
      long started = System.nanoTime();
      Document reply = client.getDatabase(DATABASE).runCommand(new Document(DurableH2Backend.BACKUP_COMMAND, 1));
      Path file = Path.of(reply.getString("file"));
      List<Path> removed = reply.getList("removed", String.class).stream().map(Path::of).toList();
      Instant takenAt = StoreBackups.list(file.getParent().getParent()).stream()
          .filter(b -> b.file().equals(file)).findFirst().map(StoreBackups.Backup::takenAt).orElse(Instant.now());
      return new StoreBackups.BackupResult(
          new StoreBackups.Backup(file, takenAt, reply.get("bytes", Number.class).longValue()),
          reply.get("version", Number.class).longValue(), Duration.ofNanos(System.nanoTime() - started), removed);
    } catch (MongoException e) {
      throw new UserException("The store served on " + where + " by process " + entry.pid()
          + " could not write a backup: " + e.getMessage(), e);
    }
  }

  private static Link serveIfOwner(Link current) {
    EmbeddedStore embedded = current.embedded();
    if (embedded == null || embedded.dataFileOrNull() == null || current.served() != null) {
      return current;
    }
    Path dataDir = embedded.dataFileOrNull().getParent();
    // the secret first: a client that finds the port file must find the secret of the same server
    embedded.secretOrNull().write(dataDir);
    StorePortFile.Entry entry = StorePortFile.write(dataDir, embedded.port(), Instant.now());
    String description = embedded.describe() + " served on 127.0.0.1:" + embedded.port();
    log.info("serving {} for other processes (port file {})", description, StorePortFile.path(dataDir));
    return current.serving(entry, description);
  }

  /** The loopback port other processes may use, when this process runs the embedded server. */
  public OptionalInt embeddedPort() {
    EmbeddedStore embedded = link.embedded();
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
      return new Store(ownerLink(embedded), true, null, null);
    } catch (RuntimeException e) {
      embedded.close();
      throw e;
    }
  }

  /** This process's client of its own embedded server (logged in like any other), indexes ensured. */
  private static Link ownerLink(EmbeddedStore embedded) {
    MongoClientSettings.Builder settings = MongoClientSettings.builder(
        settings(new ConnectionString("mongodb://127.0.0.1:" + embedded.port())));
    StoreSecret secret = embedded.secretOrNull();
    if (secret != null) {
      settings.credential(secret.credential());
    }
    MongoClient client = MongoClients.create(settings.build());
    try {
      MongoDatabase database = client.getDatabase(DATABASE);
      Indexes.ensure(database);
      return new Link(embedded, client, database, embedded.describe(), embedded.connectionUri(DATABASE), null, null);
    } catch (RuntimeException e) {
      client.close();
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
      MongoDatabase db = client.getDatabase(database);
      Indexes.ensure(db);
      Store store = new Store(new Link(null, client, db, "mongodb://" + hosts + "/" + database, uri.strip(), null,
          null), false, null, null);
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
    EmbeddedStore embedded = link.embedded();
    if (embedded != null) {
      embedded.sync();
    }
  }

  /** Human description without credentials: "embedded (/path/retrain.mv.db)" or "mongodb://host:port/db". */
  public String describe() {
    return link.description();
  }

  /**
   * A URI another process on this machine can connect with: the in-process server's loopback port for an
   * embedded store (with the login secret of a file store), the original URI for a remote one. It may carry
   * a password: hand it to a child through the environment (RETRAIN_MONGO_URI), never on a command line,
   * and never log it. A store that follows its data folder may change it: read it when it is needed.
   */
  public String connectionUri() {
    return link.uri();
  }

  /** True while this process runs the embedded server (opened here, or taken over from a process that died). */
  public boolean isEmbedded() {
    return link.embedded() != null;
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
    stopBackupTimer();
    Link last;
    synchronized (lock) {
      closed = true;
      lock.notifyAll(); // wakes the follower, which then stops
      last = link;
    }
    if (follower != null && follower != Thread.currentThread()) {
      try {
        // a take-over in progress finishes (and is closed by swap) before this returns, so the file is free
        follower.join(TimeUnit.SECONDS.toMillis(2 * TIMEOUT_SECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (lock) {
      last = link; // a swap may have happened while closing: close what is current
    }
    closeLink(last);
  }

  private static void closeLink(Link l) {
    if (l.served() != null) {
      // first, so no new client is sent to a server that is going away
      Path dataDir = l.embedded().dataFileOrNull().getParent();
      StorePortFile.removeOwn(dataDir, l.served());
      l.embedded().secretOrNull().removeIfOwn(dataDir);
    }
    try {
      l.client().close();
    } finally {
      if (l.embedded() != null) {
        l.embedded().close();
      }
    }
  }

  @Override
  public String toString() {
    return "Store[" + describe() + "]";
  }

  // ---- following the data folder's server ----

  /**
   * Tells the follower that the server looks gone: the driver's monitor lost it, or a connection could not be
   * opened or logged in (a new server on the same fixed port has a new secret). Only a signal: the follower
   * looks at the port file itself, since the driver also reports a server that is merely slow.
   */
  private static final class LossSignal implements ServerListener, ConnectionPoolListener {
    volatile Runnable target;

    @Override
    public void serverDescriptionChanged(ServerDescriptionChangedEvent event) {
      if (event.getPreviousDescription().isOk() && !event.getNewDescription().isOk()) {
        fire();
      }
    }

    @Override
    public void connectionCheckOutFailed(ConnectionCheckOutFailedEvent event) {
      if (event.getReason() == ConnectionCheckOutFailedEvent.Reason.CONNECTION_ERROR) {
        fire();
      }
    }

    private void fire() {
      Runnable t = target;
      if (t != null) {
        t.run();
      }
    }
  }

  private void serverLost() {
    synchronized (lock) {
      lossSignalled = true;
      lock.notifyAll();
    }
  }

  /**
   * The follower thread: on each signal, looks at the port file until the store is reachable again.
   *
   * <p>decision: when nobody serves the folder any more, a long-lived process (it asked to serve: scheduler,
   * console) takes the file over and serves it, rather than exiting for its service manager to restart it.
   * The H2 file lock lets exactly one process win; the others find its port file and follow it. This keeps a
   * scheduler started by hand, or a console, working, and the gap is a file open (well under a second)
   * instead of a restart delay and a JVM start. A short-lived command (no serve asked) never takes the file:
   * it would hold it without serving and lock the long-lived ones out; it follows a new server if one comes.
   */
  private void follow() {
    while (true) {
      synchronized (lock) {
        while (!lossSignalled && !closed) {
          if (!waitQuietly(0)) {
            return;
          }
        }
        if (closed) {
          return;
        }
        lossSignalled = false;
      }
      long retryMs = FOLLOW_RETRY_MIN_MS;
      long warnedAt = System.nanoTime() - TimeUnit.MINUTES.toNanos(1);
      while (!closed) {
        try {
          if (reattach()) {
            break;
          }
        } catch (RuntimeException e) {
          if (System.nanoTime() - warnedAt > TimeUnit.SECONDS.toNanos(30)) {
            warnedAt = System.nanoTime();
            log.warn("the store of {} is not reachable yet: {}", followedDir, e.getMessage());
          }
        }
        synchronized (lock) {
          if (!closed && !waitQuietly(retryMs)) {
            return;
          }
        }
        retryMs = Math.min(retryMs * 2, FOLLOW_RETRY_MAX_MS);
      }
    }
  }

  /** One look at the data folder: true when the store is reachable (still, or again through a new link). */
  private boolean reattach() {
    Link current = link;
    if (current.embedded() != null) {
      return true; // this process holds the file now: nothing to follow
    }
    Optional<StorePortFile.Entry> live = StorePortFile.findLive(followedDir);
    if (live.isPresent()) {
      if (live.get().equals(current.follows())) {
        return true; // its server is alive: a passing failure, which the driver recovers from by itself
      }
      swap(current, clientLink(followedDir, live.get(), signalOf()), "following");
      return true;
    }
    if (!serveWanted) {
      return false;
    }
    EmbeddedStore embedded;
    try {
      embedded = EmbeddedStore.onFile(followedDir);
    } catch (UserException e) {
      if (EmbeddedStore.isLockedFailure(e)) {
        return false; // another process got the file first; its port file follows in a moment
      }
      throw e;
    }
    Link owner;
    try {
      owner = serveIfOwner(ownerLink(embedded));
    } catch (RuntimeException e) {
      embedded.close();
      throw e;
    }
    swap(current, owner, "took over");
    return true;
  }

  private LossSignal signalOf() {
    LossSignal signal = new LossSignal();
    signal.target = this::serverLost;
    return signal;
  }

  private void swap(Link old, Link next, String how) {
    synchronized (lock) {
      if (closed || link != old) {
        closeLink(next); // closed meanwhile: nobody will use it, and the file must not stay held
        return;
      }
      link = next;
    }
    log.warn("{} the data folder's store: {} (was {})", how, next.description(), old.description());
    try {
      old.client().close();
    } catch (RuntimeException e) {
      log.debug("closing the client of the lost server: {}", e.toString());
    }
  }

  /** Waits on the lock (held by the caller); false when the follower was interrupted and should stop. */
  private boolean waitQuietly(long millis) {
    try {
      lock.wait(millis);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
