package com.retrainconsole.store;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerException;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;

/**
 * H2 backend that acknowledges a write only after it is committed to the file.
 *
 * <p>Why: the stock H2Backend commits on a 1 s background timer, so {@code kill -9} loses acknowledged
 * writes and can leave a unique index out of step with its collection (docs/ARCHITECTURE.md §2). Here the MVStore has
 * auto-commit off, every write command runs under one lock, and {@code commit()} runs before the reply
 * leaves {@link #handleCommand}. A commit writes to the OS (survives a process crash); {@link #sync()}
 * additionally fsyncs (survives power loss).
 *
 * <p>Reads take no lock: MVStore maps are safe for concurrent readers, and a reader sees the writer's
 * change as soon as it is in the map, as with the stock backend.
 */
final class DurableH2Backend extends H2Backend {
  /**
   * Commands known not to change data. decision: an allow-list of reads rather than a list of writes, so a
   * write command we did not think of (renameCollection, dropIndexes, create, …) is committed rather than
   * silently left to chance; committing after a command that changed nothing is a cheap no-op.
   */
  private static final Set<String> READ_COMMANDS =
      Set.of(
          "find", "getmore", "count", "distinct", "listcollections", "listindexes", "listdatabases",
          "ping", "hello", "ismaster", "buildinfo", "whatsmyuri", "serverstatus", "dbstats", "collstats",
          "hostinfo", "getlog", "getcmdlineopts", "getparameter", "connectionstatus", "killcursors",
          "endsessions", "getlasterror", "getfreemonitoringstatus", "currentop", "validate");

  /** A command only this app sends: back the store up now (what {@code store backup} asks a serving process). */
  static final String BACKUP_COMMAND = "retrainConsoleBackup";
  private static final int COPY_BLOCK = 1 << 20;

  private final ReentrantLock writeLock = new ReentrantLock();
  private final Object backupLock = new Object();
  private final Path dataDir;
  private final Path file;
  private final CommitWatermark mark;
  private volatile boolean closing;

  private DurableH2Backend(MVStore mvStore, Path dataDir, CommitWatermark mark) {
    super(mvStore);
    this.dataDir = dataDir;
    this.file = EmbeddedStore.dataFile(dataDir);
    this.mark = mark;
  }

  /**
   * Opens (or creates) {@code <dataDir>/retrain.mv.db} with auto-commit off (commits are ours alone), after
   * checking it is the store this folder held ({@link StoreIntegrity}).
   *
   * @throws DamagedStoreException when it is not
   * @throws MVStoreException when H2 cannot open it (locked, unreadable)
   */
  static DurableH2Backend open(Path dataDir) {
    StoreIntegrity integrity = StoreIntegrity.inspect(dataDir);
    Path file = EmbeddedStore.dataFile(dataDir);
    MVStore mvStore = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
    CommitWatermark mark = null;
    try {
      integrity.verifyOpened(mvStore);
      long version = mvStore.getCurrentVersion();
      if (integrity.isNewStore()) {
        // decision: only a file this process created; an existing one keeps the modes its owner gave it
        OwnerOnlyFiles.restrict(file);
      }
      // decision: one fsync per open, so the watermark may record this state as on disk from the start
      mvStore.sync();
      mark = CommitWatermark.open(dataDir, StoreFileHeader.of(mvStore).created(), version);
      return new DurableH2Backend(mvStore, dataDir.toAbsolutePath().normalize(), mark);
    } catch (IOException e) {
      mvStore.closeImmediately();
      throw new UncheckedIOException("cannot set the permissions of " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      if (mark != null) {
        mark.close();
      }
      mvStore.closeImmediately();
      throw e;
    }
  }

  @Override
  public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
    if (BACKUP_COMMAND.equalsIgnoreCase(command)) {
      // decision: anyone who reaches the loopback port may already read and write every collection; a backup
      // adds a file under the data folder's owner-only permissions and nothing more
      return backupReply(backup(Instant.now()));
    }
    if (isRead(command, query)) {
      return super.handleCommand(channel, databaseName, command, query);
    }
    writeLock.lock();
    try {
      return super.handleCommand(channel, databaseName, command, query);
    } finally {
      // Also after a failed command: an ordered insertMany may have written part of its batch. If the
      // commit itself fails (disk full) its exception replaces the reply, so the client is not told "ok".
      try {
        commit();
      } finally {
        writeLock.unlock();
      }
    }
  }

  /** Commits, records the commit in the watermark, and turns a failed write into a message that says why. */
  @Override
  public void commit() {
    long version;
    try {
      version = getMvStore().commit();
    } catch (MVStoreException e) {
      throw new MongoServerException("The store could not save this write to " + file + " (" + rootCause(e)
          + "); nothing of it was kept. Free disk space if the disk is full: the store reopens the file by"
          + " itself at the next request once it can", e);
    }
    if (version >= 0) {
      mark.committed(version);
    }
  }

