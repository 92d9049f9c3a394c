package com.retrainconsole.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.h2.mvstore.MVStoreTool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <data-dir>/backups/retrain-<UTC time>.mv.db}: rolling copies of the embedded store, the newest
 * {@value #KEEP} kept (docs/ARCHITECTURE.md §2). A backup is a compacted copy of one committed state (H2's
 * own copy of the live pages), so it is a fraction of the data file's size; it is written under a hidden temp
 * name, opened once to check it holds that state, then moved into place (owner-only permissions), so a file
 * with the final name is always whole. Written by the process that holds the store at most once a day,
 * by {@code store backup} and before {@code store compact}.
 */
public final class StoreBackups {
  public static final String FOLDER_NAME = "backups";
  public static final int KEEP = 7;
  public static final Duration EVERY = Duration.ofDays(1);
  // no backup runs this long: a temp file older than this was left by a process that stopped mid-backup
  private static final Duration STALE_TEMP = Duration.ofHours(6);

  private static final Logger log = LoggerFactory.getLogger(StoreBackups.class);
  private static final String PREFIX = "retrain-";
  private static final String SUFFIX = ".mv.db";
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private StoreBackups() {}

  /** One backup file and when it was taken (from its name). */
  public record Backup(Path file, Instant takenAt, long bytes) {}

  /** Outcome of writing a backup: the new file, the store commit it holds, and the old backups removed. */
  public record BackupResult(Backup backup, long version, Duration took, List<Path> removed) {}

  public static Path folder(Path dataDir) {
    return dataDir.toAbsolutePath().normalize().resolve(FOLDER_NAME);
  }

  /** The backups of {@code dataDir}, newest first; temp files of a backup in progress are not listed. */
  public static List<Backup> list(Path dataDir) {
    Path folder = folder(dataDir);
    List<Backup> backups = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, PREFIX + "*" + SUFFIX)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        String stamp = name.substring(PREFIX.length(), name.length() - SUFFIX.length());
        try {
          backups.add(new Backup(file, Instant.from(STAMP.parse(stamp)), Files.size(file)));
        } catch (DateTimeParseException | NoSuchFileException e) {
          // not one of ours, or pruned meanwhile
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
    }
    backups.sort(Comparator.comparing(Backup::takenAt).reversed());
    return backups;
  }

  /** The newest backup that H2 opens; what a damaged store's message offers. */
  static Optional<Backup> latestGood(Path dataDir) {
    for (Backup backup : list(dataDir)) {
      try {
        StoreFileHeader.open(backup.file());
        return Optional.of(backup);
      } catch (RuntimeException e) {
        log.warn("backup {} does not open ({}); trying an older one", backup.file(), e.toString());
      }
    }
    return Optional.empty();
  }

  /**
   * Writes a backup of {@code source}, an H2 file no one writes to (a closed store, or a snapshot of a live
   * one), that holds commit {@code sourceVersion}; then removes all but the newest {@value #KEEP}.
   */
  static BackupResult write(Path dataDir, Path source, long sourceVersion, Instant takenAt, long startedNanos) {
    Path folder = folder(dataDir);
    Path target = folder.resolve(PREFIX + STAMP.format(takenAt) + SUFFIX);
    Path temp = folder.resolve("." + target.getFileName() + ".tmp");
    try {
      createFolder(dataDir);
      // H2's compaction copy: only live pages, compressed; what `store compact` does to the data file itself
      MVStoreTool.compact(source.toString(), temp.toString(), true);
      long version = StoreFileHeader.open(temp).version();
      if (version < sourceVersion) {
        throw new IllegalStateException("the backup written to " + temp + " holds commit " + version
            + " instead of " + sourceVersion);
      }
      OwnerOnlyFiles.restrict(temp);
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      fsyncFolder(folder);
      Backup backup = new Backup(target, takenAt, Files.size(target));
      List<Path> removed = prune(dataDir);
      Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
      log.info("backup {} ({} bytes, commit {}) in {} ms", target, backup.bytes(), version, took.toMillis());
      return new BackupResult(backup, version, took, removed);
    } catch (IOException e) {
      deleteQuietly(temp);
      throw new UncheckedIOException("cannot write the backup " + target + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      deleteQuietly(temp);
      throw e;
    }
  }

  /** {@code <data-dir>/backups}, owner only, without the temp files of backups a stopped process left. */
  static Path createFolder(Path dataDir) throws IOException {
    Path folder = folder(dataDir);
    if (Files.notExists(folder)) {
      Files.createDirectories(folder);
      OwnerOnlyFiles.restrictFolder(folder);
    }
    Instant stale = Instant.now().minus(STALE_TEMP);
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(folder, ".*.tmp")) {
      for (Path temp : temps) {
        if (Files.getLastModifiedTime(temp).toInstant().isBefore(stale)) {
          deleteQuietly(temp);
        }
      }
    }
    return folder;
  }

  private static List<Path> prune(Path dataDir) {
    List<Path> removed = new ArrayList<>();
    List<Backup> all = list(dataDir);
    for (Backup old : all.subList(Math.min(KEEP, all.size()), all.size())) {
      try {
        Files.deleteIfExists(old.file());
        removed.add(old.file());
      } catch (IOException e) {
        log.warn("cannot remove the old backup {}: {}", old.file(), e.toString());
      }
    }
    return removed;
  }

  static void fsyncFolder(Path folder) {
    try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // decision: Windows cannot open a directory as a channel; NTFS journals the rename anyway
    }
  }

  static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("cannot remove {}: {}", file, e.toString());
    }
  }
}
