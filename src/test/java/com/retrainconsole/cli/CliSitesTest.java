package com.retrainconsole.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.retrainconsole.access.UserDirectory;
import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.app.AppContext;
import com.retrainconsole.store.Collections;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sites through the CLI: a user whose roles name only site north lists north's devices, runs and triggers,
 * gets "Unknown device" for south's (exit 2, south's devices never named), may do on north what their role
 * there allows, and may not grant roles on a site they do not administer.
 */
class CliSitesTest {
  @TempDir Path root;

  @Test
  void a_user_of_one_site_sees_and_changes_only_that_site() {
    Cli cli = new Cli(root.resolve("data"), root.resolve("models"));
    cli.run("simulate", "--devices", "n1,s1", "--days", "3", "--interval", "15m", "--end", "2026-06-01").expect(0);
    cli.run("devices", "edit", "n1", "--site", "north").expect(0);
    cli.run("devices", "edit", "s1", "--site", "south").expect(0);
    for (String d : List.of("n1", "s1")) {
      cli.run("train", "--device", d, "--days", "3", "--trainer", "cart").expect(0);
      cli.run("triggers", "add", "--device", d, "--type", "interval", "--every", "6h").expect(0);
    }
    String southVersion = cli.run("model", "current", "--device", "s1", "--json").json().at("/pointer/version")
        .asText();
    setLocalRoles(Map.of("north", "operator"));

    assertEquals(List.of("n1"), ids(cli.run("devices", "list", "--json").json().get("devices"), "device_id"));
    assertEquals(List.of("n1"), ids(cli.run("runs", "--json").json().get("runs"), "device_id"));
    assertEquals(List.of("n1"), ids(cli.run("triggers", "list", "--json").json().get("triggers"), "device_id"));
    assertEquals(List.of("n1"), ids(cli.run("users", "list", "--json").json().get("your_roles").get("sites")
        .fieldNames()).stream().map(s -> s.equals("north") ? "n1" : s).toList());

    for (String[] args : List.of(
        new String[] {"model", "list", "--device", "s1"},
        new String[] {"model", "current", "--device", "s1"},
        new String[] {"devices", "show", "s1"},
        new String[] {"train", "--device", "s1", "--queue"},
        new String[] {"promote", "--device", "s1", "--version", southVersion, "--reason", "x"},
        new String[] {"rollback", "--device", "s1", "--reason", "x"},
        new String[] {"telemetry", "delete", "--device", "s1", "--from", "2026-05-01", "--to", "2026-06-02"})) {
      Cli.Result r = cli.run(args);
      assertEquals(2, r.code(), String.join(" ", args) + "\n" + r.err());
      assertTrue(r.errorLine().contains("Unknown device 's1'"), String.join(" ", args) + ": " + r.err());
      assertFalse(r.errorLine().replace("'s1'", "").contains("s1"), "south's devices are never listed: " + r.err());
    }
    // an operator of north may queue a retrain there, not roll back, and may not grant roles anywhere
    cli.run("train", "--device", "n1", "--queue").expect(0);
    Cli.Result rollback = cli.run("rollback", "--device", "n1", "--reason", "x");
    assertEquals(2, rollback.code());
    assertTrue(rollback.errorLine().contains("operator role on site north"), rollback.err());
    Cli.Result grant = cli.run("users", "grant", "bob", "analyst", "--site", "south");
    assertEquals(2, grant.code());
    assertTrue(grant.errorLine().contains("no role on site south"), grant.err());
    // south untouched
    setLocalRoles(null);
    assertEquals(southVersion, cli.run("model", "current", "--device", "s1", "--json").json()
        .at("/pointer/version").asText());
    assertEquals(1, cli.run("runs", "--device", "s1", "--json").json().get("count").asInt());
  }

