package com.retrainconsole.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.retrainconsole.access.UserDirectory;
import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.app.AppContext;
import com.retrainconsole.store.Collections;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's writes pass the same guarded door as the console's and the API's: a caller whose stored role is
 * analyst (as on a remote store, where a user without a role is one) is refused every state change, before
 * anything is written, and may still read.
 */
class CliRolesTest {
  @TempDir Path root;

  @Test
  void an_analyst_cannot_promote_roll_back_train_cancel_ack_or_edit_triggers_from_the_cli() {
    Cli cli = new Cli(root.resolve("data"), root.resolve("models"));
    cli.run("simulate", "--devices", "r01", "--days", "3", "--interval", "15m", "--end", "2026-06-01").expect(0);
    JsonNode first = cli.run("train", "--device", "r01", "--days", "3", "--trainer", "cart", "--json").json();
    String version = first.at("/model/version").asText();
    JsonNode queued = cli.run("train", "--device", "r01", "--queue", "--json").json();
    String trigger = cli.run("triggers", "add", "--device", "r01", "--type", "interval", "--every", "6h", "--json")
        .json().get("trigger_id").asText();
    setLocalRole("analyst");

    for (String[] args : List.of(
        new String[] {"promote", "--device", "r01", "--version", version, "--reason", "x"},
        new String[] {"rollback", "--device", "r01", "--reason", "x"},
        new String[] {"train", "--device", "r01", "--days", "3", "--trainer", "cart"},
        new String[] {"train", "--device", "r01", "--queue"},
        new String[] {"runs", "cancel", queued.get("run_id").asText()},
        new String[] {"alerts", "ack", "alert-x"},
        new String[] {"triggers", "disable", trigger},
        new String[] {"triggers", "remove", trigger},
        new String[] {"triggers", "add", "--device", "r01", "--type", "interval", "--every", "6h"},
        new String[] {"import-csv", "nothing.csv", "--device", "r01"},
        new String[] {"simulate", "--devices", "r02", "--days", "1"})) {
      Cli.Result r = cli.run(args);
      assertEquals(2, r.code(), String.join(" ", args) + "\n" + r.err());
      assertTrue(r.errorLine().contains("has the analyst role and may not"), String.join(" ", args) + ": " + r.err());
    }
    // nothing changed: one run completed, one still pending, the trigger enabled, no second device
    JsonNode runs = cli.run("runs", "--device", "r01", "--json").json();
    assertEquals(2, runs.get("runs").size(), runs.toString());
    assertTrue(cli.run("triggers", "show", trigger, "--json").json().get("enabled").asBoolean());
    assertEquals(1, cli.run("devices", "list", "--json").json().get("count").asInt());
  }

  private void setLocalRole(String role) {
    try (AppContext ctx = AppContext.open(AppConfig.resolve(null, root.resolve("data"), root.resolve("models"),
        Map.of()))) {
      ctx.store().collection(Collections.USERS).insertOne(new Document("_id", UserDirectory.localUser())
          .append("role", role));
    }
  }
}
