package com.retrainconsole.ui;

import com.retrainconsole.triggers.Circuit;
import com.retrainconsole.triggers.Guards;
import com.retrainconsole.triggers.Trigger;
import com.retrainconsole.triggers.TriggerSpecs;
import com.retrainconsole.triggers.TriggerType;
import com.retrainconsole.ui.triggers.TriggersViewModel;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.bson.Document;

/**
 * What one keystroke in the cron field costs the Triggers form: the field check (TriggerSpecs.problem, run
 * on the FX thread by the validator) and the 10-fire preview (run in the background). Every expression is
 * new, so CronSchedule's parse cache never helps. Prints figures; asserts nothing.
 */
public final class TriggersViewBench {
  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    Instant now = Instant.parse("2026-10-20T12:00:00Z");
    String[] zones = {"Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "UTC"};
    for (int round = 0; round < 2; round++) { // the first round warms the JIT
      long check = 0;
      long preview = 0;
      long worst = 0;
      for (int i = 0; i < n; i++) {
        String cron = (i % 60) + " " + (i / 60 % 24) + " * * " + (i % 7 == 0 ? "1-5" : "*") + " ";
        String zone = zones[i % zones.length];
        long t0 = System.nanoTime();
        String problem = TriggerSpecs.problem(TriggerType.CRON, new Document("cron", cron + i % 3), now);
        long t1 = System.nanoTime();
        Document spec = TriggerSpecs.normalize(TriggerType.CRON, new Document("cron", cron).append("zone", zone), now);
        Trigger t = new Trigger("bench", "d", TriggerType.CRON, true, spec, Guards.defaults(), now, now, null, null,
            null, Circuit.CLOSED, List.of());
        List<TriggersViewModel.PreviewRow> rows = TriggersViewModel.preview(t, ZoneId.of("UTC"), now, 10);
        long t2 = System.nanoTime();
        if (rows.size() != 10 && problem == null) {
          throw new IllegalStateException(cron);
        }
        check += t1 - t0;
        preview += t2 - t1;
        worst = Math.max(worst, t2 - t0);
      }
      if (round == 1) {
        System.out.printf("%d keystrokes: field check %.3f ms mean (FX thread), preview of 10 fires %.3f ms mean"
            + " (background), worst check+preview %.2f ms%n", n, check / 1e6 / n, preview / 1e6 / n, worst / 1e6);
      }
    }
  }
}
