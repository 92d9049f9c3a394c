package com.retrainconsole.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.runs.EnqueueRequest;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.runs.RetryPolicy;
import com.retrainconsole.runs.RunQueue;
import com.retrainconsole.runs.ModelInService;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import com.retrainconsole.store.StoreConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** Several scheduler instances on one database: every due run executes exactly once. */
class SchedulerClusterTest {
  @Test
  void three_schedulers_on_one_store_execute_500_due_runs_exactly_once() throws Exception {
    int runs = 500;
    try (Store main = Store.openInMemory()) {
      RunQueue feeder = new RunQueue(main, Clock.systemUTC());
      Set<String> ids = ConcurrentHashMap.newKeySet();
      for (int i = 0; i < runs; i++) {
        ids.add(feeder.enqueue(EnqueueRequest.manual("dev" + (i % 40), new RunRecord.Params(1, null, null, false), "t", "r")).runId());
      }
      List<Store> clients = new ArrayList<>();
      List<RecordingExecutor> executors = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      AtomicInteger errors = new AtomicInteger();
      for (int s = 0; s < 3; s++) {
        // each instance has its own client, as separate processes would
        Store client = Store.open(StoreConfig.remote(main.connectionUri()));
        clients.add(client);
        RunQueue queue = new RunQueue(client, Clock.systemUTC(), RetryPolicy.defaults(), ModelInService.UNKNOWN);
        RecordingExecutor executor = new RecordingExecutor(queue);
        executors.add(executor);
        Scheduler scheduler = new Scheduler(queue, executor, TriggerTick.NONE, Clock.systemUTC(),
            SchedulerConfig.defaults().withOwner("s" + s).withMaxConcurrent(4));
        threads.add(new Thread(() -> {
          try {
            while (main.collection(Collections.RUN_QUEUE).countDocuments() > 0) {
              scheduler.tick();
            }
          } catch (RuntimeException e) {
            errors.incrementAndGet();
          }
        }));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join(120_000);
      }
      assertEquals(0, errors.get());
      java.util.Map<String, Integer> total = new java.util.HashMap<>();
      for (RecordingExecutor e : executors) {
        e.executions.forEach((id, n) -> total.merge(id, n.get(), Integer::sum));
      }
      assertEquals(ids, total.keySet(), "every run executed");
      assertTrue(total.values().stream().allMatch(n -> n == 1), "some run executed twice: " + total);
      assertEquals(runs, main.collection(Collections.MODEL_RUNS).countDocuments(new Document("status", "completed")));
      assertTrue(executors.stream().filter(e -> !e.executions.isEmpty()).count() >= 2,
          "the work was not shared: the test would not catch a double claim");
      clients.forEach(Store::close);
    }
  }
}
