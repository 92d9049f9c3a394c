package com.retrainconsole.cli;

import com.retrainconsole.alerts.AlertService;
import com.retrainconsole.alerts.AlertService.StatusFilter;
import com.retrainconsole.services.Services;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code alerts list|ack}: what the detectors raised, and acknowledging it. */
@Command(name = "alerts", mixinStandardHelpOptions = true,
    description = "List and acknowledge alerts (low accuracy, training failures, stuck jobs, degradation, circuit open).",
    subcommands = {AlertsCommand.ListAlerts.class, AlertsCommand.Ack.class, CommandLine.HelpCommand.class})
public final class AlertsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing sub-command: list or ack");
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Alerts, most recent activity first.")
  static final class ListAlerts extends StoreCommand {
    @Option(names = "--status", defaultValue = "open", paramLabel = "STATUS",
        description = "open, acknowledged, resolved, active (open or acknowledged) or all (default: ${DEFAULT-VALUE}).")
    String status;

    @Option(names = "--device", paramLabel = "ID") String device;

    @Option(names = "--limit", defaultValue = "50", paramLabel = "N") int limit;

    @Override
    int call(Services ctx, Output out) {
      StatusFilter filter = StatusFilter.parse(status);
      List<Document> alerts = ctx.alerts().list(filter, device, visibleDevices(ctx), Math.max(1, limit));
      List<Map<String, Object>> rows = new ArrayList<>();
      alerts.forEach(a -> rows.add(view(a)));
      out.result(Output.map("status", filter.name().toLowerCase(java.util.Locale.ROOT), "device", device,
              "count", rows.size(), "alerts", rows),
          () -> {
            if (alerts.isEmpty()) {
              out.line("no " + (filter == StatusFilter.ALL ? "" : status + " ") + "alerts"
                  + (device != null ? " for " + device : ""));
            }
            for (Document a : alerts) {
              out.linef("%s  %-12s %-17s %-10s x%-3d last %s  %s", a.getString("alert_id"), a.getString("status"),
                  a.getString("type"), a.getString("device_id"), a.getInteger("count", 1),
                  instant(a.getDate("last_seen")), a.getString("message"));
            }
          });
      return 0;
    }
  }

  @Command(name = "ack", mixinStandardHelpOptions = true, description = "Acknowledge an alert.")
  static final class Ack extends StoreCommand {
    @Parameters(index = "0", paramLabel = "ALERT_ID") String alertId;

    @Option(names = "--reason", paramLabel = "TEXT") String reason;

    @Override
    int call(Services ctx, Output out) {
      Document a = ctx.operations().ackAlert(actor(ctx), alertId, reason);
      out.result(view(a), () -> out.linef("%s %s by %s at %s", a.getString("alert_id"), a.getString("status"),
          a.getString("acked_by"), instant(a.getDate("acked_at"))));
      return 0;
    }
  }

  static Map<String, Object> view(Document a) {
    return Output.map("alert_id", a.getString("alert_id"), "type", a.getString("type"),
        "device_id", a.getString("device_id"), "incident_key", a.getString("incident_key"),
        "status", a.getString("status"), "message", a.getString("message"),
        "details", a.get("details") instanceof Document d ? jsonSafe(d) : null,
        "first_seen", instant(a.getDate("first_seen")), "last_seen", instant(a.getDate("last_seen")),
        "count", a.getInteger("count", 1), "run_ids", a.getList("run_ids", String.class, List.of()),
        "acked_by", a.getString("acked_by"), "acked_at", instant(a.getDate("acked_at")),
        "ack_reason", a.getString("ack_reason"), "resolved_at", instant(a.getDate("resolved_at")),
        "resolve_reason", a.getString("resolve_reason"));
  }

  private static Object jsonSafe(Object o) {
    if (o instanceof Document d) {
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      d.forEach((k, v) -> m.put(k, jsonSafe(v)));
      return m;
    }
    if (o instanceof List<?> l) {
      return l.stream().map(AlertsCommand::jsonSafe).toList();
    }
    if (o instanceof Date date) {
      return date.toInstant().toString();
    }
    if (o instanceof Double d && !Double.isFinite(d)) {
      return null;
    }
    return o;
  }

  private static String instant(Date d) {
    return d == null ? null : d.toInstant().toString();
  }
}
