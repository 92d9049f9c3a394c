package com.retrainconsole.store;

import com.retrainconsole.common.UserException;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
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
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss'Z'").withZone(ZoneOffset.UTC);

  private final MongoServer server;
  private final MongoBackend backend;
  private final ReopeningBackend durable; // null in memory and for the stock backend
  private final Path dataFile; // null in memory
  private final StoreSecret secret; // null in memory: no authentication
  private final int port;
  private final Object backupSchedule = new Object();
  private Instant lastBackup; // newest backup this store knows of; null until first asked
  private Instant retryBackupAfter = Instant.MIN;

  private EmbeddedStore(MongoBackend backend, Path dataFile) {
    this(backend, dataFile, null, 0);
  }

  private EmbeddedStore(MongoBackend backend, Path dataFile, StoreSecret secret, int bindPort) {
    this.backend = backend;
    this.durable = backend instanceof ReopeningBackend r ? r : null;
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
    if (durable) {
      // first: the private file created below must not stand in for a data file that went missing
      StoreIntegrity.inspect(dataDir);
    }
    try {
      OwnerOnlyFiles.ensurePrivateFile(file); // before H2 opens it: H2 would create it with the umask's mode
    } catch (IOException e) {
      throw new UserException("Cannot create the data file " + file + " or make it readable by you alone (" + e
          + "); it should belong to the user running Retrain Console: fix its owner or pass another --data-dir", e);
    }
    MongoBackend backend = durable
        ? new ReopeningBackend(dataDir, () -> openDurable(dataDir))
        : openStock(dataDir, file);
    log.info("embedded store on {} ({} backend)", file, durable ? "durable" : "stock H2");
    return new EmbeddedStore(backend, file, StoreSecret.random(), port);
  }

  private static DurableH2Backend openDurable(Path dataDir) {
    try {
      return DurableH2Backend.open(dataDir);
    } catch (MVStoreException e) {
      throw openFailure(e, dataDir, dataFile(dataDir));
    }
  }

  private static H2Backend openStock(Path dataDir, Path file) {
    try {
      return new H2Backend(file.toString());
    } catch (MVStoreException e) {
      throw openFailure(e, dataDir, file);
    }
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
    if (durable != null) {
      durable.sync();
    }
  }

  /** A backup of the open store now (docs/ARCHITECTURE.md §2); writers wait only while its bytes are copied. */
  StoreBackups.BackupResult backup(Instant takenAt) {
    if (durable == null) {
      throw new UserException("Only the durable embedded store on a data folder keeps backups");
    }
    StoreBackups.BackupResult result = durable.backup(takenAt);
    synchronized (backupSchedule) {
      lastBackup = takenAt;
    }
    return result;
  }

  /**
   * The daily backup: written when the newest backup is {@link StoreBackups#EVERY} old or there is none. Never
   * throws: a failure is logged and tried again an hour later (the store itself keeps working).
   */
  Optional<StoreBackups.BackupResult> backupIfDue(Instant now) {
    if (durable == null) {
      return Optional.empty();
    }
    synchronized (backupSchedule) {
      if (lastBackup == null) {
        lastBackup = StoreBackups.list(dataFile.getParent()).stream().findFirst()
            .map(StoreBackups.Backup::takenAt).orElse(Instant.MIN);
      }
      if (now.isBefore(retryBackupAfter) || (lastBackup != Instant.MIN
          && now.isBefore(lastBackup.plus(StoreBackups.EVERY)))) {
        return Optional.empty();
      }
      try {
        return Optional.of(backup(now));
      } catch (RuntimeException e) {
        retryBackupAfter = now.plus(Duration.ofHours(1));
        log.warn("daily backup of {} failed ({}); next try in an hour", dataFile, DurableH2Backend.rootCause(e));
        return Optional.empty();
      }
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
   * commit, so a busy file grows by tens of KB per write until compacted (docs/ARCHITECTURE.md §2). A damaged
   * file is refused (compacting it would make its loss permanent); a backup is written first.
   */
  public static CompactionResult compact(Path dataDir) {
    Path file = dataFile(dataDir);
    StoreBackups.BackupResult backup = backupClosed(dataDir, Instant.now(), "compact");
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
    resetWatermark(dataDir, file);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    long after = sizeOf(file);
    log.info("compacted {}: {} -> {} bytes in {} ms", file, before, after, took.toMillis());
    return new CompactionResult(file, before, after, took, backup);
  }

  /**
   * A backup of the store of {@code dataDir}: asked of the process that serves it (through its port file), or
   * taken from the closed file here after checking it is not damaged (a damaged file must not push a good
   * backup out of the rotation).
   *
   * <p>A store-level file operation: it needs no role beyond the OS permissions on the data folder, since
   * whoever can read the folder can copy the file anyway.
   */
  public static StoreBackups.BackupResult backup(Path dataDir) {
    Optional<StorePortFile.Entry> live = StorePortFile.findLive(dataDir);
    if (live.isPresent()) {
      return Store.requestBackup(dataDir, live.get());
    }
    return backupClosed(dataDir, Instant.now(), "back up");
  }

  private static StoreBackups.BackupResult backupClosed(Path dataDir, Instant takenAt, String purpose) {
    long started = System.nanoTime();
    long version = verifyClosed(dataDir, purpose);
    return StoreBackups.write(dataDir, dataFile(dataDir), version, takenAt, started);
  }

  /** Opens the closed file read-only with the integrity check; returns the commit it holds. */
  private static long verifyClosed(Path dataDir, String purpose) {
    Path file = dataFile(dataDir);
    StoreIntegrity integrity = StoreIntegrity.inspect(dataDir);
    if (!Files.isRegularFile(file) || sizeOf(file) == 0) {
      throw new UserException(
          "There is no data file " + file + " to " + purpose + "; check --data-dir (it should be the folder that"
              + " holds " + DATA_FILE_NAME + ")");
    }
    MVStore store;
    try {
      store = new MVStore.Builder().fileName(file.toString()).readOnly().open();
    } catch (MVStoreException e) {
      throw openFailure(e, dataDir, file);
    }
    try {
      integrity.verifyOpened(store);
      return store.getCurrentVersion();
    } finally {
      store.close();
    }
  }

  /** After the file was replaced as a whole: the watermark describes the new file. */
  private static void resetWatermark(Path dataDir, Path file) {
    StoreFileHeader.Opened opened = StoreFileHeader.open(file);
    CommitWatermark.reset(dataDir, opened.header().created(), opened.version());
  }

  /**
   * Puts the backup {@code from} in place of the data file of {@code dataDir}. The file it replaces is kept as
   * {@code retrain.mv.db.before-restore-<time>}, never deleted. Refused while a process serves or holds the
   * file.
   *
   * <p>A store-level file operation, like compaction: it needs no role check beyond the OS permissions on the
   * data folder (whoever may write there can replace the file by hand), and it cannot pass access.Operations,
   * which needs the store open.
   */
  public static RestoreResult restore(Path dataDir, Path from) {
    Path dir = dataDir.toAbsolutePath().normalize();
    Path file = dataFile(dir);
    Path source = from.toAbsolutePath().normalize();
    StorePortFile.findLive(dir).ifPresent(e -> {
      throw new UserException("The store in " + dir + " is served by process " + e.pid() + " on 127.0.0.1:"
          + e.port() + "; stop it (SIGTERM, or systemctl stop retrain-scheduler) before restoring");
    });
    if (!Files.isRegularFile(source)) {
      throw new UserException("There is no file " + source + " to restore from; the backups are in "
          + StoreBackups.folder(dir) + " (retrain-console store backup --list shows them)");
    }
    if (source.equals(file)) {
      throw new UserException(source + " is the data file itself; pass a backup with --from");
    }
    long version;
    long created;
    try {
      StoreFileHeader.Opened opened = StoreFileHeader.open(source);
      version = opened.version();
      created = opened.header().created();
    } catch (MVStoreException e) {
      throw new UserException(source + " is not a store H2 can open (" + DurableH2Backend.rootCause(e)
          + "); pick another backup in " + StoreBackups.folder(dir), e);
    }
    Instant now = Instant.now();
    Path aside = null;
    try {
      Files.createDirectories(dir);
      if (Files.exists(file)) {
        refuseIfOpen(dir, file);
        aside = file.resolveSibling(DATA_FILE_NAME + ".before-restore-" + STAMP.format(now));
        Files.move(file, aside);
      }
      Path temp = file.resolveSibling("." + DATA_FILE_NAME + ".restore.tmp");
      Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING);
      OwnerOnlyFiles.restrict(temp);
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      StoreBackups.fsyncFolder(dir);
      CommitWatermark.reset(dir, created, version);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restore " + source + " to " + file + ": " + e.getMessage()
          + (aside == null ? "" : "; the file it was replacing is at " + aside), e);
    }
    log.info("restored {} from {} (commit {}); the previous file is {}", file, source, version, aside);
    return new RestoreResult(source, file, aside, version, sizeOf(file));
  }

  /**
   * H2 holds an exclusive lock on the open file; taking it here proves no other process has the file open. Only
   * for a process that does not hold the store itself: closing this channel would drop its own H2 lock (Linux).
   */
  private static void refuseIfOpen(Path dataDir, Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new UserException("The data folder " + dataDir
            + " is in use by another Retrain Console process; close it before restoring");
      }
      lock.release();
    }
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
    return new DamagedStoreException(dataDir, "The data file " + file + " cannot be read: " + e.getMessage(), e);
  }

  /** Outcome of {@link #restore(Path, Path)}; {@code keptAside} is null when there was no file to replace. */
  public record RestoreResult(Path from, Path file, Path keptAside, long version, long bytes) {}

  /** Outcome of {@link #compact(Path)}, with the backup written before it. */
  public record CompactionResult(Path file, long bytesBefore, long bytesAfter, Duration took,
      StoreBackups.BackupResult backup) {
    @Override
    public String toString() {
      return String.format(
          "%s: %,d -> %,d bytes in %d ms", file, bytesBefore, bytesAfter, took.toMillis());
    }
  }
}
