package com.retrainconsole.cli;

import com.retrainconsole.services.Services;
import com.retrainconsole.runs.RunStatus;
import java.util.List;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "runs", mixinStandardHelpOptions = true, description = "List runs, newest first.",
    subcommands = {RunsCancelCommand.class})
final class RunsCommand extends StoreCommand {
  @Option(names = "--device", paramLabel = "ID") String device;

  @Option(names = "--status", paramLabel = "S",
      description = "pending | running | completed | failed | cancelled | timed_out") String status;

  @Option(names = "--limit", defaultValue = "20", paramLabel = "N") int limit;

  @Override
  int call(Services ctx, Output out) {
    if (limit < 1) {
      throw new com.retrainconsole.common.UserException("--limit must be at least 1 (got " + limit + ")");
    }
    RunStatus s = status == null ? null : RunStatus.parse(status);
    List<Document> runs = ctx.runs().list(device, s, visibleDevices(ctx), limit);
    out.result(Output.map("runs", runs.stream().map(RunView::plain).toList(), "count", runs.size()), () -> {
      if (runs.isEmpty()) {
        out.line("no runs" + (device != null ? " for " + device : ""));
      }
      for (Document r : runs) {
        Document m = r.get("metrics", Document.class);
        Document d = r.get("decision", Document.class);
        out.linef("%-30s %-12s %-10s %-20s MAE %-8s %s", r.getString("run_id"), r.getString("device_id"),
            r.getString("status"), RunView.iso(r.get("started_at")),
            m != null && m.get("mae") != null ? String.format("%.2f", m.getDouble("mae")) : "-",
            d != null && Boolean.TRUE.equals(d.getBoolean("promoted")) ? "promoted"
                : r.getString("error") != null ? r.getString("error") : "");
      }
    });
    return 0;
  }
}
