package com.retrainconsole.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/** The store's files hold every user's data and token hashes: owner only where the file system has POSIX modes. */
final class FilePermissions {
  private FilePermissions() {}

  /** rw------- */
  static void ownerOnly(Path file) throws IOException {
    set(file, "rw-------");
  }

  /** rwx------ */
  static void ownerOnlyFolder(Path folder) throws IOException {
    set(folder, "rwx------");
  }

  private static void set(Path path, String mode) throws IOException {
    if (Files.getFileAttributeView(path, PosixFileAttributeView.class) != null) {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    }
  }
}
