package com.retrainconsole.cli;

import com.retrainconsole.services.Services;
import com.retrainconsole.registry.Pointer;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "rollback", mixinStandardHelpOptions = true,
    description = "Go back to the previous production version, or to a chosen one.")
final class RollbackCommand extends StoreCommand {
  @Option(names = "--device", required = true, paramLabel = "ID") String device;

  @Option(names = "--to", paramLabel = "V", description = "Version to return to (default: the previous production).")
  String to;

  @Option(names = "--reason", required = true, paramLabel = "TEXT") String reason;

  @Override
  int call(Services ctx, Output out) {
    ctx.devices().require(device);
    Pointer p = ctx.operations().rollback(actor(ctx), device, Optional.ofNullable(to), reason);
    out.result(Output.map("device_id", device, "pointer", p),
        () -> out.linef("%s: rolled back to %s (from %s)", device, p.version(), p.previousVersion()));
    return 0;
  }
}
