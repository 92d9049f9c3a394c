package com.retrainconsole.store;

import java.util.Map;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStore;

/**
 * The header H2 MVStore keeps twice at the start of its file, as the store read it when it opened the file
 * (before its first commit rewrites it). {@code version} is the newest commit the header names: H2 rewrites it
 * on a clean close and at least every 20 commits otherwise, so a store that opens at an older version than its
 * own header lost the end of its file. {@code created} identifies the file: it is set when the file is made and
 * kept for its life (a compaction or a restore makes a new one).
 *
 * <p>decision: read through the opened store, never through a second channel on the file: on Linux, closing
 * any channel on a file drops every lock this process holds on it, including H2's.
 */
record StoreFileHeader(long created, long version, boolean clean) {
  /** The header of a store just opened; {@code version} 0 for a store H2 has just created. */
  static StoreFileHeader of(MVStore opened) {
    Map<String, Object> header = opened.getStoreHeader();
    return new StoreFileHeader(DataUtils.readHexLong(header, "created", 0), DataUtils.readHexLong(header, "version", 0),
        DataUtils.readHexLong(header, "clean", 0) != 0);
  }

  /** Opens an H2 file no one writes to read-only, and returns its header and the commit it opens at. */
  static Opened open(java.nio.file.Path file) {
    MVStore store = new MVStore.Builder().fileName(file.toString()).readOnly().open();
    try {
      return new Opened(of(store), store.getCurrentVersion());
    } finally {
      store.close();
    }
  }

  /** What a read-only open found. */
  record Opened(StoreFileHeader header, long version) {}
}
