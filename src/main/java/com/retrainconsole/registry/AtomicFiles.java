package com.retrainconsole.registry;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Crash-safe file replacement: a reader sees the old file or the new one, never a mix. Temp file in the
 * same folder (so the rename stays on one file system), write, fsync, atomic rename, fsync the folder
 * (so the rename itself survives a power cut).
 */
public final class AtomicFiles {
  public static final String TEMP_SUFFIX = ".tmp";

  private AtomicFiles() {}

  /** Writes bytes to something that streams into an open file. */
  @FunctionalInterface
  public interface Writer {
    void writeTo(OutputStream out) throws IOException;
  }

  public static void write(Path target, byte[] content) throws IOException {
    write(target, out -> out.write(content));
  }

  public static void write(Path target, Writer writer) throws IOException {
    Path temp = writeTemp(target, writer);
    moveIntoPlace(temp, target);
  }

  /**
   * Step one of {@link #write}: a fsynced temp file beside {@code target}, named {@code
   * .<target>.<random>.tmp} so orphan cleanup can recognise it. The caller moves or deletes it.
   */
  public static Path writeTemp(Path target, Writer writer) throws IOException {
    Path folder = target.toAbsolutePath().getParent();
    Path temp = folder.resolve("." + target.getFileName() + "." + UUID.randomUUID() + TEMP_SUFFIX);
    try (FileChannel channel =
        FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      OutputStream out = Channels.newOutputStream(channel);
      writer.writeTo(out);
      out.flush();
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    return temp;
  }

  /** Step two: atomic rename over {@code target}, then fsync the folder. Deletes the temp on failure. */
  public static void moveIntoPlace(Path temp, Path target) throws IOException {
    try {
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        // Same folder, so this only happens on exotic file systems; a plain replace is the best left.
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    fsyncFolder(target.toAbsolutePath().getParent());
  }

  /** Makes a rename durable. Linux allows fsync on a directory; platforms that refuse are ignored. */
  public static void fsyncFolder(Path folder) {
    try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // decision: Windows cannot open a directory as a channel; NTFS journals the rename anyway.
    }
  }
}
