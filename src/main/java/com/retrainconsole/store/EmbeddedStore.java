package com.retrainconsole.store;

import com.retrainconsole.common.UserException;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process MongoDB wire-protocol server (mongo-java-server) on 127.0.0.1 and an ephemeral port:
 * either on the H2 file {@code <dataDir>/retrain.mv.db} (durable backend) or in memory.
 *
 * <p>The file store admits only clients that authenticate with its {@link StoreSecret} (SCRAM-SHA-256, see
 * {@link AuthenticatingBackend}): the port is reachable by every account on the machine. decision: the
 * in-memory store stays open: only tests and benchmarks use it, it holds nothing of a user's, and tests hand
 * its plain URI around (the console refuses to save a URI with a password in it).
 */
public final class EmbeddedStore implements AutoCloseable {
  public static final String DATA_FILE_NAME = "retrain.mv.db";

  private static final Logger log = LoggerFactory.getLogger(EmbeddedStore.class);

  private final MongoServer server;
  private final MongoBackend backend;
  private final Path dataFile; // null in memory
  private final StoreSecret secret; // null in memory: no authentication
  private final int port;

  private EmbeddedStore(MongoBackend backend, Path dataFile) {
    this(backend, dataFile, null, 0);
  }

  private EmbeddedStore(MongoBackend backend, Path dataFile, StoreSecret secret, int bindPort) {
    this.backend = backend;
    this.dataFile = dataFile;
    this.secret = secret;
    this.server = new MongoServer(secret == null ? backend : new AuthenticatingBackend(backend, secret,
        StoreSecret.path(dataFile.getParent()) + " (readable by the data folder's owner only)"));
    try {
      server.bind("127.0.0.1", bindPort);
    } catch (RuntimeException e) {
      backend.close();
      if (bindPort != 0) {
        throw new UserException("Cannot listen on 127.0.0.1:" + bindPort + " (" + e.getMessage()
            + "); the port is probably in use: pick another with --port or leave it out for a free one", e);
      }
      throw e;
    }
    this.port = server.getLocalAddress().getPort();
  }

  static EmbeddedStore inMemory() {
    return new EmbeddedStore(new MemoryBackend(), null);
  }

  /** The durable file store every user of the app gets. */
  static EmbeddedStore onFile(Path dataDir) {
    return onFile(dataDir, true);
  }

  /**
   * @param durable false only for benchmarks and the demonstration that the stock backend loses writes
   */
  static EmbeddedStore onFile(Path dataDir, boolean durable) {
    return onFile(dataDir, durable, 0);
  }

  /** @param port the loopback port to listen on, 0 for a free one */
  static EmbeddedStore onFile(Path dataDir, boolean durable, int port) {
    Path file = dataFile(dataDir);
    OwnerOnlyFiles.ensurePrivateFolder(file.getParent());
    try {
      OwnerOnlyFiles.ensurePrivateFile(file); // before H2 opens it: H2 would create it with the umask's mode
    } catch (IOException e) {
      throw new UserException("Cannot create the data file " + file + " or make it readable by you alone (" + e
          + "); it should belong to the user running Retrain Console: fix its owner or pass another --data-dir", e);
    }
    MongoBackend backend;
    try {
      backend = durable ? DurableH2Backend.open(file.toString()) : new H2Backend(file.toString());
    } catch (MVStoreException e) {
      throw openFailure(e, dataDir, file);
    }
    log.info("embedded store on {} ({} backend)", file, durable ? "durable" : "stock H2");
    return new EmbeddedStore(backend, file, StoreSecret.random(), port);
  }

  public static Path dataFile(Path dataDir) {
    return dataDir.toAbsolutePath().normalize().resolve(DATA_FILE_NAME);
  }

  int port() {
    return port;
  }

  /** The secret clients must log in with; null for the in-memory store, which admits anyone. */
  StoreSecret secretOrNull() {
    return secret;
  }

  /**
   * What another process connects with: with the secret for the file store (so it holds a password: hand it
   * over through the environment, never log it), plain for the in-memory one.
   */
  String connectionUri(String database) {
    return secret == null ? "mongodb://127.0.0.1:" + port + "/" + database : secret.uri(port, database);
  }

  String describe() {
    return dataFile == null ? "embedded (in memory)" : "embedded (" + dataFile + ")";
  }

  Path dataFileOrNull() {
    return dataFile;
  }

  /** Forces committed data to disk; a no-op in memory and for the stock backend. */
  void sync() {
    if (backend instanceof DurableH2Backend durable) {
      durable.sync();
    }
  }

  @Override
  public void close() {
    // shutdownNow closes the backend too (commit + MVStore close: the file lock is released here)
    server.shutdownNow();
  }

  /**
   * Full offline compaction of {@code <dataDir>/retrain.mv.db}: rewrites the live data, drops every stale
   * chunk. Needs the store closed (no process may have it open). The durable backend appends a chunk per
   * commit, so a busy file grows by tens of KB per write until compacted (docs/ARCHITECTURE.md §2).
   */
  public static CompactionResult compact(Path dataDir) {
    Path file = dataFile(dataDir);
    if (!Files.isRegularFile(file)) {
      throw new UserException(
          "There is no data file " + file + " to compact; check --data-dir (it should be the folder that"
              + " holds " + DATA_FILE_NAME + ")");
    }
    long before = sizeOf(file);
    long start = System.nanoTime();
    // H2 writes the compacted copy as a new file with the umask's mode: the private folder covers that
    // moment, and the copy is made private again below
    OwnerOnlyFiles.ensurePrivateFolder(file.getParent());
    try {
      // -1: unlimited time for housekeeping on close, i.e. a full compaction
      MVStore.open(file.toString()).close(-1);
    } catch (MVStoreException e) {
      throw openFailure(e, dataDir, file);
    }
    try {
      OwnerOnlyFiles.ensurePrivateFile(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make the compacted " + file + " readable by its owner alone", e);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    long after = sizeOf(file);
    log.info("compacted {}: {} -> {} bytes in {} ms", file, before, after, took.toMillis());
    return new CompactionResult(file, before, after, took);
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean isLockedFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MVStoreException m && m.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
        return true;
      }
    }
    return false;
  }

  private static UserException openFailure(MVStoreException e, Path dataDir, Path file) {
    if (e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
      return new UserException(
          "The data folder "
              + dataDir.toAbsolutePath().normalize()
              + " is in use by another Retrain Console process; close it or pass a different --data-dir",
          e);
    }
    return new UserException(
        "Cannot open the data file " + file + ": " + e.getMessage()
            + "; if it is damaged, restore it from a backup or pass a different --data-dir",
        e);
  }

  /** Outcome of {@link #compact(Path)}. */
  public record CompactionResult(Path file, long bytesBefore, long bytesAfter, Duration took) {
    @Override
    public String toString() {
      return String.format(
          "%s: %,d -> %,d bytes in %d ms", file, bytesBefore, bytesAfter, took.toMillis());
    }
  }
}
