package com.retrainconsole.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.retrainconsole.app.AppContext;
import com.retrainconsole.common.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The triggers command through picocli on a real data folder. decision: TriggersCommand is not yet registered
 * in RetrainCli (another branch owns that file), so the test adds it to a RetrainCli root itself.
 */
class TriggersCommandTest {
  @TempDir Path dir;

  private record Out(int code, String out, String err) {
    JsonNode json() {
      try {
        return Json.MAPPER.readTree(out);
      } catch (Exception e) {
        throw new AssertionError("not JSON (exit " + code + "): " + out + "\n" + err, e);
      }
    }
  }

  private Out run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--data-dir", dir.resolve("data").toString(), "--models-dir", dir.resolve("models").toString()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = RetrainCli.run(AppContext::open, new PrintWriter(out, true), new PrintWriter(err, true),
        all.toArray(String[]::new));
    return new Out(code, out.toString(), err.toString());
  }

  @Test
  void add_list_test_show_replay_edit_disable_and_remove_a_cron_trigger() {
    assertEquals(0, run("simulate", "--devices", "tracker01", "--days", "2", "--interval", "30m",
        "--end", "2025-03-31T00:00:00Z").code());
    JsonNode added = run("triggers", "add", "--device", "tracker01", "--type", "cron", "--cron", "30 2 * * *",
        "--zone", "Europe/Berlin", "--cooldown", "1h", "--max-per-day", "4", "--json").json();
    String id = added.get("trigger_id").asText();
    assertEquals("30 2 * * *", added.get("spec").get("cron").asText());
    assertEquals("PT1H", added.get("guards").get("cooldown").asText());
    assertEquals(1, run("triggers", "list", "--json").json().get("count").asInt());

    JsonNode test = run("triggers", "test", id, "--json").json();
    assertEquals(10, test.get("next").size());
    assertTrue(test.get("resume").get("summary").asText().contains("nothing is overdue"), test.toString());

    JsonNode replay = run("triggers", "replay", id, "--from", "2025-03-29T00:00:00Z", "--to", "2025-03-31T00:00:00Z",
        "--json").json();
    assertEquals(2, replay.get("fires").size(), replay.toString());
    assertEquals("2025-03-30T01:00:00Z", replay.get("fires").get(1).get("at").asText()); // gap day: 03:00 CEST

    assertEquals(0, run("triggers", "show", id).code());
    JsonNode edited = run("triggers", "edit", id, "--cron", "0 4 * * *", "--json").json();
    assertEquals("0 4 * * *", edited.get("spec").get("cron").asText());
    assertEquals("Europe/Berlin", edited.get("spec").get("zone").asText());
    assertEquals(false, run("triggers", "disable", id, "--json").json().get("enabled").asBoolean());
    assertEquals(0, run("triggers", "remove", id).code());
    Out missing = run("triggers", "show", id);
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("Unknown trigger '" + id + "'"), missing.err());
  }

  @Test
  void bad_values_are_refused_with_a_specific_message() {
    assertEquals(0, run("simulate", "--devices", "tracker01", "--days", "1", "--interval", "1h").code());
    Out cron = run("triggers", "add", "--device", "tracker01", "--type", "cron", "--cron", "0 30 2 * * *", "--zone", "UTC");
    assertTrue(cron.err().contains("has 6 fields"), cron.err());
    Out zone = run("triggers", "add", "--device", "tracker01", "--type", "cron", "--cron", "0 2 * * *", "--zone", "Mars/Olympus");
    assertTrue(zone.err().contains("Unknown time zone 'Mars/Olympus'"), zone.err());
    Out alpha = run("triggers", "add", "--device", "tracker01", "--type", "drift", "--alpha", "1.5");
    assertTrue(alpha.err().contains("--alpha must be strictly between 0 and 1"), alpha.err());
    Out persistence = run("triggers", "add", "--device", "tracker01", "--type", "drift", "--persistence", "3/2");
    assertTrue(persistence.err().contains("1 <= M <= N"), persistence.err());
    Out pct = run("triggers", "add", "--device", "tracker01", "--type", "performance", "--threshold-pct", "-5");
    assertTrue(pct.err().contains("--threshold-pct must be a positive percentage"), pct.err());
    Out rows = run("triggers", "add", "--device", "tracker01", "--type", "new_data");
    assertTrue(rows.err().contains("needs --min-rows"), rows.err());
    Out every = run("triggers", "add", "--device", "tracker01", "--type", "interval", "--every", "0h");
    assertTrue(every.err().contains("--every must be a positive duration"), every.err());
    Out device = run("triggers", "add", "--device", "nope", "--type", "interval", "--every", "6h");
    assertTrue(device.err().contains("Unknown device 'nope'"), device.err());
    for (Out o : List.of(cron, zone, alpha, persistence, pct, rows, every, device)) {
      assertEquals(2, o.code(), o.err());
    }
  }
}
