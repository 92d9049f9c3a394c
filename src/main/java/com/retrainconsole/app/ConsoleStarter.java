package com.retrainconsole.app;

/** Opens the JavaFX console. The console arrives with its own issue; until then say so plainly. */
final class ConsoleStarter {
  private ConsoleStarter() {}

  static void start(String[] args) {
    System.err.println("The desktop console is not built yet. Use a sub-command; see --help:");
    System.exit(com.retrainconsole.cli.RetrainCli.run(new String[] {"--help"}));
  }
}
