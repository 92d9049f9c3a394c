package com.retrainconsole.notify;

import com.retrainconsole.access.Actor;
import com.retrainconsole.access.Role;
import com.retrainconsole.runs.RunRepository;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.store.Store;
import java.time.Clock;
import java.util.Arrays;
import java.util.EnumSet;
import org.bson.Document;

/** Cost of one notifier tick over a history of N runs (embedded in-memory store). Args: N [ticks] [recent]. */
public final class NotifierTickBench {
  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int ticks = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    int recent = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    try (Store store = Store.openInMemory()) {
      Clock clock = Clock.systemUTC();
      // history finished a day ago, plus `recent` runs inside the scan's overlap window
      RunRepository old = new RunRepository(store, Clock.offset(clock, java.time.Duration.ofDays(-1)));
      RunRepository runs = new RunRepository(store, clock);
      for (int i = 0; i < n; i++) {
        RunRepository r = i < n - recent ? old : runs;
        String id = r.startInline("tracker" + (i % 20), new Document("type", "bench"), new Document())
            .getString("run_id");
        r.finish(id, i % 3 == 0 ? RunStatus.FAILED : RunStatus.COMPLETED, new Document("error", "x"));
      }
      Notifications notes = new Notifications(store, clock, Backoff.defaults(), java.time.Duration.ofSeconds(1));
      notes.webhooks().add(new Actor("bench", Role.ADMIN), "http://127.0.0.1:9/x", null, WebhookFormat.GENERIC,
          EnumSet.allOf(WebhookEvent.class));
      notes.notifier().tick();
      double[] ms = new double[ticks];
      for (int i = 0; i < ticks; i++) {
        long t0 = System.nanoTime();
        notes.notifier().tick();
        ms[i] = (System.nanoTime() - t0) / 1e6;
      }
      Arrays.sort(ms);
      System.out.printf("runs=%d (recent %d) ticks=%d notifier tick median %.2f ms, p95 %.2f ms, max %.2f ms%n", n, recent, ticks,
          ms[ticks / 2], ms[(int) (ticks * 0.95)], ms[ticks - 1]);
    }
  }
}
