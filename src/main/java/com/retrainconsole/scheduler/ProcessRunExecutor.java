package com.retrainconsole.scheduler;

import com.retrainconsole.runs.Claim;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs each claimed run in a child process ({@code worker --run-id R --token T}), because Tribuo and
 * XGBoost ignore interrupts: only killing the process stops training for real, frees its CPU and memory
 * at once, and isolates a crash. The child connects to the same store with the URI it finds in its
 * environment (RETRAIN_MONGO_URI), never on its command line, so a password does not show in {@code ps}.
 */
public final class ProcessRunExecutor implements RunExecutor {
  public static final String ENV_MONGO_URI = "RETRAIN_MONGO_URI";
  static final String LAUNCHER_CLASS = "com.retrainconsole.app.Launcher";

  private final List<String> launcher;
  private final Supplier<String> mongoUri;
  private final List<String> extraArgs;
  private final Path logDir;

  /**
   * @param mongoUri what the child connects with ({@code Store.connectionUri()})
   * @param extraArgs global options the child needs besides the store, e.g. {@code --models-dir DIR}
   * @param logDir where each worker's output goes ({@code worker-<run_id>.log}); null: this process's
   *     own stdout/stderr
   */
  public ProcessRunExecutor(String mongoUri, List<String> extraArgs, Path logDir) {
    this(launcherCommand(), () -> mongoUri, extraArgs, logDir);
  }

  /**
   * @param mongoUri read at each start: a store that follows its data folder to another server changes it
   *     ({@code store::connectionUri})
   */
  public ProcessRunExecutor(Supplier<String> mongoUri, List<String> extraArgs, Path logDir) {
    this(launcherCommand(), mongoUri, extraArgs, logDir);
  }

  /** @param launcher how to start this application (see {@link #launcherCommand()}) */
  public ProcessRunExecutor(List<String> launcher, String mongoUri, List<String> extraArgs, Path logDir) {
    this(launcher, () -> mongoUri, extraArgs, logDir);
  }

  private ProcessRunExecutor(List<String> launcher, Supplier<String> mongoUri, List<String> extraArgs, Path logDir) {
    this.launcher = List.copyOf(launcher);
    this.mongoUri = mongoUri;
    this.extraArgs = List.copyOf(extraArgs);
    this.logDir = logDir;
  }

  @Override
  public Execution start(Claim claim) {
    List<String> command = new ArrayList<>(launcher);
    command.addAll(List.of("worker", "--run-id", claim.runId(), "--token", Long.toString(claim.token()),
        "--parent-pid", Long.toString(ProcessHandle.current().pid())));
    command.addAll(extraArgs);
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    // a packaged launcher started again reads _JPACKAGE_* as its own JVM options (TOOLING gotcha 9)
    env.keySet().removeIf(k -> k.startsWith("_JPACKAGE_"));
    env.put(ENV_MONGO_URI, mongoUri.get());
    if (logDir != null) {
      try {
        Files.createDirectories(logDir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      builder.redirectErrorStream(true);
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logDir.resolve("worker-" + claim.runId() + ".log").toFile()));
    } else {
      builder.inheritIO();
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a worker process: " + command.get(0), e);
    }
    CompletableFuture<Integer> ended = process.onExit().thenApply(Process::exitValue);
    return new Execution() {
      @Override
      public CompletableFuture<Integer> ended() {
        return ended;
      }

      @Override
      public void kill() {
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.toHandle().destroyForcibly();
      }

      @Override
      public long pid() {
        return process.pid();
      }
    };
  }

  /**
   * How to start this application again: a jpackage'd app re-runs its own launcher; in development (and
   * from the jar) the running JVM's {@code bin/java} with this class path and the Launcher class.
   */
  public static List<String> launcherCommand() {
    String appPath = System.getProperty("jpackage.app-path");
    if (appPath != null && !appPath.isBlank()) {
      return List.of(appPath);
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    if (!new File(java).canExecute()) {
      // a jlinked runtime without bin/java: the launcher of this process is the app itself
      return List.of(ProcessHandle.current().info().command().orElseThrow(
          () -> new IllegalStateException("cannot tell how to start a worker process")));
    }
    return javaCommand(LAUNCHER_CLASS);
  }

  /** {@code bin/java -cp <this class path> mainClass}: development and tests. */
  public static List<String> javaCommand(String mainClass) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(java, "-cp", System.getProperty("java.class.path"), mainClass);
  }
}
