package com.retrainconsole.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether {@code <data-dir>/retrain.mv.db} is the store this folder held (docs/ARCHITECTURE.md §2). H2 itself
 * opens a file whose end is missing at the newest commit it can still read, and a 0-byte file as a new empty
 * store, both silently. Checked here, before and right after H2 opens the file:
 *
 * <ul>
 *   <li>a missing or 0-byte file where the watermark (or a backup) says a store existed is refused;
 *   <li>a file that opens at an older commit than the one its watermark last recorded as forced to disk, or
 *       than its own header recorded at a clean close, is refused;
 *   <li>one older than a commit that only reached the OS is refused while the machine has not restarted since
 *       (the OS had those bytes, so the file was cut); after a restart, commits after the last sync were never
 *       promised to survive power loss, so it opens with a warning.
 * </ul>
 */
final class StoreIntegrity {
  private static final Logger log = LoggerFactory.getLogger(StoreIntegrity.class);

  private final Path dataDir;
  private final Path file;
  private final Optional<CommitWatermark.Mark> mark;
  private final boolean existed; // the file held something before H2 opened it

  private StoreIntegrity(Path dataDir, Path file, Optional<CommitWatermark.Mark> mark, boolean existed) {
    this.dataDir = dataDir;
    this.file = file;
    this.mark = mark;
    this.existed = existed;
  }

  /**
   * Looks at the file before H2 opens it.
   *
   * @throws DamagedStoreException when the file is missing or empty although a store existed here
   */
  static StoreIntegrity inspect(Path dataDir) {
    Path dir = dataDir.toAbsolutePath().normalize();
    Path file = EmbeddedStore.dataFile(dir);
    Optional<CommitWatermark.Mark> mark = CommitWatermark.read(dir);
    try {
      if (!Files.exists(file)) {
        if (mark.isPresent()) {
          throw new DamagedStoreException(dir, "The data file " + file + " is missing, but "
              + CommitWatermark.path(dir) + " records a store with " + mark.get().committed()
              + " commits there (deleted or moved?)");
        }
        return new StoreIntegrity(dir, file, mark, false); // a new data folder
      }
      if (Files.size(file) == 0) {
        if (mark.isPresent() || !StoreBackups.list(dir).isEmpty()) {
          throw new DamagedStoreException(dir, "The data file " + file + " is empty (0 bytes), but "
              + (mark.isPresent()
                  ? CommitWatermark.path(dir) + " records a store with " + mark.get().committed() + " commits there"
                  : "backups of a store exist in " + StoreBackups.folder(dir)));
        }
        // nothing says a store was ever here: a first start that stopped before H2 wrote its header
        log.warn("{} is empty and nothing records a store there; it is opened as a new store", file);
        return new StoreIntegrity(dir, file, mark, false);
      }
      return new StoreIntegrity(dir, file, mark, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** True when H2 is about to create the store (no file, or an empty one nothing records a store for). */
  boolean isNewStore() {
    return !existed;
  }

  /**
   * Checks the file H2 has just opened (before its first commit): the commit it opened at against its own header
   * and the watermark.
   *
   * @throws DamagedStoreException when commits that were written are missing from the file
   */
  void verifyOpened(MVStore store) {
    if (!existed) {
      return; // a new store: nothing was written before
    }
    long opened = store.getCurrentVersion();
    StoreFileHeader h = StoreFileHeader.of(store);
    Optional<CommitWatermark.Mark> same = mark.filter(m -> m.created() == h.created());
    if (mark.isPresent() && same.isEmpty()) {
      // decision: a different H2 file put in place by hand (e.g. a backup copied over it) is accepted as that
      // file; the watermark starts over from it. Rolling back this very file is what is refused.
      log.warn("{} is not the file {} describes (created {} vs {}); its watermark starts over", file,
          CommitWatermark.path(dataDir), Long.toHexString(h.created()), Long.toHexString(mark.get().created()));
    }
    if (same.isPresent() && opened < same.get().synced()) {
      throw cutShort(opened, same.get().synced(), "was forced to disk (" + CommitWatermark.path(dataDir) + ")");
    }
    if (h.clean() && opened < h.version()) {
      throw cutShort(opened, h.version(), "was recorded in its own header when it was closed cleanly");
    }
    long written = Math.max(h.version(), same.map(CommitWatermark.Mark::committed).orElse(0L));
    if (opened < written) {
      if (same.isPresent() && same.get().writtenThisBoot()) {
        throw cutShort(opened, written, "was written to it (" + CommitWatermark.path(dataDir)
            + ") and the machine has not restarted since");
      }
      log.warn("{} opens at commit {}, but commit {} had been written before the machine restarted; the commits"
          + " after the last forced write were lost with the power", file, opened, written);
    }
  }

  private DamagedStoreException cutShort(long opened, long expected, String how) {
    return new DamagedStoreException(dataDir, "The data file " + file + " is damaged: it opens at commit " + opened
        + ", but commit " + expected + " " + how + ", so its end is missing (truncated, cut short by a copy, or"
        + " replaced by an older copy of itself)");
  }
}
