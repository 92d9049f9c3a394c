package com.retrainconsole.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.runs.RunQueue;
import com.retrainconsole.store.Store;
import com.retrainconsole.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The store's record of running schedulers, over a real embedded store and a clock the test moves. */
class SchedulerPresenceTest {
  private final SettableClock clock = new SettableClock(Instant.parse("2026-06-01T12:00:00Z"));

  @Test
  void a_started_scheduler_is_alive_and_is_gone_once_it_stops() {
    try (Store store = Store.openInMemory()) {
      SchedulerPresence presence = new SchedulerPresence(store, clock);
      RunQueue queue = new RunQueue(store, clock);
      Scheduler scheduler = new Scheduler(queue, new RecordingExecutor(queue), TriggerTick.NONE, clock,
          SchedulerConfig.defaults().withOwner("host-a:4242:abc").withTick(Duration.ofHours(1)));
      scheduler.reportPresence(presence);
      assertFalse(presence.anyAlive(), "nothing runs yet");

      scheduler.start();
      assertTrue(presence.anyAlive());
      SchedulerPresence.Entry entry = presence.alive().get(0);
      assertEquals("host-a:4242:abc", entry.owner());
      assertEquals("host-a", entry.host());
      assertEquals(ProcessHandle.current().pid(), entry.pid());
      assertEquals(clock.instant(), entry.startedAt());

      // a minute passes on the store's clock: the record is stale until the watcher's next beat renews it
      clock.advance(Duration.ofMinutes(1));
      Fixture.await("the running scheduler renews its heartbeat", SchedulerPresence.BEAT.multipliedBy(3),
          presence::anyAlive);
      assertEquals(clock.instant(), presence.alive().get(0).heartbeatAt());

      scheduler.shutdown();
      assertFalse(presence.anyAlive(), "a stopped scheduler no longer counts");
      assertTrue(presence.alive().isEmpty());
    }
  }

  @Test
  void a_scheduler_whose_heartbeat_goes_stale_is_not_alive_and_a_new_beat_revives_it() {
    try (Store store = Store.openInMemory()) {
      SchedulerPresence presence = new SchedulerPresence(store, clock);
      presence.register("died-without-stopping");
      clock.advance(SchedulerPresence.STALE_AFTER.minusSeconds(1));
      assertTrue(presence.anyAlive(), "one second before the limit it still counts");

      clock.advance(Duration.ofSeconds(2));
      assertFalse(presence.anyAlive(), "a heartbeat older than the limit is a dead scheduler");
      assertTrue(presence.alive().isEmpty());

      presence.beat("died-without-stopping");
      assertTrue(presence.anyAlive(), "a renewed heartbeat counts again");
    }
  }

  @Test
  void a_beat_after_the_document_was_removed_announces_the_scheduler_again() {
    try (Store store = Store.openInMemory()) {
      SchedulerPresence presence = new SchedulerPresence(store, clock);
      presence.beat("never-registered");
      assertEquals(1, presence.alive().size());
    }
  }
}
