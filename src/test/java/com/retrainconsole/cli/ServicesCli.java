package com.retrainconsole.cli;

import com.retrainconsole.common.UserException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/**
 * The real CLI with this branch's commands added (store, alerts, predict), as RetrainCli will have them
 * once they are registered there. Runs in-process or as a child JVM's main.
 */
final class ServicesCli {
  private ServicesCli() {}

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new RetrainCli());
    cli.addSubcommand(new StoreCommandGroup());
    cli.addSubcommand(new AlertsCommand());
    cli.addSubcommand(new PredictCommand());
    return cli;
  }

  static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = commandLine();
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler((e, c, p) -> {
      c.getErr().println("error: " + (e instanceof UserException ? e.getMessage() : RetrainCli.describe(e)));
      return e instanceof UserException ? RetrainCli.EXIT_USAGE : RetrainCli.EXIT_FAILED;
    });
    cli.setParameterExceptionHandler((e, a) -> {
      e.getCommandLine().getErr().println("error: " + e.getMessage());
      return RetrainCli.EXIT_USAGE;
    });
    return cli.execute(args);
  }

  /** Runs with --data-dir/--models-dir appended; returns the captured result. */
  static Cli.Result run(Path dataDir, Path modelsDir, String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(List.of("--data-dir", dataDir.toString(), "--models-dir", modelsDir.toString()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
    return new Cli.Result(code, out.toString(), err.toString(), all);
  }

  /** Child JVM entry point. */
  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }
}
