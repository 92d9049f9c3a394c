package com.retrainconsole.cli;

import com.retrainconsole.access.Actor;
import com.retrainconsole.access.UserDirectory;
import com.retrainconsole.services.Services;
import com.retrainconsole.common.DeviceIds;
import java.time.Instant;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code telemetry delete}: remove a device's readings in a time range (admins only, audited). */
@Command(name = "telemetry", mixinStandardHelpOptions = true,
    description = "Manage stored telemetry.",
    subcommands = {TelemetryCommand.Delete.class, CommandLine.HelpCommand.class})
final class TelemetryCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing sub-command: delete");
  }

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Delete a device's readings with FROM <= time < TO (admins only; recorded in the audit ledger).")
  static final class Delete extends StoreCommand {
    @Option(names = "--device", required = true, paramLabel = "ID") String device;

    @Option(names = "--from", required = true, paramLabel = "TIME", converter = InstantConverter.class,
        description = "First time deleted, e.g. 2020-05-15T00:00:00Z or 2020-05-15.")
    Instant from;

    @Option(names = "--to", required = true, paramLabel = "TIME", converter = InstantConverter.class,
        description = "Readings from this time on are kept.")
    Instant to;

    @Override
    int call(Services ctx, Output out) {
      DeviceIds.require(device);
      Actor me = ctx.users().resolve(UserDirectory.localUser());
      ctx.devices().require(device);
      long removed = ctx.operations().deleteTelemetry(me, device, from, to);
      long left = ctx.telemetry().count(device);
      out.result(Output.map("device_id", device, "from", from.toString(), "to", to.toString(), "removed", removed,
              "remaining", left, "deleted_by", me.user()),
          () -> out.linef("%s: removed %d readings from %s to %s (%d left)", device, removed, from, to, left));
      return 0;
    }
  }
}
