package com.retrainconsole.scheduler;

import static com.retrainconsole.scheduler.Fixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.runs.Claim;
import com.retrainconsole.runs.EnqueueRequest;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.runs.RunQueue;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import com.retrainconsole.store.StoreConfig;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scheduler mechanics with the real pipeline in-process: shutdown hand-over and store outages. */
class SchedulerTest {
  @TempDir Path root;

  /** Work that runs until it is killed, like a long training. */
  static final class Endless implements RunExecutor {
    volatile Claim started;

    @Override
    public Execution start(Claim claim) {
      started = claim;
      CompletableFuture<Integer> ended = new CompletableFuture<>();
      return new Execution() {
        @Override
        public CompletableFuture<Integer> ended() {
          return ended;
        }

        @Override
        public void kill() {
          ended.complete(137);
        }
      };
    }
  }

  @Test
  void shutdown_mid_run_releases_it_and_another_instance_completes_it() throws Exception {
    try (Fixture fx = new Fixture(root, Clock.systemUTC(), List.of("t1"), 10, Duration.ofMinutes(15))) {
      String id = fx.enqueue("t1", "xgboost");
      Endless endless = new Endless();
      Scheduler first = new Scheduler(fx.queue, endless, TriggerTick.NONE, Clock.systemUTC(),
          SchedulerConfig.defaults().withOwner("first").withShutdownGrace(Duration.ofMillis(300)));
      first.tick();
      assertEquals(id, endless.started.runId());
      first.shutdown();
      Document released = fx.run(id);
      assertEquals("pending", released.getString("status"), "released, not failed");
      RunQueue queue = fx.queue;
      Scheduler second = new Scheduler(queue, new InProcessRunExecutor(fx.ctx.retrain(), queue), TriggerTick.NONE,
          Clock.systemUTC(), SchedulerConfig.defaults().withOwner("second"));
      second.tick();
      await("completed by the second instance", Duration.ofSeconds(60),
          () -> "completed".equals(fx.run(id).getString("status")));
      Document run = fx.run(id);
      assertEquals("second", run.getString("lease_owner"));
      assertEquals(1, run.getInteger("attempt"));
      assertEquals(1, fx.modelFiles("t1"));
      assertEquals(0, fx.retriesOf(id));
      assertTrue(second.awaitIdle(Duration.ofSeconds(10)));
      second.shutdown();
      assertEquals(0, fx.queueSize());
    }
  }

  @Test
  void a_store_outage_mid_tick_is_logged_and_the_next_tick_after_restart_proceeds() {
    String file = root.resolve("outage.mv.db").toString();
    MongoServer server = new MongoServer(new H2Backend(file));
    server.bind("127.0.0.1", 0);
    int port = server.getLocalAddress().getPort();
    try (Store store = Store.open(StoreConfig.remote("mongodb://127.0.0.1:" + port + "/retrain"))) {
      RunQueue queue = new RunQueue(store, Clock.systemUTC());
      RecordingExecutor executor = new RecordingExecutor(queue);
      Scheduler scheduler = new Scheduler(queue, executor, TriggerTick.NONE, Clock.systemUTC(),
          SchedulerConfig.defaults());
      String before = queue.enqueue(EnqueueRequest.manual("d1", RunRecord.Params.none(), "t", "r")).runId();
      scheduler.tick();
      assertEquals(1, executor.executions.size());

      String during = queue.enqueue(EnqueueRequest.manual("d1", RunRecord.Params.none(), "t", "r")).runId();
      server.shutdownNow(); // the store goes away (H2 commits on close, so the queue survives)
      scheduler.tick(); // must not throw: logged, the scheduler keeps going
      assertTrue(!executor.executions.containsKey(during));

      server = new MongoServer(new H2Backend(file));
      server.bind("127.0.0.1", port);
      scheduler.tick();
      assertTrue(executor.executions.containsKey(during), "the next tick after the restart claims the run");
      assertEquals("completed", queue.run(during).orElseThrow().status().wire());
      assertEquals("completed", queue.run(before).orElseThrow().status().wire());
      assertEquals(0, store.collection(Collections.RUN_QUEUE).countDocuments());
    } finally {
      server.shutdownNow();
    }
  }
}
