package com.retrainconsole.settings;

import com.retrainconsole.store.StoreConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where data and models live, resolved once from flags, then environment, then the local settings file
 * (what the console's Settings view saves), then per-user defaults. Flags win so a script can always
 * override the machine's environment.
 *
 * @param settingsFile the local settings file this config was read from and the console saves to
 */
public record AppConfig(String mongoUri, Path dataDir, Path modelsDir, Path settingsFile) {
  public static final String ENV_MONGO_URI = "RETRAIN_MONGO_URI";
  public static final String ENV_DATA_DIR = "RETRAIN_DATA_DIR";
  public static final String ENV_MODELS_DIR = "RETRAIN_MODELS_DIR";

  /**
   * A config built directly (tests, benchmarks, embedding). decision: its local settings file sits beside
   * its data, so such a config never reads or writes the real user's settings.
   */
  public AppConfig(String mongoUri, Path dataDir, Path modelsDir) {
    this(mongoUri, dataDir, modelsDir, dataDir == null ? null : dataDir.resolve(LocalSettingsFile.FILE_NAME));
  }

  public static AppConfig resolve(String mongoUriFlag, Path dataDirFlag, Path modelsDirFlag, Map<String, String> env) {
    Path settingsFile = AppPaths.defaultConfigDir(env).resolve(LocalSettingsFile.FILE_NAME);
    LocalSettings local = new LocalSettingsFile(settingsFile).read();
    String uri = firstNonBlank(firstNonBlank(mongoUriFlag, env.get(ENV_MONGO_URI)), local.mongoUri());
    Path data = dataDirFlag != null ? dataDirFlag
        : env.get(ENV_DATA_DIR) != null && !env.get(ENV_DATA_DIR).isBlank() ? Path.of(env.get(ENV_DATA_DIR))
        : AppPaths.defaultDataDir(env);
    Path models = modelsDirFlag != null ? modelsDirFlag
        : env.get(ENV_MODELS_DIR) != null && !env.get(ENV_MODELS_DIR).isBlank() ? Path.of(env.get(ENV_MODELS_DIR))
        : local.modelsDir() != null ? local.modelsDir()
        : AppPaths.defaultModelsDir(data);
    return new AppConfig(uri, data.toAbsolutePath(), models.toAbsolutePath(), settingsFile);
  }

  public StoreConfig storeConfig() {
    return mongoUri != null ? StoreConfig.remote(mongoUri) : StoreConfig.embedded(dataDir);
  }

  /** The local settings file (may not exist yet). */
  public LocalSettingsFile localSettings() {
    return new LocalSettingsFile(settingsFile);
  }

  private static String firstNonBlank(String a, String b) {
    if (a != null && !a.isBlank()) {
      return a;
    }
    return b != null && !b.isBlank() ? b : null;
  }
}
