package com.retrainconsole.telemetry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.store.Store;
import com.retrainconsole.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimulatorFollowTest {
  private static final Instant T0 = Instant.parse("2026-06-30T23:00:00Z"); // an hour before a month change
  private static final Duration FIVE_MIN = Duration.ofMinutes(5);
  private Store a;
  private Store b;

  @BeforeEach
  void open() {
    a = Store.openInMemory();
    b = Store.openInMemory();
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
  }

  private static SimulatorFollow.Options options(double speedup) {
    return new SimulatorFollow.Options(List.of("t1", "t2"), FIVE_MIN, 7, 37.1, -3.6, ZoneId.of("Europe/Madrid"),
        speedup, Duration.ofDays(1));
  }

  @Test
  void ticks_write_each_interval_once_on_the_grid_and_repeat_ticks_write_nothing() {
    SettableClock clock = new SettableClock(T0);
    BucketTelemetryStore telemetry = new BucketTelemetryStore(a);
    SimulatorFollow follow = new SimulatorFollow(telemetry, new DeviceRepository(a), options(1), clock);
    long written = follow.tick().written();
    for (int i = 0; i < 18; i++) { // 90 minutes, across midnight of the 1st (month change)
      clock.advance(FIVE_MIN);
      written += follow.tick().written();
      assertEquals(0, follow.tick().written(), "a second tick at the same time writes nothing");
    }
    // (T0 - 5 min, T0 + 90 min] holds 19 grid points per device; a few may fall in simulated sensor gaps
    long present = 0;
    for (String d : List.of("t1", "t2")) {
      TelemetryWindow w = telemetry.read(d, T0.minus(FIVE_MIN), T0.plus(Duration.ofMinutes(90)).plusSeconds(1));
      present += w.size();
      assertTrue(w.size() >= 15 && w.size() <= 19, d + ": " + w.size());
      for (long t : w.ts()) {
        assertEquals(0, t % FIVE_MIN.toMillis(), "on the 5-minute grid");
      }
    }
    assertEquals(present, written);
    assertTrue(new DeviceRepository(a).find("t1").isPresent(), "device config upserted");
  }

  @Test
  void readings_depend_on_the_timestamp_not_on_how_ticks_fell_and_a_restart_continues_from_the_newest() {
    // store a: one tick per interval; store b: a restart in the middle and one big catch-up tick
    SettableClock clockA = new SettableClock(T0);
    SimulatorFollow fa = new SimulatorFollow(new BucketTelemetryStore(a), null, options(1), clockA);
    fa.tick();
    for (int i = 0; i < 24; i++) {
      clockA.advance(FIVE_MIN);
      fa.tick();
    }
    SettableClock clockB = new SettableClock(T0);
    new SimulatorFollow(new BucketTelemetryStore(b), null, options(1), clockB).tick();
    clockB.advance(Duration.ofMinutes(50));
    new SimulatorFollow(new BucketTelemetryStore(b), null, options(1), clockB).tick(); // restart
    clockB.advance(Duration.ofMinutes(70));
    SimulatorFollow restarted = new SimulatorFollow(new BucketTelemetryStore(b), null, options(1), clockB);
    assertEquals(0, restarted.tick().alreadyPresent(), "resumes after the newest reading, rewrites nothing");

    for (String d : List.of("t1", "t2")) {
      Instant from = T0.minus(FIVE_MIN);
      Instant to = T0.plus(Duration.ofHours(2)).plusSeconds(1);
      TelemetryWindow wa = new BucketTelemetryStore(a).read(d, from, to);
      TelemetryWindow wb = new BucketTelemetryStore(b).read(d, from, to);
      assertTrue(wa.size() > 20, d + ": " + wa.size());
      assertArrayEquals(wa.ts(), wb.ts());
      for (String f : Simulator.FIELDS) {
        assertArrayEquals(wa.column(f), wb.column(f), d + " " + f);
      }
    }
  }

  @Test
  void speedup_runs_simulated_time_faster_than_the_clock() throws Exception {
    SettableClock clock = new SettableClock(T0);
    SimulatorFollow follow = new SimulatorFollow(new BucketTelemetryStore(a), null, options(60), clock);
    follow.tick();
    clock.advance(Duration.ofMinutes(1));
    assertEquals(T0.plus(Duration.ofHours(1)), follow.simulatedNow());
    // run() with a sleeper that moves the clock: 3 batches, each one simulated interval apart
    int[] batches = {0};
    follow.run(batch -> batches[0]++, () -> batches[0] >= 3, ms -> clock.advance(Duration.ofMillis(ms)));
    assertEquals(T0.plus(Duration.ofHours(1)).plus(FIVE_MIN.multipliedBy(3)), follow.simulatedNow());
    TelemetryWindow w = new BucketTelemetryStore(a).read("t1", T0, T0.plus(Duration.ofHours(2)));
    assertTrue(w.size() >= 10, "an hour of simulated readings: " + w.size());
  }
}
