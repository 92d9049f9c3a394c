package com.retrainconsole.cli;

import com.retrainconsole.common.UserException;
import com.retrainconsole.scheduler.ProcessRunExecutor;
import com.retrainconsole.store.RedactedUri;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code service install|uninstall|status}: the scheduler as a systemd user service on Linux. On systems
 * without a user systemd (containers, WSL without systemd) the unit is still written and the command says
 * how to start it; Windows and macOS get pointers to installer/README.md.
 */
@Command(name = "service", mixinStandardHelpOptions = true,
    description = "Run the scheduler as a systemd user service (Linux): install, uninstall, status.",
    subcommands = {ServiceCommand.Install.class, ServiceCommand.Uninstall.class, ServiceCommand.Status.class,
        CommandLine.HelpCommand.class})
public final class ServiceCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing sub-command: install, uninstall or status");
  }

  abstract static class Base implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    GlobalOptions global() {
      return ((RetrainCli) spec.root().userObject()).global;
    }

    Output out() {
      return new Output(spec.commandLine().getOut(), global().json);
    }

    static Path unitFile() {
      return SchedulerUnit.unitDir(System.getenv()).resolve(SchedulerUnit.NAME);
    }

    static void requireLinux() {
      String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
      if (!os.contains("linux")) {
        throw new UserException("service install works with systemd on Linux; on " + System.getProperty("os.name")
            + " see installer/README.md (Windows: Task Scheduler; macOS: the launchd agent in installer/macos)");
      }
    }

    /** Runs systemctl --user; returns its exit code and output, or null when there is no user systemd. */
    static SystemctlResult systemctl(String... args) {
      List<String> cmd = new ArrayList<>(List.of("systemctl", "--user"));
      cmd.addAll(List.of(args));
      try {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return new SystemctlResult(-1, "systemctl did not answer within 20 s");
        }
        return new SystemctlResult(p.exitValue(), new String(p.getInputStream().readAllBytes(),
            StandardCharsets.UTF_8).trim());
      } catch (IOException e) {
        return new SystemctlResult(-1, "systemctl is not installed");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new SystemctlResult(-1, "interrupted");
      }
    }
  }

  record SystemctlResult(int code, String output) {
    boolean ok() {
      return code == 0;
    }
  }

  @Command(name = "install", mixinStandardHelpOptions = true,
      description = "Write the user unit (with this program and the global options) and enable and start it.")
  static final class Install extends Base {
    @Override
    public Integer call() throws IOException {
      requireLinux();
      GlobalOptions g = global();
      List<String> args = new ArrayList<>();
      if (g.mongoUri != null) {
        if (RedactedUri.hasPassword(g.mongoUri)) {
          throw new UserException("--mongo-uri carries a password, which must not be written into a unit file; "
              + "put RETRAIN_MONGO_URI=... in ~/.config/retrain-console/env (chmod 600) and uncomment the "
              + "EnvironmentFile line of the unit");
        }
        args.addAll(List.of("--mongo-uri", g.mongoUri));
      }
      if (g.dataDir != null) {
        args.addAll(List.of("--data-dir", g.dataDir.toAbsolutePath().toString()));
      }
      if (g.modelsDir != null) {
        args.addAll(List.of("--models-dir", g.modelsDir.toAbsolutePath().toString()));
      }
      Path unit = unitFile();
      Files.createDirectories(unit.getParent());
      Path tmp = unit.resolveSibling(SchedulerUnit.NAME + ".tmp");
      Files.writeString(tmp, SchedulerUnit.render(ProcessRunExecutor.launcherCommand(), args));
      Files.move(tmp, unit, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      SystemctlResult reload = systemctl("daemon-reload");
      SystemctlResult enable = reload.ok() ? systemctl("enable", "--now", SchedulerUnit.NAME) : reload;
      Output out = out();
      out.result(Output.map("unit", unit.toString(), "enabled", enable.ok(), "systemctl", enable.output()), () -> {
        out.line("wrote " + unit);
        if (enable.ok()) {
          out.line("enabled and started " + SchedulerUnit.NAME + " (runs at login; for boot without login: "
              + "loginctl enable-linger $USER)");
        } else {
          out.line("not started: " + firstLine(enable.output()) + ". Where a user systemd runs: systemctl --user "
              + "enable --now " + SchedulerUnit.NAME);
        }
      });
      return 0;
    }
  }

  @Command(name = "uninstall", mixinStandardHelpOptions = true,
      description = "Stop and disable the user unit and remove its file (data and models stay).")
  static final class Uninstall extends Base {
    @Override
    public Integer call() throws IOException {
      requireLinux();
      Path unit = unitFile();
      SystemctlResult disable = systemctl("disable", "--now", SchedulerUnit.NAME);
      boolean removed = Files.deleteIfExists(unit);
      systemctl("daemon-reload");
      Output out = out();
      out.result(Output.map("unit", unit.toString(), "removed", removed, "stopped", disable.ok()), () ->
          out.line(removed ? "removed " + unit + (disable.ok() ? " (stopped and disabled)" : "")
              : "no unit at " + unit + "; nothing to remove"));
      return 0;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Whether the unit is installed and running.")
  static final class Status extends Base {
    @Override
    public Integer call() throws IOException {
      requireLinux();
      Path unit = unitFile();
      boolean installed = Files.exists(unit);
      SystemctlResult active = systemctl("is-active", SchedulerUnit.NAME);
      String state = active.code() == -1 ? "unknown (" + active.output() + ")" : firstLine(active.output());
      String exec = installed ? Files.readAllLines(unit).stream().filter(l -> l.startsWith("ExecStart="))
          .findFirst().map(l -> l.substring("ExecStart=".length())).orElse("") : null;
      Output out = out();
      out.result(Output.map("unit", unit.toString(), "installed", installed, "state", state, "exec_start", exec),
          () -> {
            out.line(installed ? "installed: " + unit : "not installed (retrain-console service install)");
            out.line("state: " + state);
            if (exec != null) {
              out.line("runs: " + exec);
            }
          });
      return installed ? 0 : 3;
    }
  }

  static String firstLine(String s) {
    if (s == null || s.isBlank()) {
      return "no output";
    }
    return s.lines().findFirst().orElse(s);
  }
}
