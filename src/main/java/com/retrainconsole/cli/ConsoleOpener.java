package com.retrainconsole.cli;

import com.retrainconsole.settings.AppConfig;
import java.io.PrintWriter;
import java.util.function.Supplier;

/**
 * Opens the desktop console for global flags given without a sub-command. The entry point supplies it, so the
 * CLI never depends on the console (docs/ARCHITECTURE.md §1).
 */
@FunctionalInterface
public interface ConsoleOpener {
  /**
   * Shows the console until it is closed and returns the exit code; {@code config} resolves the store from the
   * flags (then the environment, then the defaults) on each attempt to open it. A console that cannot be
   * shown writes one line on {@code err} and returns {@link RetrainCli#EXIT_USAGE}.
   */
  int open(Supplier<AppConfig> config, PrintWriter err);
}
