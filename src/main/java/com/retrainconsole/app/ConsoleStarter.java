package com.retrainconsole.app;

import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.ui.ConsoleApp;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/** Opens the JavaFX console; the store is opened by the console, off the FX thread. */
final class ConsoleStarter {
  static final String NO_DISPLAY = "error: no display to open the console on; use `retrain-console demo` or the"
      + " command line (retrain-console --help) instead";
  static final int EXIT_NO_DISPLAY = 2;

  private ConsoleStarter() {}

  /** Shows the console until it is closed (0), or says in one line on {@code err} that it cannot (2). */
  static int start(Supplier<AppConfig> config, PrintWriter err) {
    if (!hasDisplay(System.getenv(), System.getProperty("os.name", ""), System.getProperty("glass.platform"))) {
      err.println(NO_DISPLAY);
      return EXIT_NO_DISPLAY;
    }
    try {
      ConsoleApp.launchOver(AppContext::open, config);
      return 0;
    } catch (UnsupportedOperationException e) {
      // JavaFX throws this when its toolkit cannot reach a screen (e.g. "Unable to open DISPLAY"): the same
      // answer as a missing DISPLAY, not a stack trace
      LoggerFactory.getLogger("console").debug("JavaFX could not start", e);
      err.println(NO_DISPLAY);
      return EXIT_NO_DISPLAY;
    }
  }

  /**
   * Whether a window can be shown. decision: checked before JavaFX starts, because GTK on a machine without
   * a display prints its own warnings and a stack trace before failing. Monocle (headless tests) needs none.
   */
  static boolean hasDisplay(Map<String, String> env, String osName, String glassPlatform) {
    if ("Monocle".equalsIgnoreCase(glassPlatform)) {
      return true;
    }
    String os = osName.toLowerCase(Locale.ROOT);
    if (os.contains("win") || os.contains("mac")) {
      return true;
    }
    return !isBlank(env.get("DISPLAY")) || !isBlank(env.get("WAYLAND_DISPLAY"));
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
