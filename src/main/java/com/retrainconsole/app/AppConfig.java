package com.retrainconsole.app;

import com.retrainconsole.store.StoreConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where data and models live, resolved once from flags, then environment, then per-user defaults.
 * Flags win so a script can always override the machine's environment.
 */
public record AppConfig(String mongoUri, Path dataDir, Path modelsDir) {
  public static final String ENV_MONGO_URI = "RETRAIN_MONGO_URI";
  public static final String ENV_DATA_DIR = "RETRAIN_DATA_DIR";
  public static final String ENV_MODELS_DIR = "RETRAIN_MODELS_DIR";

  public static AppConfig resolve(String mongoUriFlag, Path dataDirFlag, Path modelsDirFlag, Map<String, String> env) {
    String uri = firstNonBlank(mongoUriFlag, env.get(ENV_MONGO_URI));
    Path data = dataDirFlag != null ? dataDirFlag
        : env.get(ENV_DATA_DIR) != null && !env.get(ENV_DATA_DIR).isBlank() ? Path.of(env.get(ENV_DATA_DIR))
        : AppPaths.defaultDataDir(env);
    Path models = modelsDirFlag != null ? modelsDirFlag
        : env.get(ENV_MODELS_DIR) != null && !env.get(ENV_MODELS_DIR).isBlank() ? Path.of(env.get(ENV_MODELS_DIR))
        : AppPaths.defaultModelsDir(data);
    return new AppConfig(uri, data.toAbsolutePath(), models.toAbsolutePath());
  }

  public StoreConfig storeConfig() {
    return mongoUri != null ? StoreConfig.remote(mongoUri) : StoreConfig.embedded(dataDir);
  }

  private static String firstNonBlank(String a, String b) {
    if (a != null && !a.isBlank()) {
      return a;
    }
    return b != null && !b.isBlank() ? b : null;
  }
}
