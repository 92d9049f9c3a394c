package com.retrainconsole.cli;

import com.retrainconsole.common.UserException;
import com.retrainconsole.services.ServicesFactory;
import java.io.PrintWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The headless face (docs/ARCHITECTURE.md §10). Exit codes: 0 success, 1 the work ran and failed (a failed run),
 * 2 the request was wrong (bad flag, unknown device, unreachable store) with a one-line reason on stderr.
 */
@Command(
    name = "retrain-console",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Keeps regression models on solar-tracker telemetry fresh. No sub-command opens the console.",
    subcommands = {
      DemoCommand.class,
      SimulateCommand.class,
      ImportCsvCommand.class,
      TrainCommand.class,
      RunsCommand.class,
      ModelCommand.class,
      PromoteCommand.class,
      RollbackCommand.class,
      BenchCommand.class,
      SchedulerCommand.class,
      TriggersCommand.class,
      AlertsCommand.class,
      UsersCommand.class,
      SettingsCommand.class,
      TelemetryCommand.class,
      ApiCommand.class,
      WebhooksCommand.class,
      ServiceCommand.class,
      PredictCommand.class,
      DevicesCommand.class,
      SampleCommand.class,
      StoreCommandGroup.class,
      WorkerCommand.class,
      CommandLine.HelpCommand.class
    })
public final class RetrainCli implements Runnable {
  static final int EXIT_FAILED = 1;
  static final int EXIT_USAGE = 2;
  private static final Logger LOG = LoggerFactory.getLogger(RetrainCli.class);

  @Mixin GlobalOptions global = new GlobalOptions();

  /** How commands open the store and services; the entry point supplies it (the CLI never imports app). */
  final ServicesFactory services;

  @picocli.CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public RetrainCli(ServicesFactory services) {
    this.services = services;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing sub-command");
  }

  public static int run(ServicesFactory services, String... args) {
    return run(services, new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs one command with the given streams, opening services with {@code services}; tests call this in-process. */
  public static int run(ServicesFactory services, PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new RetrainCli(services));
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof UserException) {
            commandLine.getErr().println("error: " + e.getMessage());
            return EXIT_USAGE;
          }
          LOG.debug("command failed", e);
          commandLine.getErr().println("error: " + describe(e));
          return EXIT_FAILED;
        });
    cli.setParameterExceptionHandler(
        (e, args1) -> {
          CommandLine c = e.getCommandLine();
          c.getErr().println("error: " + e.getMessage());
          c.usage(c.getErr());
          return EXIT_USAGE;
        });
    return cli.execute(args);
  }

  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getMessage() == null) {
      root = root.getCause();
    }
    String msg = root.getMessage();
    return root.getClass().getSimpleName() + (msg != null ? ": " + msg : "");
  }
}
