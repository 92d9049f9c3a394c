package com.retrainconsole.store;

import com.retrainconsole.common.UserException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data folder (0700) and the store's files in it (0600: the H2 file, the port file, the secret) are for
 * the user who runs the app alone: the served store's secret sits in that folder, and whoever reads it can
 * write every collection.
 *
 * <p>Files are created with their final mode as a creation attribute, so there is no moment where they are
 * readable by others, and the mode is then set explicitly, because the creation mode is masked by the
 * umask. On a file system without POSIX permissions (Windows' NTFS, FAT) nothing is set here: the default
 * data folder there is under the user's profile ({@code %APPDATA%}), whose ACL already admits only that user,
 * SYSTEM and administrators; a --data-dir elsewhere keeps the ACL its parent gives it.
 */
final class OwnerOnlyFiles {
  static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
  private static final int STICKY = 01000;

  private static final Logger log = LoggerFactory.getLogger(OwnerOnlyFiles.class);

  private OwnerOnlyFiles() {}

  /** Makes an existing file rw------- (where the file system has POSIX modes). */
  static void restrict(Path file) throws IOException {
    if (isPosix(file)) {
      Files.setPosixFilePermissions(file, FILE);
    }
  }

  /** Makes an existing folder rwx------ (where the file system has POSIX modes). */
  static void restrictFolder(Path folder) throws IOException {
    if (isPosix(folder)) {
      Files.setPosixFilePermissions(folder, FOLDER);
    }
  }

  static boolean isPosix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /**
   * Creates the data folder 0700 (parents it has to create as well, as XDG asks for a missing data home), or
   * tightens an existing one that others may enter.
   *
   * <p>decision: an existing folder is tightened rather than only warned about: every folder created before
   * the store had a secret is 0755 (the umask's default), and a warning would leave all of them open until
   * each user acted. The exception is a folder with the sticky bit ({@code /tmp} and its like): it is shared
   * by design, so it is left alone with a warning; a folder of another user cannot be changed and is warned
   * about too. The files inside are 0600 whatever the folder is.
   */
  static void ensurePrivateFolder(Path dir) {
    try {
      if (!isPosix(dir)) {
        Files.createDirectories(dir);
        return;
      }
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(FOLDER));
        Files.setPosixFilePermissions(dir, FOLDER);
        return;
      }
      Set<PosixFilePermission> now = Files.getPosixFilePermissions(dir);
      if (java.util.Collections.disjoint(now, OTHERS)) {
        return;
      }
      String was = PosixFilePermissions.toString(now);
      if (isSticky(dir)) {
        log.warn("the data folder {} is a shared folder ({}, sticky): left as it is; the store's files in it are"
            + " readable by you alone, but prefer a folder of your own for --data-dir", dir, was);
        return;
      }
      try {
        Files.setPosixFilePermissions(dir, FOLDER);
        log.info("tightened the data folder {} from {} to rwx------ (it holds the store and its secret)", dir, was);
      } catch (IOException e) {
        log.warn("the data folder {} is {}, and it cannot be made private ({}); run: chmod 700 {}", dir, was, e, dir);
      }
    } catch (IOException e) {
      throw new UserException(
          "Cannot create the data folder " + dir + " (" + e + "); pass a writable --data-dir", e);
    }
  }

  /**
   * Creates {@code file} empty with mode 0600 if it does not exist, else makes an existing one 0600 (a file
   * created before this rule, or copied in with another mode).
   */
  static void ensurePrivateFile(Path file) throws IOException {
    if (!isPosix(file)) {
      return;
    }
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
    } catch (FileAlreadyExistsException e) {
      // ours from an earlier start; its mode is set below
    }
    if (!Files.getPosixFilePermissions(file).equals(FILE)) {
      Files.setPosixFilePermissions(file, FILE);
    }
  }

  /**
   * Replaces {@code file} with {@code content} atomically (temp file in the same folder, fsync, atomic move),
   * the temp file being 0600 from its creation.
   */
  static void writeAtomically(Path file, String tempSuffix, byte[] content) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + "." + tempSuffix + ".tmp");
    Files.deleteIfExists(temp); // a leftover of a crash: CREATE_NEW below applies the mode only to a new file
    FileAttribute<?>[] attributes = isPosix(file)
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)}
        : new FileAttribute<?>[0];
    try {
      try (FileChannel channel = FileChannel.open(temp,
          Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      if (isPosix(temp)) {
        Files.setPosixFilePermissions(temp, FILE); // the umask may have taken bits off, never added: be exact
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // best effort
      }
      throw e;
    }
  }

  private static boolean isSticky(Path dir) {
    try {
      Object mode = Files.getAttribute(dir, "unix:mode");
      return mode instanceof Integer m && (m & STICKY) != 0;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false; // no "unix" view: no sticky bit to read
    }
  }
}
