package com.retrainconsole.cli;

import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.services.Services;
import java.util.List;
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
    // listing closes inline runs whose process is gone, so none shows as running for ever
    List<RunRecord> runs = ctx.runs().listRecords(device, s, visibleDevices(ctx), limit);
    out.result(Output.map("runs", runs.stream().map(r -> RunView.plain(r.stored())).toList(), "count", runs.size()),
        () -> {
          if (runs.isEmpty()) {
            out.line("no runs" + (device != null ? " for " + device : ""));
          }
          for (RunRecord r : runs) {
            out.linef("%-30s %-12s %-10s %-20s MAE %-8s %s", r.runId(), r.deviceId(),
                r.status() == null ? null : r.status().wire(), String.valueOf(r.startedAt()),
                r.mae() != null ? String.format("%.2f", r.mae()) : "-",
                r.promoted() ? "promoted" : r.error() != null ? r.error() : "");
          }
        });
    return 0;
  }
}
