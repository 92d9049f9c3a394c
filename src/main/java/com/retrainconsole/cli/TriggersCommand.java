package com.retrainconsole.cli;

import com.retrainconsole.services.Services;
import com.retrainconsole.common.UserException;
import com.retrainconsole.triggers.Guards;
import com.retrainconsole.triggers.Trigger;
import com.retrainconsole.triggers.TriggerEvents;
import com.retrainconsole.triggers.TriggerPreview;
import com.retrainconsole.triggers.TriggerReplay;
import com.retrainconsole.triggers.TriggerRepository;
import com.retrainconsole.triggers.TriggerType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code triggers add|list|show|edit|enable|disable|remove|test|replay}. */
@Command(name = "triggers", mixinStandardHelpOptions = true,
    description = "Manage the triggers that start retrains by themselves.",
    subcommands = {TriggersCommand.Add.class, TriggersCommand.ListTriggers.class, TriggersCommand.Show.class,
        TriggersCommand.Edit.class, TriggersCommand.Enable.class, TriggersCommand.Disable.class,
        TriggersCommand.Remove.class, TriggersCommand.PreviewFires.class, TriggersCommand.Replay.class})
final class TriggersCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "Missing sub-command: add, list, show, edit, enable, disable, remove, test or replay");
  }

  /** Options shared by add and edit: type-specific spec fields and guards; null = not given. */
  static class SpecOptions {
    @Option(names = "--cron", paramLabel = "EXPR", description = "5-field cron, e.g. \"30 2 * * *\".") String cron;
    @Option(names = "--zone", paramLabel = "ZONE", description = "IANA zone of the cron, e.g. Europe/Berlin.") String zone;
    @Option(names = "--every", paramLabel = "DUR", converter = DurationConverter.class, description = "Interval, e.g. 6h.") Duration every;
    @Option(names = "--anchor", paramLabel = "TIME", converter = InstantConverter.class, description = "Interval anchor (default: now).") Instant anchor;
    @Option(names = "--min-rows", paramLabel = "N", description = "new_data: readings since the last successful run.") Long minRows;
    @Option(names = "--features", paramLabel = "F,F", description = "drift: monitored fields.") String features;
    @Option(names = "--alpha", paramLabel = "A", description = "drift: significance level (0,1), default 0.01.") Double alpha;
    @Option(names = "--correction", paramLabel = "C", description = "drift: bonferroni (default) or fdr.") String correction;
    @Option(names = "--min-effect", paramLabel = "D", description = "drift: minimum KS statistic, default 0.1.") Double minEffect;
    @Option(names = "--min-sample", paramLabel = "N", description = "drift/performance: minimum recent sample.") Long minSample;
    @Option(names = "--persistence", paramLabel = "M/N", description = "drift: condition held in M of the last N checks.") String persistence;
    @Option(names = "--reference-days", paramLabel = "N", description = "drift: reference days when no model is in service.") Long referenceDays;
    @Option(names = "--threshold-pct", paramLabel = "PCT", description = "performance: MAE worse than at promotion by more than PCT %%.") Double thresholdPct;
    @Option(names = "--window", paramLabel = "DUR", converter = DurationConverter.class, description = "drift/performance: recent window, default 24h.") Duration window;
    @Option(names = "--check-every", paramLabel = "DUR", converter = DurationConverter.class, description = "data triggers: how often to check, default 1h.") Duration checkEvery;
    @Option(names = "--cooldown", paramLabel = "DUR", converter = DurationConverter.class, description = "Guard: no fire within DUR of a run (default 6h).") Duration cooldown;
    @Option(names = "--max-per-day", paramLabel = "N", description = "Guard: scheduler runs per device per 24 h.") Integer maxPerDay;
    @Option(names = "--min-new-rows", paramLabel = "N", description = "Guard: readings since the last successful run.") Long minNewRows;

    Document spec() {
      Document d = new Document();
      put(d, "cron", cron);
      put(d, "zone", zone);
      put(d, "every", every);
      put(d, "anchor", anchor);
      put(d, "min_rows", minRows);
      put(d, "features", features);
      put(d, "alpha", alpha);
      put(d, "correction", correction);
      put(d, "min_effect", minEffect);
      put(d, "min_sample", minSample);
      put(d, "reference_days", referenceDays);
      put(d, "threshold_pct", thresholdPct);
      put(d, "window", window);
      put(d, "check_every", checkEvery);
      if (persistence != null) {
        String[] mn = persistence.trim().split("/");
        try {
          d.append("persistence_m", Long.parseLong(mn[0].trim())).append("persistence_n", Long.parseLong(mn[1].trim()));
        } catch (RuntimeException e) {
          throw new UserException("--persistence must be M/N such as 2/3 (got '" + persistence + "')");
        }
      }
      return d;
    }

    private static void put(Document d, String key, Object v) {
      if (v != null) {
        d.append(key, v);
      }
    }
  }

  static Map<String, Object> view(Trigger t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("trigger_id", t.triggerId());
    m.put("device_id", t.deviceId());
    m.put("type", t.type().wire());
    m.put("enabled", t.enabled());
    m.put("describe", t.describe());
    m.put("spec", plain(t.spec()));
    m.put("guards", Output.map("cooldown", t.guards().cooldown().toString(), "max_per_day", t.guards().maxPerDay(),
        "min_new_rows", t.guards().minNewRows()));
    m.put("next_fire_at", str(t.nextFireAt()));
    m.put("last_evaluated_at", str(t.lastEvaluatedAt()));
    m.put("last_fired_at", str(t.lastFiredAt()));
    m.put("circuit", Output.map("open", t.circuit().open(), "opened_at", str(t.circuit().openedAt()),
        "consecutive_failures", t.circuit().consecutiveFailures()));
    return m;
  }

  static Object plain(Object v) {
    if (v instanceof Document d) {
      Map<String, Object> m = new LinkedHashMap<>();
      d.forEach((k, x) -> m.put(k, plain(x)));
      return m;
    }
    if (v instanceof Date date) {
      return date.toInstant().toString();
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(plain(x)));
      return out;
    }
    if (v instanceof org.bson.types.ObjectId) {
      return null;
    }
    return v;
  }

  static String str(Instant i) {
    return i == null ? null : i.toString();
  }

  static void printTrigger(Output out, Trigger t) {
    out.linef("%-22s %-10s %-8s %-9s next %-22s %s%s", t.triggerId(), t.deviceId(), t.type().wire(),
        t.enabled() ? "enabled" : "disabled", t.nextFireAt() == null ? "-" : t.nextFireAt().toString(), t.describe(),
        t.circuit().open() ? "  [CIRCUIT OPEN]" : "");
  }

  static TriggerRepository repo(Services ctx) {
    return ctx.triggers();
  }

  @Command(name = "add", mixinStandardHelpOptions = true, description = "Add an enabled trigger.")
  static final class Add extends StoreCommand {
    @Option(names = "--device", required = true, paramLabel = "ID") String device;
    @Option(names = "--type", required = true, paramLabel = "TYPE",
        description = "cron | interval | new_data | drift | performance") String type;
    @picocli.CommandLine.Mixin SpecOptions o = new SpecOptions();

    @Override
    int call(Services ctx, Output out) {
      var config = device(ctx, device);
      TriggerType kind = TriggerType.parse(type);
      Document spec = o.spec();
      if (kind == TriggerType.CRON && !spec.containsKey("zone")) {
        spec.put("zone", config.zone().getId()); // decision: "02:30" means the site's clock unless told otherwise
      }
      Trigger t = ctx.operations().addTrigger(actor(ctx), device, kind, spec,
          Guards.defaults().merge(o.cooldown, o.maxPerDay, o.minNewRows));
      out.result(view(t), () -> {
        out.line("added " + t.triggerId());
        printTrigger(out, t);
      });
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List triggers.")
  static final class ListTriggers extends StoreCommand {
    @Option(names = "--device", paramLabel = "ID") String device;

    @Override
    int call(Services ctx, Output out) {
      Set<String> visible = visibleDevices(ctx);
      List<Trigger> all = repo(ctx).list(device).stream()
          .filter(t -> visible == null || visible.contains(t.deviceId())).toList();
      out.result(Output.map("triggers", all.stream().map(TriggersCommand::view).toList(), "count", all.size()), () -> {
        if (all.isEmpty()) {
          out.line("no triggers" + (device != null ? " for " + device : "") + "; add one with triggers add");
        }
        all.forEach(t -> printTrigger(out, t));
      });
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a trigger and its recent evaluations.")
  static final class Show extends StoreCommand {
    @Parameters(index = "0", paramLabel = "ID") String id;
    @Option(names = "--limit", defaultValue = "20", paramLabel = "N") int limit;

    @Override
    int call(Services ctx, Output out) {
      Trigger t = repo(ctx).require(id);
      if (!ctx.operations().visibility().canSee(actor(ctx), t.deviceId())) {
        throw new com.retrainconsole.common.NotFoundException("Unknown trigger '" + id + "'. List triggers with:"
            + " triggers list");
      }
      List<Document> events = new TriggerEvents(ctx.store()).recent(id, Math.max(1, limit));
      Map<String, Object> v = view(t);
      v.put("events", events.stream().map(e -> {
        e.remove("_id");
        return plain(e);
      }).toList());
      out.result(v, () -> {
        printTrigger(out, t);
        out.line("guards: cooldown " + t.guards().cooldown() + ", max per day " + t.guards().maxPerDay()
            + ", min new rows " + t.guards().minNewRows());
        out.line("recent evaluations (newest first):");
        for (Document e : events) {
          out.linef("  %-24s slot %-24s %-5s %s%s", e.getDate("at").toInstant(),
              e.getDate("scheduled_for") == null ? "-" : e.getDate("scheduled_for").toInstant(),
              e.getBoolean("fired") ? "FIRED" : "-", e.getString("reason"),
              e.getString("run_id") != null ? " -> " + e.getString("run_id") : "");
        }
      });
      return 0;
    }
  }

  @Command(name = "edit", mixinStandardHelpOptions = true, description = "Change a trigger's settings or guards.")
  static final class Edit extends StoreCommand {
    @Parameters(index = "0", paramLabel = "ID") String id;
    @picocli.CommandLine.Mixin SpecOptions o = new SpecOptions();

    @Override
    int call(Services ctx, Output out) {
      Trigger before = repo(ctx).require(id);
      Trigger t = ctx.operations().editTrigger(actor(ctx), id, o.spec(),
          before.guards().merge(o.cooldown, o.maxPerDay, o.minNewRows));
      out.result(view(t), () -> printTrigger(out, t));
      return 0;
    }
  }

  @Command(name = "enable", mixinStandardHelpOptions = true,
      description = "Enable a trigger and close its device's circuit breaker.")
  static final class Enable extends StoreCommand {
    @Parameters(index = "0", paramLabel = "ID") String id;

    @Override
    int call(Services ctx, Output out) {
      Trigger t = ctx.operations().setTriggerEnabled(actor(ctx), id, true);
      out.result(view(t), () -> printTrigger(out, t));
      return 0;
    }
  }

  @Command(name = "disable", mixinStandardHelpOptions = true, description = "Disable a trigger.")
  static final class Disable extends StoreCommand {
    @Parameters(index = "0", paramLabel = "ID") String id;

    @Override
    int call(Services ctx, Output out) {
      Trigger t = ctx.operations().setTriggerEnabled(actor(ctx), id, false);
      out.result(view(t), () -> printTrigger(out, t));
      return 0;
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Delete a trigger (its events stay).")
  static final class Remove extends StoreCommand {
    @Parameters(index = "0", paramLabel = "ID") String id;

    @Override
    int call(Services ctx, Output out) {
      Trigger t = ctx.operations().removeTrigger(actor(ctx), id);
      out.result(Output.map("removed", t.triggerId()), () -> out.line("removed " + t.triggerId()));
      return 0;
    }
  }

  @Command(name = "test", mixinStandardHelpOptions = true,
      description = "Next 10 fire times (local and UTC, DST flagged) and what would fire on resume.")
  static final class PreviewFires extends StoreCommand {
    @Parameters(index = "0", paramLabel = "ID") String id;
    @Option(names = "--count", defaultValue = "10", paramLabel = "N") int count;

    @Override
    int call(Services ctx, Output out) {
      Trigger t = repo(ctx).require(id);
      if (!ctx.operations().visibility().canSee(actor(ctx), t.deviceId())) {
        throw new com.retrainconsole.common.NotFoundException("Unknown trigger '" + id + "'. List triggers with:"
            + " triggers list");
      }
      TriggerPreview.Preview p = TriggerPreview.preview(t, ctx.devices().find(t.deviceId())
          .map(d -> d.zone()).orElse(java.time.ZoneOffset.UTC), ctx.clock().instant(), Math.max(1, count));
      out.result(Output.map("trigger_id", p.triggerId(), "zone", p.zone(), "next", p.next().stream().map(f -> Output.map(
              "utc", f.utc().toString(), "local", f.local().toString(), "dst_day", f.dstDay(), "dst_note", f.dstNote()))
              .toList(), "resume", Output.map("at", p.resume().at().toString(), "fires", str(p.resume().fires()),
              "missed_slots", p.resume().missedSlots(), "summary", p.resume().summary())),
          () -> {
            out.line(t.triggerId() + ": " + t.describe() + " (times in " + p.zone() + ")");
            for (TriggerPreview.PreviewFire f : p.next()) {
              out.linef("  %-20s %-22s %s%s", f.local(), f.utc(), f.dstDay() == null ? "" : "[" + f.dstDay() + "] ",
                  f.dstNote() == null ? "" : f.dstNote());
            }
            out.line("on resume: " + p.resume().summary());
          });
      return 0;
    }
  }

  @Command(name = "replay", mixinStandardHelpOptions = true,
      description = "Replay a trigger over stored telemetry and runs; prints when it would have fired. Writes nothing.")
  static final class Replay extends StoreCommand {
    @Parameters(index = "0", paramLabel = "ID") String id;
    @Option(names = "--from", required = true, paramLabel = "TIME", converter = InstantConverter.class) Instant from;
    @Option(names = "--to", required = true, paramLabel = "TIME", converter = InstantConverter.class) Instant to;

    @Override
    int call(Services ctx, Output out) {
      Trigger t = repo(ctx).require(id);
      if (!ctx.operations().visibility().canSee(actor(ctx), t.deviceId())) {
        throw new com.retrainconsole.common.NotFoundException("Unknown trigger '" + id + "'. List triggers with:"
            + " triggers list");
      }
      TriggerReplay.Result r = new TriggerReplay(ctx.store(), ctx.devices(), ctx.registry()).replay(t, from, to);
      out.result(Output.map("trigger_id", r.triggerId(), "from", r.from().toString(), "to", r.to().toString(),
          "evaluations", r.evaluations(), "refused_by_guards", r.refusedByGuards(), "fires", r.fires().stream()
              .map(f -> Output.map("at", f.at().toString(), "value", f.value(), "threshold", f.threshold(),
                  "reason", f.reason())).toList()), () -> {
                    out.line(t.triggerId() + ": " + r.evaluations() + " evaluations, " + r.fires().size() + " fires, "
                        + r.refusedByGuards() + " refused by guards");
                    r.fires().forEach(f -> out.linef("  %-24s %s", f.at(), f.reason()));
                  });
      return 0;
    }
  }
}
