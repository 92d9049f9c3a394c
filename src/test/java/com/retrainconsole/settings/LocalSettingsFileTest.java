package com.retrainconsole.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.common.UserException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class LocalSettingsFileTest {
  @TempDir Path tmp;

  @Test
  void settings_round_trip_and_a_missing_file_means_the_defaults() {
    LocalSettingsFile file = new LocalSettingsFile(tmp.resolve("cfg/settings.json"));
    assertEquals(LocalSettings.defaults(), file.read());
    LocalSettings s = new LocalSettings("mongodb://alice@db.example:27017/retrain", tmp.resolve("models"), true, null);
    file.write(s);
    assertEquals(s, file.read());
  }

  @Test
  void a_uri_with_a_password_is_never_written_and_the_check_says_to_use_the_environment() throws Exception {
    LocalSettingsFile file = new LocalSettingsFile(tmp.resolve("settings.json"));
    String uri = "mongodb://alice:s3cret@db.example:27017/retrain";
    UserException e = assertThrows(UserException.class,
        () -> file.write(new LocalSettings(uri, null, false, null)));
    assertFalse(e.getMessage().contains("s3cret"));
    assertFalse(Files.exists(file.path()));
    String why = LocalSettings.checkUri(uri, "RETRAIN_MONGO_URI").orElseThrow();
    assertTrue(why.contains("password") && why.contains("RETRAIN_MONGO_URI"), why);
    assertTrue(LocalSettings.checkUri("mongodb://db/x?authMechanismProperties=AWS_SESSION_TOKEN:t", "E").isPresent());
    assertTrue(LocalSettings.checkUri("mongodb://db.example:27017/retrain?replicaSet=rs0", "E").isEmpty());
    assertTrue(LocalSettings.checkUri("mongodb://alice@db.example/retrain", "E").orElseThrow().contains("no password"));
    assertTrue(LocalSettings.checkUri("http://db.example", "E").orElseThrow().contains("mongodb://"));
  }

  @Test
  void models_folder_must_exist_or_be_creatable_and_be_a_folder() throws Exception {
    assertTrue(LocalSettings.checkModelsDir(tmp.resolve("new/deeper")).isEmpty());
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    assertTrue(LocalSettings.checkModelsDir(file).orElseThrow().contains("is a file"));
    assertTrue(LocalSettings.checkModelsDir(file.resolve("below")).orElseThrow().contains("cannot be created"));
    assertTrue(LocalSettings.checkModelsDir(Path.of("relative")).orElseThrow().contains("absolute"));
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void app_config_reads_the_file_after_flags_and_environment() {
    Path cfg = tmp.resolve("xdg-config");
    new LocalSettingsFile(cfg.resolve("retrain-console/settings.json"))
        .write(new LocalSettings("mongodb://file-host:27017/retrain", tmp.resolve("file-models"), false, null));
    Map<String, String> env = Map.of("XDG_CONFIG_HOME", cfg.toString(), "XDG_DATA_HOME", tmp.resolve("xdg").toString());
    AppConfig fromFile = AppConfig.resolve(null, null, null, env);
    assertEquals("mongodb://file-host:27017/retrain", fromFile.mongoUri());
    assertEquals(tmp.resolve("file-models"), fromFile.modelsDir());
    assertEquals(cfg.resolve("retrain-console/settings.json"), fromFile.settingsFile());

    Map<String, String> withEnv = new java.util.HashMap<>(env);
    withEnv.put(AppConfig.ENV_MONGO_URI, "mongodb://env-host:27017/retrain");
    AppConfig envWins = AppConfig.resolve(null, null, tmp.resolve("flag-models"), withEnv);
    assertEquals("mongodb://env-host:27017/retrain", envWins.mongoUri());
    assertEquals(tmp.resolve("flag-models"), envWins.modelsDir());
  }
}
