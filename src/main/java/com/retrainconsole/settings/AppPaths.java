package com.retrainconsole.settings;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Per-user folders for data and models. Never the install folder: upgrades and uninstalls keep them.
 * Linux follows XDG, Windows %APPDATA%, macOS Application Support.
 */
public final class AppPaths {
  static final String APP_DIR = "retrain-console";

  private AppPaths() {}

  public static Path defaultDataDir() {
    return defaultDataDir(System.getenv());
  }

  /** decision: the environment is a parameter so the caller's resolved environment (and tests) decide. */
  public static Path defaultDataDir(Map<String, String> env) {
    return defaultDataDir(System.getProperty("os.name", ""), System.getProperty("user.home"), env);
  }

  static Path defaultDataDir(String osName, String home, Map<String, String> env) {
    String os = osName.toLowerCase(Locale.ROOT);
    if (os.contains("win")) {
      String appData = env.get("APPDATA");
      return Path.of(appData != null ? appData : home, "RetrainConsole");
    }
    if (os.contains("mac")) {
      return Path.of(home, "Library", "Application Support", "Retrain Console");
    }
    String xdg = env.get("XDG_DATA_HOME");
    return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".local", "share")).resolve(APP_DIR);
  }

  /**
   * The per-user config folder for the console's local settings (store choice, models folder): Linux
   * $XDG_CONFIG_HOME (else ~/.config)/retrain-console, Windows %APPDATA%\\RetrainConsole, macOS Application
   * Support. decision: apart from the data, so choosing another store never moves the file that chose it.
   */
  public static Path defaultConfigDir(Map<String, String> env) {
    return defaultConfigDir(System.getProperty("os.name", ""), System.getProperty("user.home"), env);
  }

  static Path defaultConfigDir(String osName, String home, Map<String, String> env) {
    String os = osName.toLowerCase(Locale.ROOT);
    if (os.contains("win") || os.contains("mac")) {
      return defaultDataDir(osName, home, env); // both keep per-user app state in one folder
    }
    String xdg = env.get("XDG_CONFIG_HOME");
    return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".config")).resolve(APP_DIR);
  }

  /** Models live beside the data unless --models-dir says otherwise. */
  public static Path defaultModelsDir(Path dataDir) {
    return dataDir.resolve("models");
  }
}
