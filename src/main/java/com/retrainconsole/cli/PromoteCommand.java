package com.retrainconsole.cli;

import com.retrainconsole.services.Services;
import com.retrainconsole.registry.Pointer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "promote", mixinStandardHelpOptions = true,
    description = "Put a version in service (verifies its sha256, archives the previous production).")
final class PromoteCommand extends StoreCommand {
  @Option(names = "--device", required = true, paramLabel = "ID") String device;

  @Option(names = "--version", required = true, paramLabel = "V") String version;

  @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why; kept in the audit ledger.")
  String reason;

  @Override
  int call(Services ctx, Output out) {
    ctx.devices().require(device);
    Pointer p = ctx.operations().promote(actor(ctx), device, version, reason);
    out.result(Output.map("device_id", device, "pointer", p),
        () -> out.linef("%s: %s in service (was %s)", device, p.version(),
            p.previousVersion() == null ? "none" : p.previousVersion()));
    return 0;
  }
}
