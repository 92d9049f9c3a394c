package com.retrainconsole.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;

class ServiceCommandTest {
  @Test
  void the_unit_runs_this_program_with_the_scheduler_sub_command_and_quotes_what_systemd_would_split() {
    String unit = SchedulerUnit.render(List.of("/opt/retrain-console/bin/retrain-console"),
        List.of("--data-dir", "/home/ana/My Data/100%"));
    assertTrue(unit.contains("ExecStart=/opt/retrain-console/bin/retrain-console scheduler --data-dir "
        + "\"/home/ana/My Data/100%%\"\n"), unit);
    assertTrue(unit.contains("KillSignal=SIGTERM"), unit);
    assertTrue(unit.contains("Restart=on-failure"), unit);
    assertTrue(unit.contains("WantedBy=default.target"), unit);
  }

  @Test
  void install_writes_the_unit_status_reports_it_and_uninstall_removes_it(@TempDir Path home) throws Exception {
    Path data = home.resolve("data");
    Path unit = home.resolve("config/systemd/user/retrain-scheduler.service");

    String installed = child(home, "--data-dir", data.toString(), "service", "install");
    assertTrue(Files.exists(unit), installed);
    String text = Files.readString(unit);
    assertTrue(text.contains(" com.retrainconsole.app.Launcher scheduler --data-dir " + data.toAbsolutePath()), text);
    // no user systemd here (a container): the unit is written and the message says how to start it
    assertTrue(installed.contains("wrote " + unit), installed);

    String status = child(home, "service", "status");
    assertTrue(status.contains("installed: " + unit), status);

    String removed = child(home, "service", "uninstall");
    assertTrue(removed.contains("removed " + unit), removed);
    assertFalse(Files.exists(unit));
  }

  /** Runs the CLI in a child JVM whose XDG_CONFIG_HOME is {@code home}/config; returns its output. */
  private static String child(Path home, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        "com.retrainconsole.app.Launcher"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("XDG_CONFIG_HOME", home.resolve("config").toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
    return out;
  }

  @Test
  void install_refuses_a_uri_with_a_password_and_writes_nothing() {
    Cli.Result r = Cli.raw("service", "install", "--mongo-uri", "mongodb://ops:s3cret@db.site:27017/retrain");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.errorLine().contains("must not be written into a unit file"), r.err());
    assertFalse(r.err().contains("s3cret"), "the password was echoed: " + r.err());
  }
}
