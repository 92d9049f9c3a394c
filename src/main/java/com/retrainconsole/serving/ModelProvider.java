package com.retrainconsole.serving;

import com.retrainconsole.common.UserException;
import com.retrainconsole.registry.LoadedModel;
import com.retrainconsole.registry.ModelRegistry;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production model of one device, kept in step with its pointer file (docs/ARCHITECTURE.md §5 "Serving").
 *
 * <p>{@link #get()} returns the model in service. At most every {@code checkEvery} (and at once after the
 * device folder's WatchService reports a change to the pointer) it re-reads the pointer file; when its bytes
 * changed, the model is loaded through {@link ModelRegistry#loadCurrent} (sha256 verified) and swapped in
 * with one atomic reference write, so a caller sees the old model or the new one, never a half-loaded one.
 * A reload that fails (tampered or missing file, bad pointer) keeps the last good model and records the
 * error in {@link #lastError()}; it is retried at the next check.
 *
 * <p>decision: a reload runs on the calling thread under a tryLock; other callers meanwhile get the current
 * model at once instead of waiting for the load.
 */
public final class ModelProvider implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ModelProvider.class);

  private final ModelRegistry registry;
  private final String deviceId;
  private final Duration checkEvery;
  private final Clock clock;
  private final AtomicReference<LoadedModel> current = new AtomicReference<>();
  private final AtomicReference<String> lastError = new AtomicReference<>();
  private final AtomicLong lastCheckMillis = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong reloads = new AtomicLong();
  private final AtomicBoolean changed = new AtomicBoolean(true);
  private final ReentrantLock reloading = new ReentrantLock();
  private volatile byte[] loadedPointer; // bytes of the pointer file the current model came from
  private final WatchService watcher;
  private final Thread watchThread;

  public ModelProvider(ModelRegistry registry, String deviceId, Duration checkEvery, Clock clock) {
    this.registry = registry;
    this.deviceId = deviceId;
    this.checkEvery = checkEvery;
    this.clock = clock;
    this.watcher = watch(registry.deviceDir(deviceId));
    if (watcher != null) {
      watchThread = new Thread(this::watchLoop, "model-provider-watch-" + deviceId);
      watchThread.setDaemon(true);
      watchThread.start();
    } else {
      watchThread = null;
    }
  }

  public String deviceId() {
    return deviceId;
  }

  /** The model in service (empty while the device has none that loads). Never blocks on another reload. */
  public Optional<LoadedModel> get() {
    long now = clock.millis();
    long last = lastCheckMillis.get();
    boolean due = changed.get() || last == Long.MIN_VALUE || now - last >= checkEvery.toMillis();
    if (due && reloading.tryLock()) {
      try {
        lastCheckMillis.set(now);
        changed.set(false);
        check();
      } finally {
        reloading.unlock();
      }
    }
    return Optional.ofNullable(current.get());
  }

  /** As {@link #get()}, failing with the reason when no model is in service. */
  public LoadedModel require() {
    return get().orElseThrow(() -> new UserException("No model in service for device " + deviceId
        + Optional.ofNullable(lastError.get()).map(e -> ": " + e).orElse("")));
  }

  /** Checks the pointer now, whatever the interval (e.g. right after a promotion in this process). */
  public Optional<LoadedModel> refresh() {
    changed.set(true);
    reloading.lock(); // wait for a reload in progress so the caller sees its result
    reloading.unlock();
    return get();
  }

  /** Why the last reload failed, cleared by a successful one. */
  public Optional<String> lastError() {
    return Optional.ofNullable(lastError.get());
  }

  /** How many times a model was loaded and swapped in. */
  public long reloads() {
    return reloads.get();
  }

  private void check() {
    byte[] pointer;
    try {
      pointer = Files.readAllBytes(registry.pointerFile(deviceId));
    } catch (NoSuchFileException e) {
      if (current.get() != null) {
        lastError.set("pointer file " + registry.pointerFile(deviceId) + " disappeared; serving the last good model");
      }
      return;
    } catch (IOException e) {
      lastError.set("cannot read the pointer file: " + e);
      return;
    }
    if (current.get() != null && Arrays.equals(pointer, loadedPointer) && lastError.get() == null) {
      return;
    }
    try {
      LoadedModel fresh = registry.loadCurrent(deviceId);
      current.set(fresh); // the swap: one reference write
      loadedPointer = pointer;
      lastError.set(null);
      reloads.incrementAndGet();
      log.info("serving {} version {}", deviceId, fresh.meta().version());
    } catch (RuntimeException e) {
      String message = e.getMessage();
      if (!message.equals(lastError.get())) {
        log.warn("keeping {} for {}: reload failed: {}", versionOf(current.get()), deviceId, message);
      }
      lastError.set(message);
    }
  }

  private static String versionOf(LoadedModel m) {
    return m == null ? "no model" : "version " + m.meta().version();
  }

  private static WatchService watch(Path dir) {
    if (!Files.isDirectory(dir)) {
      return null; // no model yet: the periodic check covers the first promotion
    }
    try {
      WatchService service = dir.getFileSystem().newWatchService();
      dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
          StandardWatchEventKinds.ENTRY_DELETE);
      return service;
    } catch (IOException | UnsupportedOperationException e) {
      log.debug("no WatchService on {}: {}", dir, e.toString());
      return null;
    }
  }

  private void watchLoop() {
    try {
      while (true) {
        WatchKey key = watcher.take();
        for (WatchEvent<?> event : key.pollEvents()) {
          Object name = event.context();
          if (event.kind() == StandardWatchEventKinds.OVERFLOW
              || (name != null && name.toString().equals(ModelRegistry.POINTER_FILE))) {
            changed.set(true);
          }
        }
        if (!key.reset()) {
          return;
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed
    }
  }

  @Override
  public void close() {
    if (watcher != null) {
      try {
        watcher.close();
      } catch (IOException e) {
        // nothing to do
      }
    }
  }
}
