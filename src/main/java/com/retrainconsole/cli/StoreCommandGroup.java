package com.retrainconsole.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code store serve} and {@code store compact}: the embedded store itself, not the data in it. */
@Command(name = "store", mixinStandardHelpOptions = true,
    description = "Serve the embedded store to other processes, or compact its file.",
    subcommands = {StoreServeCommand.class, StoreCompactCommand.class, CommandLine.HelpCommand.class})
public final class StoreCommandGroup implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing sub-command: serve or compact");
  }
}
