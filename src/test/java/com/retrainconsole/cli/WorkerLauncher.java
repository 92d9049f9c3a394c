package com.retrainconsole.cli;

import picocli.CommandLine;

/**
 * The app's CLI with the scheduler's commands added, for child processes started by tests. decision:
 * RetrainCli's sub-command list is wired by the integrator; until WorkerCommand is registered there, tests
 * start workers through this main (same command classes, same global options).
 */
public final class WorkerLauncher {
  private WorkerLauncher() {}

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new RetrainCli());
    if (!cli.getSubcommands().containsKey("worker")) {
      cli.addSubcommand("worker", new WorkerCommand());
    }
    cli.setExecutionExceptionHandler((e, c, p) -> {
      c.getErr().println("error: " + RetrainCli.describe(e));
      return RetrainCli.EXIT_FAILED;
    });
    System.exit(cli.execute(args));
  }
}
