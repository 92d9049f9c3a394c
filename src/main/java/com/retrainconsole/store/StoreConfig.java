package com.retrainconsole.store;

import java.nio.file.Path;

/**
 * Where the data lives. With a {@code mongoUri} the app talks to that MongoDB; without one it starts the
 * embedded wire-protocol server on a file in {@code dataDir}. {@code inMemory} (tests, benchmarks) starts
 * the embedded server with no file at all.
 */
public record StoreConfig(String mongoUri, Path dataDir, boolean inMemory) {
  public static StoreConfig embedded(Path dataDir) {
    return new StoreConfig(null, dataDir, false);
  }

  public static StoreConfig remote(String mongoUri) {
    return new StoreConfig(mongoUri, null, false);
  }

  public static StoreConfig memory() {
    return new StoreConfig(null, null, true);
  }
}
