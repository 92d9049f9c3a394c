package com.retrainconsole.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.retrainconsole.common.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <data-dir>/store.port}: {@code {"port", "pid", "started_at", "data_file"}}, written atomically by
 * the process that holds the data file and serves it on 127.0.0.1 (docs/ARCHITECTURE.md §8), removed when it closes
 * cleanly; mode 0600, like the secret beside it ({@link StoreSecret}). Other processes connect there instead
 * of failing on the file lock. A file whose process is gone or whose port does not answer is stale (a
 * {@code kill -9} leaves one behind) and is removed by the next opener.
 */
public final class StorePortFile {
  public static final String FILE_NAME = "store.port";
  private static final Logger log = LoggerFactory.getLogger(StorePortFile.class);
  private static final int CONNECT_TIMEOUT_MS = 500;

  private StorePortFile() {}

  /** Contents of a port file. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Entry(
      @JsonProperty("port") int port,
      @JsonProperty("pid") long pid,
      @JsonProperty("started_at") Instant startedAt,
      @JsonProperty("data_file") String dataFile) {}

  public static Path path(Path dataDir) {
    return dataDir.toAbsolutePath().normalize().resolve(FILE_NAME);
  }

  /** Writes the port file atomically (temp file, fsync, atomic move), readable by this user only. */
  static Entry write(Path dataDir, int port, Instant startedAt) {
    Path file = path(dataDir);
    Entry entry = new Entry(port, ProcessHandle.current().pid(), startedAt,
        EmbeddedStore.dataFile(dataDir).toString());
    try {
      OwnerOnlyFiles.writeAtomically(file, Long.toString(entry.pid()), Json.MAPPER.writeValueAsBytes(entry));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file + ": " + e, e);
    }
    return entry;
  }

  /** The entry as written, if the file exists and parses. */
  public static Optional<Entry> read(Path dataDir) {
    try {
      return Optional.of(Json.MAPPER.readValue(Files.readAllBytes(path(dataDir)), Entry.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      log.warn("ignoring unreadable {}: {}", path(dataDir), e.toString());
      return Optional.empty();
    }
  }

  /**
   * The entry of a live server: its process is alive and its port accepts a connection. A stale file is
   * removed (only if it still holds what was read, so a fresh file written meanwhile survives).
   */
  static Optional<Entry> findLive(Path dataDir) {
    Path file = path(dataDir);
    byte[] raw;
    try {
      raw = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
    Entry entry;
    try {
      entry = Json.MAPPER.readValue(raw, Entry.class);
    } catch (IOException e) {
      removeIfUnchanged(file, raw, "unreadable");
      return Optional.empty();
    }
    if (entry.pid() == ProcessHandle.current().pid()) {
      return Optional.empty(); // our own (a second open in the serving process): never a client of ourselves
    }
    boolean alive = ProcessHandle.of(entry.pid()).map(ProcessHandle::isAlive).orElse(false);
    if (!alive) {
      removeIfUnchanged(file, raw, "process " + entry.pid() + " is gone");
      return Optional.empty();
    }
    if (!answers(entry.port())) {
      removeIfUnchanged(file, raw, "nothing answers on port " + entry.port());
      return Optional.empty();
    }
    return Optional.of(entry);
  }

  /** Removes the port file if it is this process's (clean shutdown of the server). */
  static void removeOwn(Path dataDir, Entry own) {
    Path file = path(dataDir);
    Optional<Entry> current = read(dataDir);
    if (current.isPresent() && current.get().pid() == own.pid() && current.get().port() == own.port()) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        log.warn("cannot remove {}: {}", file, e.toString());
      }
    }
  }

  static boolean answers(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MS);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void removeIfUnchanged(Path file, byte[] seen, String why) {
    try {
      if (Arrays.equals(Files.readAllBytes(file), seen)) {
        Files.deleteIfExists(file);
        log.info("removed stale {} ({})", file, why);
      }
    } catch (IOException e) {
      // gone already, or not ours to remove
    }
  }
}
