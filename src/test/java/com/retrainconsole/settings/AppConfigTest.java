package com.retrainconsole.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.store.StoreConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class AppConfigTest {
  @TempDir Path tmp;

  private Map<String, String> fullEnvironment() {
    return Map.of(
        AppConfig.ENV_MONGO_URI, "mongodb://env-host:27017/retrain",
        AppConfig.ENV_DATA_DIR, tmp.resolve("env-data").toString(),
        AppConfig.ENV_MODELS_DIR, tmp.resolve("env-models").toString(),
        "XDG_DATA_HOME", tmp.resolve("xdg").toString());
  }

  @Test
  void flags_beat_the_environment() {
    AppConfig c = AppConfig.resolve("mongodb://flag-host:27017/retrain", tmp.resolve("flag-data"),
        tmp.resolve("flag-models"), fullEnvironment());
    assertEquals("mongodb://flag-host:27017/retrain", c.mongoUri());
    assertEquals(tmp.resolve("flag-data"), c.dataDir());
    assertEquals(tmp.resolve("flag-models"), c.modelsDir());
  }

  @Test
  void environment_beats_the_defaults() {
    AppConfig c = AppConfig.resolve(null, null, null, fullEnvironment());
    assertEquals("mongodb://env-host:27017/retrain", c.mongoUri());
    assertEquals(tmp.resolve("env-data"), c.dataDir());
    assertEquals(tmp.resolve("env-models"), c.modelsDir());
  }

  @Test
  void each_setting_is_resolved_on_its_own() {
    // a data-dir flag does not stop the models folder coming from the environment, and vice versa
    AppConfig c = AppConfig.resolve(null, tmp.resolve("flag-data"), null, fullEnvironment());
    assertEquals(tmp.resolve("flag-data"), c.dataDir());
    assertEquals(tmp.resolve("env-models"), c.modelsDir());
    assertEquals("mongodb://env-host:27017/retrain", c.mongoUri());
  }

  @Test
  void models_folder_defaults_to_models_inside_the_data_folder() {
    assertEquals(tmp.resolve("flag-data").resolve("models"),
        AppConfig.resolve(null, tmp.resolve("flag-data"), null, Map.of()).modelsDir());
    assertEquals(tmp.resolve("env-data").resolve("models"), AppConfig.resolve(null, null, null,
        Map.of(AppConfig.ENV_DATA_DIR, tmp.resolve("env-data").toString())).modelsDir());
  }

  @Test
  void blank_flags_and_variables_count_as_unset() {
    Map<String, String> blank = Map.of(AppConfig.ENV_MONGO_URI, " ", AppConfig.ENV_DATA_DIR, "",
        AppConfig.ENV_MODELS_DIR, "  ", "XDG_DATA_HOME", tmp.resolve("xdg").toString());
    AppConfig c = AppConfig.resolve("", null, null, blank);
    assertNull(c.mongoUri());
    assertEquals(AppPaths.defaultDataDir(blank).toAbsolutePath(), c.dataDir());
    assertEquals(c.dataDir().resolve("models"), c.modelsDir());
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void default_data_folder_follows_xdg_data_home_on_linux() {
    AppConfig c = AppConfig.resolve(null, null, null, Map.of("XDG_DATA_HOME", tmp.resolve("xdg").toString()));
    assertEquals(tmp.resolve("xdg").resolve("retrain-console"), c.dataDir());
    assertEquals(tmp.resolve("xdg").resolve("retrain-console").resolve("models"), c.modelsDir());
  }

  @Test
  void linux_without_xdg_data_home_uses_local_share_in_the_home_folder() {
    Path home = tmp.resolve("home");
    assertEquals(home.resolve(".local/share/retrain-console"), AppPaths.defaultDataDir("Linux", home.toString(),
        Map.of()));
    assertEquals(home.resolve(".local/share/retrain-console"), AppPaths.defaultDataDir("Linux", home.toString(),
        Map.of("XDG_DATA_HOME", "")));
    assertEquals(tmp.resolve("xdg/retrain-console"), AppPaths.defaultDataDir("Linux", home.toString(),
        Map.of("XDG_DATA_HOME", tmp.resolve("xdg").toString())));
  }

  @Test
  void mac_uses_application_support_and_ignores_xdg() {
    Path home = tmp.resolve("home");
    assertEquals(home.resolve("Library/Application Support/Retrain Console"),
        AppPaths.defaultDataDir("Mac OS X", home.toString(), Map.of("XDG_DATA_HOME", "/elsewhere")));
  }

  @Test
  void relative_folders_are_made_absolute() {
    AppConfig c = AppConfig.resolve(null, Path.of("rel-data"), Path.of("rel-models"), Map.of());
    assertTrue(c.dataDir().isAbsolute());
    assertTrue(c.modelsDir().isAbsolute());
    assertEquals(Path.of("rel-data").toAbsolutePath(), c.dataDir());
  }

  @Test
  void a_mongo_uri_selects_the_remote_store_and_none_the_embedded_one() {
    StoreConfig remote = AppConfig.resolve(null, tmp, null,
        Map.of(AppConfig.ENV_MONGO_URI, "mongodb://env-host:27017/retrain")).storeConfig();
    assertEquals("mongodb://env-host:27017/retrain", remote.mongoUri());
    assertFalse(remote.inMemory());
    StoreConfig embedded = AppConfig.resolve(null, tmp, null, Map.of()).storeConfig();
    assertNull(embedded.mongoUri());
    assertEquals(tmp, embedded.dataDir());
    assertFalse(embedded.inMemory());
  }
}
