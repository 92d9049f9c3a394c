package com.retrainconsole.cli;

import com.retrainconsole.services.Services;
import com.retrainconsole.common.UserException;
import com.retrainconsole.telemetry.SimulatorFollow;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * {@code simulate --follow [--speedup X]}: a mixin for SimulateCommand. After the history is written, keeps
 * writing live readings until SIGINT/SIGTERM, one progress line per batch on stderr. Usage in
 * SimulateCommand: {@code @Mixin SimulateFollow follow;} and, at the end of call(),
 * {@code if (follow.enabled()) return follow.run(ctx, devices, interval, seed, lat, lon, zoneId(zone), err());}
 */
public final class SimulateFollow {
  @Option(names = "--follow",
      description = "After writing history, keep writing live readings at --interval until stopped (Ctrl+C).")
  boolean follow;

  @Option(names = "--speedup", defaultValue = "1", paramLabel = "X",
      description = "With --follow: simulated time runs X times faster (60 = a simulated minute per second).")
  double speedup;

  public boolean enabled() {
    return follow;
  }

  int run(Services ctx, List<String> devices, Duration interval, long seed, double lat, double lon, ZoneId zone,
      PrintWriter err) throws InterruptedException {
    SimulatorFollow.Options options;
    try {
      options = new SimulatorFollow.Options(devices, interval, seed, lat, lon, zone, speedup, Duration.ofDays(1));
    } catch (IllegalArgumentException e) {
      throw new UserException("Cannot follow: " + e.getMessage());
    }
    SimulatorFollow follower = new SimulatorFollow(ctx.telemetry(), ctx.devices(), options, ctx.clock());
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.set(true);
      try {
        stopped.await(10, TimeUnit.SECONDS); // let the batch in flight finish and the store close
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "simulate-follow-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    err.printf("following %s every %s%s; stop with Ctrl+C%n", String.join(", ", devices), interval,
        speedup > 1 ? " at " + speedup + "x" : "");
    err.flush();
    try {
      follower.run(batch -> {
        err.printf("%s  +%d readings (%s)%n", batch.until(), batch.written(), batch.perDevice().entrySet().stream()
            .map(e -> e.getKey() + " +" + e.getValue().written()).collect(Collectors.joining(", ")));
        err.flush();
      }, stop::get, millis -> {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!stop.get() && System.nanoTime() < end) {
          Thread.sleep(Math.min(200, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
        }
      });
    } finally {
      stopped.countDown();
    }
    return 0;
  }
}
