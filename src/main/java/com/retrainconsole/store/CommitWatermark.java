package com.retrainconsole.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <data-dir>/store.watermark}: the newest commit of {@code retrain.mv.db} this app wrote, kept beside the
 * file so that a file which lost its end (truncated, cut by a copy, rolled back to an older copy) is noticed
 * when it is opened, instead of opening silently at an older state (docs/ARCHITECTURE.md §2).
 *
 * <p>One fixed-length line, rewritten in place with one positional write after every commit: no new file, no
 * rename, no fsync, so it costs microseconds and still works on a full disk. The line carries a CRC, so a
 * torn write (power loss) reads as "unknown" rather than as a wrong number. Fields: {@code created} (the
 * H2 file it describes), {@code committed} (written to the OS: survives a crash of the process),
 * {@code synced} (forced to disk: survives power loss), and the machine's boot id when it was written.
 */
final class CommitWatermark implements AutoCloseable {
  static final String FILE_NAME = "store.watermark";
  private static final Logger log = LoggerFactory.getLogger(CommitWatermark.class);
  private static final String UNKNOWN_BOOT = "unknown";
  private static final Pattern LINE = Pattern.compile(
      "retrain-store-watermark 1 created=([0-9a-f]{16}) committed=([0-9a-f]{16}) synced=([0-9a-f]{16})"
          + " boot=(\\S{1,36}) *crc=([0-9a-f]{8})\n");
  private static final String BOOT = readBootId();
  private static final byte[] TEMPLATE = String.format(Locale.ROOT,
      "retrain-store-watermark 1 created=%016x committed=%016x synced=%016x boot=%-36s crc=%08x\n", 0L, 0L, 0L,
      BOOT, 0L).getBytes(StandardCharsets.US_ASCII);
  private static final int CREATED_AT = indexAfter("created=");
  private static final int COMMITTED_AT = indexAfter("committed=");
  private static final int SYNCED_AT = indexAfter("synced=");
  private static final int CRC_AT = indexAfter("crc=");

  private static int indexAfter(String field) {
    return new String(TEMPLATE, StandardCharsets.US_ASCII).indexOf(field) + field.length();
  }

  /** What the file says. {@code boot} is the boot id at the time of writing, or "unknown". */
  record Mark(long created, long committed, long synced, String boot) {
    /** True when the machine has not restarted since this was written (unknown counts as restarted). */
    boolean writtenThisBoot() {
      return !UNKNOWN_BOOT.equals(boot) && boot.equals(BOOT);
    }
  }

  private final Path file;
  private final FileChannel channel;
  private long created;
  private long committed;
  private long synced;
  private boolean warned;

  private CommitWatermark(Path file, FileChannel channel, long created, long version) {
    this.file = file;
    this.channel = channel;
    this.created = created;
    this.committed = version;
    this.synced = version;
  }

  static Path path(Path dataDir) {
    return dataDir.toAbsolutePath().normalize().resolve(FILE_NAME);
  }

  /**
   * The mark beside {@code dataDir}'s file; empty when there is none. A line that does not parse or whose CRC
   * does not match (a torn write) is reported and read as none: it can prove nothing either way.
   */
  static Optional<Mark> read(Path dataDir) {
    Path file = path(dataDir);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      log.warn("cannot read {} ({}); the data file is opened without it", file, e.toString());
      return Optional.empty();
    }
    Matcher m = LINE.matcher(text);
    if (!m.matches() || crc(text.substring(0, text.indexOf("crc="))) != Long.parseLong(m.group(5), 16)) {
      log.warn("{} is not a valid watermark line; the data file is opened without it", file);
      return Optional.empty();
    }
    return Optional.of(new Mark(Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16),
        Long.parseUnsignedLong(m.group(3), 16), m.group(4)));
  }

  /** Opens (creating if needed) the watermark for an opened store file and records it as synced at {@code version}. */
  static CommitWatermark open(Path dataDir, long created, long version) {
    Path file = path(dataDir);
    try {
      boolean isNew = Files.notExists(file);
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      CommitWatermark mark = new CommitWatermark(file, channel, created, version);
      if (isNew) {
        OwnerOnlyFiles.restrict(file);
      }
      channel.truncate(TEMPLATE.length); // every later write is one positional write of exactly this length
      mark.write(true);
      return mark;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Rewrites the mark for a file replaced as a whole (restore, compaction): {@code version} is on disk. */
  static void reset(Path dataDir, long created, long version) {
    open(dataDir, created, version).close();
  }

  /** A commit reached the OS. Best effort: a mark that lags only weakens the check, it never refuses a good file. */
  synchronized void committed(long version) {
    if (version > committed) {
      committed = version;
      write(false);
    }
  }

  /** Everything up to {@code version} is forced to disk. */
  synchronized void synced(long version) {
    committed = Math.max(committed, version);
    synced = Math.max(synced, version);
    write(true);
  }

  /** Describes a new file at the same place (after the backend reopened it). */
  synchronized void replaced(long newCreated, long version) {
    created = newCreated;
    committed = version;
    synced = version;
    write(true);
  }

  private void write(boolean force) {
    byte[] line = line(created, committed, synced);
    try {
      ByteBuffer bytes = ByteBuffer.wrap(line);
      while (bytes.hasRemaining()) {
        channel.write(bytes, bytes.position());
      }
      if (force) {
        channel.force(false);
      }
      warned = false;
    } catch (IOException e) {
      if (!warned) {
        warned = true;
        log.warn("cannot update {} ({}); a damaged data file may go unnoticed until it is written again", file,
            e.toString());
      }
    }
  }

  /**
   * {@code retrain-store-watermark 1 created=<16 hex> committed=<16 hex> synced=<16 hex> boot=<36> crc=<8 hex>\n}.
   * decision: filled in by hand rather than with String.format, which costs tens of microseconds per commit.
   */
  static byte[] line(long created, long committed, long synced) {
    byte[] line = TEMPLATE.clone();
    hex(line, CREATED_AT, created, 16);
    hex(line, COMMITTED_AT, committed, 16);
    hex(line, SYNCED_AT, synced, 16);
    CRC32 crc = new CRC32();
    crc.update(line, 0, CRC_AT - "crc=".length());
    hex(line, CRC_AT, crc.getValue(), 8);
    return line;
  }

  private static void hex(byte[] into, int at, long value, int digits) {
    for (int i = digits - 1; i >= 0; i--) {
      into[at + i] = (byte) Character.forDigit((int) (value & 0xf), 16);
      value >>>= 4;
    }
  }

  private static long crc(String text) {
    CRC32 crc = new CRC32();
    crc.update(text.getBytes(StandardCharsets.US_ASCII));
    return crc.getValue();
  }

  /** Linux's id of the current boot; "unknown" elsewhere, which makes every mark look like a previous boot's. */
  private static String readBootId() {
    try {
      String id = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
      return id.matches("[0-9a-fA-F-]{1,36}") ? id : UNKNOWN_BOOT;
    } catch (IOException | RuntimeException e) {
      return UNKNOWN_BOOT;
    }
  }

  @Override
  public synchronized void close() {
    try {
      channel.close();
    } catch (IOException e) {
      log.warn("cannot close {}: {}", file, e.toString());
    }
  }
}
