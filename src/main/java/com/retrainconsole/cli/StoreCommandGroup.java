package com.retrainconsole.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code store serve|compact|backup|restore}: the embedded store itself, not the data in it. */
@Command(name = "store", mixinStandardHelpOptions = true,
    description = "Serve the embedded store to other processes, compact its file, back it up or restore a backup.",
    subcommands = {StoreServeCommand.class, StoreCompactCommand.class, StoreBackupCommand.class,
        StoreRestoreCommand.class, CommandLine.HelpCommand.class})
public final class StoreCommandGroup implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing sub-command: serve, compact, backup or restore");
  }
}
