package com.retrainconsole.app;

import com.retrainconsole.cli.RetrainCli;
import com.retrainconsole.common.AppVersion;
import com.retrainconsole.settings.AppConfig;
import java.io.PrintWriter;

/**
 * Entry point for the jar and the packaged launcher. A sub-command runs headless and exits with its code;
 * no arguments, or only the global store flags, opens the console. Each face gets {@code AppContext::open} as
 * its services factory here, so no face imports this package (docs/ARCHITECTURE.md §1). decision: this class
 * does not extend Application, because a JavaFX Application main class on the classpath fails with "JavaFX
 * runtime components are missing".
 */
public final class Launcher {
  private Launcher() {}

  public static void main(String[] args) {
    if (args.length == 0) {
      // decision: straight to the console, before picocli builds its ~40 command models
      int code = ConsoleStarter.start(() -> AppConfig.resolve(null, null, null, System.getenv()),
          new PrintWriter(System.err, true));
      if (code != 0) {
        System.exit(code);
      }
      return;
    }
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      // decision: answered before picocli builds its ~40 command models (and logging starts), so
      // scripts and installers checking the version pay only for the JVM start
      System.out.println(AppVersion.line());
      System.exit(0);
    }
    System.exit(RetrainCli.run(AppContext::open, ConsoleStarter::start, args));
  }
}