  /** True when H2 closed the file after a failed write (it refuses everything after that). */
  boolean hasFailed() {
    return !closing && getMvStore().isClosed();
  }

  /** Why H2 closed the file, for messages and the log. */
  String failure() {
    MVStoreException panic = getMvStore().getPanicException();
    return panic == null ? "the file was closed" : rootCause(panic);
  }

  /** Releases the file after a failure, so it can be opened again; writes nothing. */
  void closeAfterFailure() {
    closing = true;
    try {
      getMvStore().closeImmediately();
    } finally {
      mark.close();
    }
  }

  static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null ? root.getClass().getSimpleName() : message;
  }

  static boolean isRead(String command, Document query) {
    String name = command.toLowerCase(Locale.ROOT);
    if (name.equals("aggregate")) {
      return !writesOutput(query.get("pipeline"));
    }
    return READ_COMMANDS.contains(name);
  }

  private static boolean writesOutput(Object pipeline) {
    if (!(pipeline instanceof List<?> stages)) {
      return true; // unknown shape: treat as a write, the safe side
    }
    for (Object stage : stages) {
      if (stage instanceof Document document
          && (document.containsKey("$out") || document.containsKey("$merge"))) {
        return true;
      }
    }
    return false;
  }

  /** Commits pending changes and forces the file to disk (power-loss safe up to this point). */
  void sync() {
    writeLock.lock();
    try {
      commit();
      getMvStore().sync();
      mark.synced(getMvStore().getCurrentVersion());
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * A backup of the current state into {@code <data-dir>/backups} ({@link StoreBackups}). Writers wait only
   * while the file's bytes are copied to a snapshot beside the backups; the compaction into the backup reads
   * the snapshot. Readers never wait.
   */
  StoreBackups.BackupResult backup(Instant takenAt) {
    synchronized (backupLock) {
      long started = System.nanoTime();
      Path snapshot;
      try {
        // decision: a backup must never be what fills the disk under the store: the snapshot and the backup
        // together take at most twice the file, plus the room a few commits need
        long needed = 2 * getMvStore().getFileStore().size() + ReopeningBackend.MIN_FREE_BYTES;
        long free = Files.getFileStore(dataDir).getUsableSpace();
        if (free < needed) {
          throw new IllegalStateException("only " + free + " bytes are free beside " + file + ", a backup needs "
              + needed);
        }
        snapshot = StoreBackups.createFolder(dataDir)
            .resolve(".snapshot-" + ProcessHandle.current().pid() + "-" + started + ".tmp");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create " + StoreBackups.folder(dataDir) + ": " + e.getMessage(), e);
      }
      try {
        long version = snapshot(snapshot);
        return StoreBackups.write(dataDir, snapshot, version, takenAt, started);
      } finally {
        StoreBackups.deleteQuietly(snapshot);
      }
    }
  }

  /**
   * Copies the file as it is after a commit, through H2's own channel (a second channel would be refused by
   * Windows' file lock), while no write can start. Returns the commit the copy holds.
   */
  private long snapshot(Path to) {
    writeLock.lock();
    try (FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      OwnerOnlyFiles.restrict(to);
      commit();
      FileStore<?> store = getMvStore().getFileStore();
      long size = store.size();
      for (long pos = 0; pos < size; pos += COPY_BLOCK) {
        ByteBuffer block = store.readFully(null, pos, (int) Math.min(COPY_BLOCK, size - pos));
        while (block.hasRemaining()) {
          out.write(block);
        }
      }
      return getMvStore().getCurrentVersion();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + file + " to " + to + ": " + e.getMessage(), e);
    } finally {
      writeLock.unlock();
    }
  }

  private static Document backupReply(StoreBackups.BackupResult r) {
    Document reply = new Document("file", r.backup().file().toString());
    reply.put("bytes", r.backup().bytes());
    reply.put("version", r.version());
    reply.put("millis", r.took().toMillis());
    reply.put("removed", r.removed().stream().map(Path::toString).toList());
    reply.put("ok", 1.0);
    return reply;
  }

  @Override
  public void close() {
    writeLock.lock();
    closing = true;
    try {
      if (getMvStore().isClosed()) {
        return; // closed by a failed write: nothing left to save
      }
      commit();
      super.close(); // H2 writes its clean-close header and forces the file
      mark.synced(getMvStore().getCurrentVersion());
    } finally {
      mark.close();
      writeLock.unlock();
    }
  }
}
