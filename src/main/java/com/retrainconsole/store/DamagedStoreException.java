package com.retrainconsole.store;

import com.retrainconsole.common.UserException;
import java.nio.file.Path;

/**
 * The data file is not the store this folder held: missing, empty, cut short or unreadable. Nothing was opened or
 * changed; the message names the file, what is wrong and the newest backup that opens, with the command that
 * restores it.
 */
public final class DamagedStoreException extends UserException {
  DamagedStoreException(Path dataDir, String problem, Throwable cause) {
    super(problem + "; nothing was changed. " + advice(dataDir), cause);
  }

  DamagedStoreException(Path dataDir, String problem) {
    this(dataDir, problem, null);
  }

  private static String advice(Path dataDir) {
    Path dir = dataDir.toAbsolutePath().normalize();
    return StoreBackups.latestGood(dir)
        .map(b -> "Restore the last good backup " + b.file() + " (taken " + b.takenAt() + ") with: retrain-console"
            + " store restore --data-dir " + dir + " --from " + b.file() + " (the damaged file is kept beside it)")
        .orElse("There is no backup that opens in " + StoreBackups.folder(dir) + ": restore your own copy with:"
            + " retrain-console store restore --data-dir " + dir + " --from FILE, or move "
            + EmbeddedStore.DATA_FILE_NAME + " and " + CommitWatermark.FILE_NAME + " aside to start an empty store");
  }
}
