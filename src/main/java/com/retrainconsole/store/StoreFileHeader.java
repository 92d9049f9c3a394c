package com.retrainconsole.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import org.h2.mvstore.DataUtils;

/**
 * The header H2 MVStore keeps twice at the start of its file (two 4 KB blocks of {@code key:value} text with a
 * Fletcher-32 checksum), read without opening the store. {@code version} is the newest commit the header
 * names; H2 rewrites it on a clean close and at least every 20 commits otherwise, so a store that opens at an
 * older version than its own header lost the end of its file. {@code created} identifies the file: it is set
 * when the file is made and kept for its life (a compaction or a restore makes a new one).
 */
record StoreFileHeader(long created, long version, boolean clean) {
  private static final int BLOCK = 4096;

  /** The valid header block with the newest version; empty when the file is shorter or both blocks are bad. */
  static Optional<StoreFileHeader> read(Path file) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(2 * BLOCK);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
        // read until both blocks are in or the file ends
      }
    }
    StoreFileHeader best = null;
    for (int start = 0; start + BLOCK <= buffer.position(); start += BLOCK) {
      StoreFileHeader h = parse(buffer.array(), start, BLOCK);
      if (h != null && (best == null || h.version > best.version)) {
        best = h;
      }
    }
    return Optional.ofNullable(best);
  }

  /** One block: {@code H:2,...,fletcher:xxxxxxxx} padded with zeros; null when its checksum does not match. */
  private static StoreFileHeader parse(byte[] bytes, int start, int length) {
    int end = start + length;
    while (end > start && (bytes[end - 1] & 0xff) <= ' ') {
      end--;
    }
    String text = new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
    int at = text.lastIndexOf(",fletcher:");
    if (at < 0) {
      return null;
    }
    try {
      int expected = (int) Long.parseLong(text.substring(at + ",fletcher:".length()), 16);
      if (expected != DataUtils.getFletcher32(bytes, start, at)) {
        return null;
      }
      Map<String, String> map = DataUtils.parseMap(text.substring(0, at));
      return new StoreFileHeader(DataUtils.readHexLong(map, "created", 0), DataUtils.readHexLong(map, "version", 0),
          DataUtils.readHexLong(map, "clean", 0) != 0);
    } catch (RuntimeException e) {
      return null; // not a header H2 wrote
    }
  }
}
