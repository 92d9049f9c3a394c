package com.retrainconsole.store;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoSilentServerException;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable backend behind the embedded server, reopened when a failed write closed it.
 *
 * <p>Why: when a commit cannot be written (disk full, I/O error) H2 closes the whole store and refuses every
 * later request, so a process serving the store answered every client with "This store is closed" until it
 * was restarted, long after space was back. Here the next request after such a failure reopens the file
 * (with the integrity check, which finds exactly the commits acknowledged before the failure) and carries on
 * on the same port, so clients recover by themselves. While the disk has almost no free space the reopen is
 * not tried and requests get a one-line reason instead; after any other failure it is tried at most once per
 * {@link #RETRY} interval.
 */
final class ReopeningBackend implements MongoBackend {
  static final long MIN_FREE_BYTES = 4L << 20;
  static final java.time.Duration RETRY = java.time.Duration.ofSeconds(1);
  private static final Logger log = LoggerFactory.getLogger(ReopeningBackend.class);

  private final Supplier<DurableH2Backend> opener;
  private final Path file;
  private final Object reopenLock = new Object();
  private volatile DurableH2Backend current;
  private volatile boolean closed;
  private long nextAttemptNanos;
  private String lastReason;
  private volatile MongoVersion version;

  ReopeningBackend(Path dataDir, Supplier<DurableH2Backend> opener) {
    this.opener = opener;
    this.file = EmbeddedStore.dataFile(dataDir);
    this.current = opener.get();
  }

  /** The backend to use now; reopens the file first if a failed write closed it. */
  DurableH2Backend live() {
    DurableH2Backend backend = current;
    if (!backend.hasFailed() || closed) {
      return backend;
    }
    synchronized (reopenLock) {
      backend = current;
      if (!backend.hasFailed() || closed) {
        return backend;
      }
      String failure = backend.failure();
      long free = usableSpace();
      if (free >= 0 && free < MIN_FREE_BYTES) {
        throw unavailable(failure + "; " + free + " bytes free on its disk: free some space, the store reopens by"
            + " itself at the first request after that");
      }
      if (System.nanoTime() < nextAttemptNanos) {
        throw unavailable(failure + "; " + (lastReason == null ? "reopening it" : "reopening failed: " + lastReason)
            + ", retrying");
      }
      nextAttemptNanos = System.nanoTime() + RETRY.toNanos();
      backend.closeAfterFailure();
      try {
        DurableH2Backend reopened = opener.get();
        if (version != null) {
          reopened.version(version);
        }
        current = reopened;
        lastReason = null;
        log.warn("reopened {} after a failed write ({}); acknowledged writes are all there", file, failure);
        return reopened;
      } catch (RuntimeException e) {
        lastReason = DurableH2Backend.rootCause(e);
        log.warn("cannot reopen {} yet: {}", file, lastReason);
        throw unavailable(failure + "; reopening failed: " + lastReason + ", retrying");
      }
    }
  }

  private MongoSilentServerException unavailable(String why) {
    return new MongoSilentServerException("The store file " + file + " is closed after a failed write: " + why);
  }

  private long usableSpace() {
    try {
      return Files.getFileStore(file.getParent()).getUsableSpace();
    } catch (IOException e) {
      return -1;
    }
  }

  StoreBackups.BackupResult backup(Instant takenAt) {
    return live().backup(takenAt);
  }

  void sync() {
    live().sync();
  }

  @Override
  public Document handleMessage(MongoMessage message) {
    return live().handleMessage(message);
  }

  @Override
  public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
    return live().handleCommand(channel, databaseName, command, query);
  }

  @Override
  public QueryResult handleQuery(MongoQuery query) {
    return live().handleQuery(query);
  }

  @Override
  public void handleClose(Channel channel) {
    current.handleClose(channel);
  }

  @Override
  public void dropDatabase(String databaseName) {
    live().dropDatabase(databaseName);
  }

  @Override
  public Collection<Document> getCurrentOperations(MongoQuery query) {
    return live().getCurrentOperations(query);
  }

  @Override
  public Document getServerStatus() {
    return live().getServerStatus();
  }

  @Override
  public void closeCursors(List<Long> cursorIds) {
    current.closeCursors(cursorIds);
  }

  @Override
  public Clock getClock() {
    return current.getClock();
  }

  @Override
  public void enableOplog() {
    current.enableOplog();
  }

  @Override
  public void disableOplog() {
    current.disableOplog();
  }

  @Override
  public MongoDatabase resolveDatabase(String database) {
    return live().resolveDatabase(database);
  }

  @Override
  public MongoBackend version(MongoVersion version) {
    this.version = version;
    current.version(version);
    return this;
  }

  @Override
  public void close() {
    synchronized (reopenLock) {
      closed = true;
      DurableH2Backend backend = current;
      if (backend.hasFailed()) {
        backend.closeAfterFailure();
      } else {
        backend.close();
      }
    }
  }
}