  @Test
  void a_site_admin_grants_roles_on_their_site_and_the_user_list_shows_roles_per_site() {
    Cli cli = new Cli(root.resolve("data"), root.resolve("models"));
    cli.run("users", "grant", "bob", "analyst", "--site", "north").expect(0);
    cli.run("users", "grant", "bob", "operator", "--site", "south").expect(0);
    JsonNode bob = null;
    for (JsonNode u : cli.run("users", "list", "--json").json().get("users")) {
      if (u.get("user").asText().equals("bob")) {
        bob = u;
      }
    }
    assertTrue(bob != null && bob.get("role").isNull(), String.valueOf(bob));
    assertEquals("analyst", bob.at("/sites/north").asText());
    assertEquals("operator", bob.at("/sites/south").asText());
    cli.run("users", "revoke", "bob", "--site", "north").expect(0);
    assertTrue(cli.run("users", "list").out().contains("operator on south"));

    // the laptop's user is fleet admin by default, without a record: a site role for themself must not
    // quietly replace that
    String me = UserDirectory.localUser();
    Cli.Result self = cli.run("users", "grant", me, "admin", "--site", "north");
    assertEquals(2, self.code(), self.err());
    assertTrue(self.errorLine().contains("without your fleet-wide admin role"), self.err());
    cli.run("users", "grant", me, "admin").expect(0);
    cli.run("users", "grant", me, "analyst", "--site", "south").expect(0);
    assertTrue(cli.run("users", "list").out().contains("admin fleet-wide, analyst on south"));
  }

  @Test
  void a_site_may_set_its_own_thresholds_and_only_its_devices_use_them() {
    Cli cli = new Cli(root.resolve("data"), root.resolve("models"));
    cli.run("simulate", "--devices", "n1,s1", "--days", "3", "--interval", "15m", "--end", "2026-06-01").expect(0);
    cli.run("devices", "edit", "n1", "--site", "north").expect(0);
    cli.run("devices", "edit", "s1", "--site", "south").expect(0);
    cli.run("settings", "set", "--site", "north", "--gate-min-rows", "100000").expect(0);
    assertTrue(cli.run("settings", "show", "--site", "north", "--json").json().get("own").asBoolean());
    assertFalse(cli.run("settings", "show", "--site", "south", "--json").json().get("own").asBoolean());

    Cli.Result north = cli.run("train", "--device", "n1", "--days", "3", "--trainer", "cart");
    assertEquals(1, north.code(), north.err());
    assertTrue(north.err().contains("100000"), "the site's own gate refused it: " + north.err());
    cli.run("train", "--device", "s1", "--days", "3", "--trainer", "cart").expect(0);

    cli.run("settings", "clear", "--site", "north").expect(0);
    cli.run("train", "--device", "n1", "--days", "3", "--trainer", "cart").expect(0);

    setLocalRoles(Map.of("north", "admin"));
    Cli.Result other = cli.run("settings", "set", "--site", "south", "--tolerance", "0.5");
    assertEquals(2, other.code(), other.err());
    assertTrue(other.errorLine().contains("no role on site south"), other.err());
    assertEquals(2, cli.run("settings", "set", "--tolerance", "0.5").code(), "fleet thresholds need a fleet admin");
  }

  private static List<String> ids(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.get(field).asText()));
    return out;
  }

  private static List<String> ids(java.util.Iterator<String> names) {
    List<String> out = new ArrayList<>();
    names.forEachRemaining(out::add);
    return out;
  }

  private void setLocalRoles(Map<String, String> sites) {
    try (AppContext ctx = AppContext.open(AppConfig.resolve(null, root.resolve("data"), root.resolve("models"),
        Map.of()))) {
      ctx.store().collection(Collections.USERS).deleteOne(new Document("_id", UserDirectory.localUser()));
      if (sites != null) {
        ctx.store().collection(Collections.USERS).insertOne(new Document("_id", UserDirectory.localUser())
            .append("sites", new Document(sites)));
      }
    }
  }
}
