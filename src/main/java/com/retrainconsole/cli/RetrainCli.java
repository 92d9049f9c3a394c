package com.retrainconsole.cli;

import com.retrainconsole.common.UserException;
import com.retrainconsole.services.ServicesFactory;
import com.retrainconsole.settings.AppConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
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
public final class RetrainCli implements Callable<Integer> {
  static final int EXIT_FAILED = 1;
  public static final int EXIT_USAGE = 2;
  private static final Logger LOG = LoggerFactory.getLogger(RetrainCli.class);

  @Mixin GlobalOptions global = new GlobalOptions();

  /** How commands open the store and services; the entry point supplies it (the CLI never imports app). */
  final ServicesFactory services;

  /** What global flags without a sub-command open; null where there is no console (a sub-command is then required). */
  private final ConsoleOpener console;

  @picocli.CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public RetrainCli(ServicesFactory services) {
    this(services, null);
  }

  public RetrainCli(ServicesFactory services, ConsoleOpener console) {
    this.services = services;
    this.console = console;
  }

  /** No sub-command: the console over the store the global flags name, as the help says. */
  @Override
  public Integer call() {
    if (console == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "Missing sub-command");
    }
    GlobalOptions g = global;
    return console.open(() -> AppConfig.resolve(g.mongoUri, g.dataDir, g.modelsDir, System.getenv()),
        spec.commandLine().getErr());
  }

  public static int run(ServicesFactory services, String... args) {
    return run(services, null, args);
  }

  /** As the entry point runs it: global flags alone open the console through {@code console}. */
  public static int run(ServicesFactory services, ConsoleOpener console, String... args) {
    return run(services, console, new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs one command with the given streams, opening services with {@code services}; tests call this in-process. */
  public static int run(ServicesFactory services, PrintWriter out, PrintWriter err, String... args) {
    return run(services, null, out, err, args);
  }

  public static int run(ServicesFactory services, ConsoleOpener console, PrintWriter out, PrintWriter err,
      String... args) {
    CommandLine cli = new CommandLine(new RetrainCli(services, console));
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
