package com.retrainconsole.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.audit.MongoAuditLog;
import com.retrainconsole.registry.LoadedModel;
import com.retrainconsole.registry.ModelMeta;
import com.retrainconsole.registry.ModelRegistry;
import com.retrainconsole.store.Store;
import com.retrainconsole.testing.SettableClock;
import com.retrainconsole.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.impl.ArrayExample;
import org.tribuo.regression.Regressor;

class ModelProviderTest {
  private static final String DEVICE = "dev";
  private static final int ROUNDS = 8;
  @TempDir Path models;
  private Store store;
  private SettableClock clock;
  private ModelRegistry registry;

  @BeforeEach
  void open() {
    store = Store.openInMemory();
    clock = new SettableClock(Instant.parse("2026-11-22T10:00:00Z"));
    registry = new ModelRegistry(models, new MongoAuditLog(store, clock), clock);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private ModelMeta save(int seed) {
    clock.advance(Duration.ofMinutes(1));
    return registry.saveCandidate(DEVICE, TestModels.train(seed), TestModels.draft(DEVICE, "run-" + seed, 10 + seed));
  }

  private static double predict(Model<Regressor> model) {
    return model.predict(new ArrayExample<>(new Regressor("power_w", Double.NaN), new String[] {"a", "b"},
        new double[] {5, 5})).getOutput().getValues()[0];
  }

  @Test
  void swaps_to_the_new_model_when_the_pointer_moves_by_promote_and_rollback() {
    ModelMeta v1 = save(1);
    ModelMeta v2 = save(2);
    registry.promote(DEVICE, v1.version(), "test", "first");
    try (ModelProvider provider = new ModelProvider(registry, DEVICE, Duration.ofSeconds(30), clock)) {
      assertEquals(v1.version(), provider.require().meta().version());
      registry.promote(DEVICE, v2.version(), "test", "second");
      clock.advance(Duration.ofSeconds(31));
      assertEquals(v2.version(), provider.get().orElseThrow().meta().version());
      registry.rollback(DEVICE, Optional.empty(), "test", "back");
      assertEquals(v1.version(), provider.refresh().orElseThrow().meta().version());
      assertEquals(3, provider.reloads());
      assertTrue(provider.lastError().isEmpty());
    }
  }

  @Test
  void does_not_reread_the_pointer_before_the_interval_unless_the_watcher_saw_it_change() throws Exception {
    ModelMeta v1 = save(1);
    ModelMeta v2 = save(2);
    registry.promote(DEVICE, v1.version(), "test", "first");
    try (ModelProvider provider = new ModelProvider(registry, DEVICE, Duration.ofHours(1), clock)) {
      provider.require();
      long checks = provider.reloads();
      registry.promote(DEVICE, v2.version(), "test", "second");
      // the clock does not move: only the WatchService can bring the new version in
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!provider.get().orElseThrow().meta().version().equals(v2.version())) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("watcher did not report the pointer change");
        }
        Thread.sleep(50);
      }
      assertEquals(checks + 1, provider.reloads());
    }
  }

  @Test
  void keeps_the_last_good_model_when_the_new_file_is_tampered() throws Exception {
    ModelMeta v1 = save(1);
    ModelMeta v2 = save(2);
    registry.promote(DEVICE, v1.version(), "test", "first");
    try (ModelProvider provider = new ModelProvider(registry, DEVICE, Duration.ofSeconds(5), clock)) {
      double v1Prediction = predict(provider.require().model());
      registry.promote(DEVICE, v2.version(), "test", "second");
      Path file = registry.modelFile(DEVICE, v2.version());
      byte[] bytes = Files.readAllBytes(file);
      bytes[bytes.length / 2] ^= 0x5a;
      Files.write(file, bytes);
      clock.advance(Duration.ofSeconds(6));
      LoadedModel served = provider.get().orElseThrow();
      assertEquals(v1.version(), served.meta().version());
      assertEquals(v1Prediction, predict(served.model()));
      assertTrue(provider.lastError().orElseThrow().contains("sha256"), provider.lastError().toString());
    }
  }

  @Test
  void concurrent_gets_during_reloads_never_see_null_or_a_mixed_model() throws Exception {
    List<ModelMeta> versions = new ArrayList<>();
    Map<String, Double> expected = new HashMap<>();
    for (int seed = 1; seed <= 3; seed++) {
      ModelMeta m = save(seed);
      versions.add(m);
      expected.put(m.version(), predict(TestModels.train(seed)));
    }
    registry.promote(DEVICE, versions.get(0).version(), "test", "start");
    try (ModelProvider provider = new ModelProvider(registry, DEVICE, Duration.ZERO, clock)) {
      provider.require();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      AtomicLong gets = new AtomicLong();
      Map<String, Boolean> seen = new ConcurrentHashMap<>();
      List<Thread> readers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        Thread reader = new Thread(() -> {
          try {
            while (!stop.get()) {
              LoadedModel m = provider.get().orElseThrow(() -> new AssertionError("null model"));
              String version = m.meta().version();
              if (!version.equals(m.pointer().version()) || predict(m.model()) != expected.get(version)) {
                throw new AssertionError("mixed model: meta " + version + ", pointer " + m.pointer().version());
              }
              seen.put(version, true);
              gets.incrementAndGet();
            }
          } catch (Throwable e) {
            failure.compareAndSet(null, e);
          }
        });
        reader.start();
        readers.add(reader);
      }
      for (int i = 1; i <= ROUNDS; i++) {
        clock.advance(Duration.ofSeconds(1));
        ModelMeta next = versions.get(i % versions.size());
        long before = provider.reloads();
        registry.promote(DEVICE, next.version(), "test", "round " + i);
        // the readers' own get() calls must bring the new version in (this thread does not call get)
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (provider.reloads() == before && failure.get() == null) {
          if (System.nanoTime() > deadline) {
            throw new AssertionError("readers never reloaded after round " + i);
          }
          Thread.sleep(5);
        }
      }
      String last = versions.get(ROUNDS % versions.size()).version();
      stop.set(true);
      for (Thread r : readers) {
        r.join();
      }
      if (failure.get() != null) {
        throw new AssertionError(failure.get());
      }
      assertTrue(gets.get() > 100, "readers ran: " + gets.get());
      assertEquals(ROUNDS + 1, provider.reloads());
      assertEquals(versions.size(), seen.size(), "every version was served");
      assertEquals(last, provider.get().orElseThrow().meta().version());
    }
  }
}
