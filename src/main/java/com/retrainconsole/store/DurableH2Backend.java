package com.retrainconsole.store;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.h2.mvstore.MVStore;

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

  private final ReentrantLock writeLock = new ReentrantLock();

  private DurableH2Backend(MVStore mvStore) {
    super(mvStore);
  }

  /** Opens (or creates) the file with auto-commit off; commits are ours alone. */
  static DurableH2Backend open(String fileName) {
    MVStore mvStore = new MVStore.Builder().fileName(fileName).autoCommitDisabled().open();
    try {
      return new DurableH2Backend(mvStore);
    } catch (RuntimeException e) {
      mvStore.closeImmediately();
      throw e;
    }
  }

  @Override
  public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
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
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public void close() {
    writeLock.lock();
    try {
      commit();
      super.close();
    } finally {
      writeLock.unlock();
    }
  }
}
