package com.retrainconsole.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.common.UserException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSettingsApiPortTest {
  @TempDir Path tmp;

  @Test
  void the_api_port_round_trips_and_off_is_written_as_null() throws Exception {
    LocalSettingsFile file = new LocalSettingsFile(tmp.resolve("settings.json"));
    LocalSettings on = LocalSettings.defaults().withSchedulerOn(true).withApiPort(8787);
    file.write(on);
    assertEquals(on, file.read());
    assertTrue(Files.readString(file.path()).contains("\"api_port\" : 8787"), Files.readString(file.path()));

    // the other with* keep the port; switching the API off keeps the rest
    LocalSettings moved = file.read().withStore("mongodb://db.example:27017/retrain", tmp.resolve("m"));
    assertEquals(8787, moved.apiPort());
    file.write(moved.withApiPort(null));
    LocalSettings off = file.read();
    assertNull(off.apiPort());
    assertTrue(off.schedulerOn());
    assertEquals("mongodb://db.example:27017/retrain", off.mongoUri());
  }

  @Test
  void a_file_written_before_the_api_existed_reads_as_not_serving() throws Exception {
    Path p = Files.writeString(tmp.resolve("settings.json"),
        "{\"mongo_uri\": null, \"models_dir\": null, \"scheduler_on\": true}");
    LocalSettings s = new LocalSettingsFile(p).read();
    assertNull(s.apiPort());
    assertTrue(s.schedulerOn());
  }

  @Test
  void ports_outside_1024_to_65535_are_refused_with_a_reason() throws Exception {
    assertTrue(LocalSettings.checkApiPort(1024).isEmpty());
    assertTrue(LocalSettings.checkApiPort(65535).isEmpty());
    assertTrue(LocalSettings.checkApiPort(80).orElseThrow().contains("1024–65535"));
    assertTrue(LocalSettings.checkApiPort("70000").orElseThrow().contains("outside"));
    assertTrue(LocalSettings.checkApiPort("87a7").orElseThrow().contains("whole number"));
    assertTrue(LocalSettings.checkApiPort(" ").orElseThrow().contains("enter a port"));
    assertTrue(LocalSettings.checkApiPort(" 8787 ").isEmpty());
    UserException e = assertThrows(UserException.class, () -> LocalSettings.defaults().withApiPort(22));
    assertTrue(e.getMessage().startsWith("API port 22 is outside"), e.getMessage());

    // a hand-edited file with a bad port names the file instead of starting without the API
    Path p = Files.writeString(tmp.resolve("settings.json"), "{\"api_port\": \"eighty\"}");
    UserException bad = assertThrows(UserException.class, () -> new LocalSettingsFile(p).read());
    assertTrue(bad.getMessage().contains(p.toString()) && bad.getMessage().contains("api_port"), bad.getMessage());
    Files.writeString(p, "{\"api_port\": 80}");
    UserException low = assertThrows(UserException.class, () -> new LocalSettingsFile(p).read());
    assertTrue(low.getMessage().contains("80 is outside 1024–65535"), low.getMessage());
  }
}
