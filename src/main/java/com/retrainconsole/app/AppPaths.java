package com.retrainconsole.app;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Per-user folders for data and models. Never the install folder: upgrades and uninstalls keep them.
 * Linux follows XDG, Windows %APPDATA%, macOS Application Support.
 */
public final class AppPaths {
  static final String APP_DIR = "retrain-console";

  private AppPaths() {}

  public static Path defaultDataDir() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String home = System.getProperty("user.home");
    if (os.contains("win")) {
      String appData = System.getenv("APPDATA");
      return Path.of(appData != null ? appData : home, "RetrainConsole");
    }
    if (os.contains("mac")) {
      return Path.of(home, "Library", "Application Support", "Retrain Console");
    }
    String xdg = System.getenv("XDG_DATA_HOME");
    return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".local", "share")).resolve(APP_DIR);
  }

  /** Models live beside the data unless --models-dir says otherwise. */
  public static Path defaultModelsDir(Path dataDir) {
    return dataDir.resolve("models");
  }
}
