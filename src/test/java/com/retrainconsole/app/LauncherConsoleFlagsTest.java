package com.retrainconsole.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar's entry point in a child JVM without a display: global store flags alone take the console path (and
 * say in one line that there is no display), while a bad flag is still a usage error.
 */
class LauncherConsoleFlagsTest {
  @TempDir Path dir;

  record Exit(int code, String out, String err) {}

  private Exit launch(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xshare:auto",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Launcher.class.getName()));
    command.addAll(List.of(args));
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    Map<String, String> env = pb.environment();
    env.remove("DISPLAY");
    env.remove("WAYLAND_DISPLAY");
    // the per-user folders of the child stay inside this test's folder
    env.put("HOME", dir.resolve("home").toString());
    env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
    env.put("XDG_DATA_HOME", dir.resolve("share").toString());
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("launcher did not exit within 60 s: " + Files.readString(err));
    }
    return new Exit(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void store_flags_without_a_sub_command_take_the_console_path_and_say_there_is_no_display() throws Exception {
    Path data = dir.resolve("data");
    Exit e = launch("--data-dir", data.toString(), "--models-dir", dir.resolve("models").toString());

    assertEquals(ConsoleStarter.NO_DISPLAY + System.lineSeparator(), e.err(), "stderr");
    assertEquals(2, e.code(), e.err());
    assertEquals("", e.out());
    assertFalse(Files.exists(data), "no store is opened when the console cannot be shown");
  }

  @Test
  void an_unknown_flag_beside_the_store_flags_is_still_a_usage_error() throws Exception {
    Exit e = launch("--data-dir", dir.resolve("data").toString(), "--bogus");

    assertEquals(2, e.code(), e.err());
    assertTrue(e.err().startsWith("error: Unknown option: '--bogus'"), e.err());
    assertTrue(e.err().contains("Usage: retrain-console"), e.err());
    assertFalse(e.err().contains(ConsoleStarter.NO_DISPLAY), e.err());
  }

  @Test
  void a_display_is_needed_on_linux_but_not_under_monocle() {
    assertFalse(ConsoleStarter.hasDisplay(Map.of(), "Linux", null));
    assertFalse(ConsoleStarter.hasDisplay(Map.of("DISPLAY", " "), "Linux", null));
    assertTrue(ConsoleStarter.hasDisplay(Map.of("DISPLAY", ":0"), "Linux", null));
    assertTrue(ConsoleStarter.hasDisplay(Map.of("WAYLAND_DISPLAY", "wayland-0"), "Linux", null));
    assertTrue(ConsoleStarter.hasDisplay(Map.of(), "Linux", "Monocle"));
    assertTrue(ConsoleStarter.hasDisplay(Map.of(), "Windows 11", null));
  }
}
