package com.retrainconsole.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The systemd user unit that runs {@code scheduler} at login (or at boot with lingering), written by
 * {@code service install}. ExecStart is this very program — the packaged launcher, or java with this class
 * path — so the service runs the version that installed it.
 */
public final class SchedulerUnit {
  public static final String NAME = "retrain-scheduler.service";

  private SchedulerUnit() {}

  /** {@code $XDG_CONFIG_HOME/systemd/user} (default {@code ~/.config/systemd/user}). */
  public static Path unitDir(Map<String, String> env) {
    String xdg = env.get("XDG_CONFIG_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
    return base.resolve("systemd").resolve("user");
  }

  /** The unit text; {@code command} is the program and the arguments before {@code scheduler}. */
  public static String render(List<String> command, List<String> schedulerArgs) {
    List<String> exec = new ArrayList<>(command);
    exec.add("scheduler");
    exec.addAll(schedulerArgs);
    StringBuilder line = new StringBuilder();
    for (String a : exec) {
      line.append(line.length() == 0 ? "" : " ").append(quote(a));
    }
    return """
        # Written by `retrain-console service install`; remove with `retrain-console service uninstall`.
        [Unit]
        Description=Retrain Console scheduler (keeps solar-tracker models fresh)
        After=network-online.target

        [Service]
        Type=simple
        ExecStart=%s
        # SIGTERM: stop claiming, give running work the grace period, release it, exit 0
        KillSignal=SIGTERM
        TimeoutStopSec=60
        SuccessExitStatus=143
        Restart=on-failure
        RestartSec=10
        # a MongoDB URI with a password belongs in a file only this user can read:
        # EnvironmentFile=%%h/.config/retrain-console/env   (RETRAIN_MONGO_URI=...)

        [Install]
        WantedBy=default.target
        """.formatted(line);
  }

  /** systemd's quoting: plain words stay bare; anything else in double quotes with \\ and " escaped; % doubled. */
  static String quote(String arg) {
    String escaped = arg.replace("%", "%%");
    if (escaped.matches("[A-Za-z0-9_@%+=:,./-]+")) {
      return escaped;
    }
    return "\"" + escaped.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
