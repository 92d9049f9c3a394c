package com.retrainconsole.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiCommandTest {
  @TempDir Path dir;

  @Test
  void the_local_admin_creates_lists_and_revokes_a_token_and_the_secret_is_shown_only_once() {
    Cli cli = new Cli(dir.resolve("data"), dir.resolve("models"));
    Cli.Result created = cli.run("api", "token", "create", "--name", "cron", "--role", "operator");
    assertEquals(0, created.code(), created.err());
    assertTrue(created.out().contains("cannot be shown again"), created.out());
    String token = created.out().lines().filter(l -> l.startsWith("rc_")).findFirst().orElseThrow();

    JsonNode list = cli.run("api", "token", "list", "--json").json();
    JsonNode t = list.get("tokens").get(0);
    assertEquals("cron", t.get("name").asText());
    assertEquals("operator", t.get("role").asText());
    assertTrue(t.get("revoked_at").isNull());
    assertFalse(list.toString().contains(token.substring(3)), list.toString());
    assertFalse(cli.run("api", "token", "list").out().contains(token.substring(3)));

    JsonNode revoked = cli.run("api", "token", "revoke", t.get("id").asText(), "--json").json();
    assertEquals("cron", revoked.get("name").asText());
    JsonNode after = cli.run("api", "token", "list", "--json").json();
    assertFalse(after.get("tokens").get(0).get("revoked_at").isNull());

    Cli.Result bad = cli.run("api", "token", "create", "--name", "x", "--role", "boss");
    assertEquals(2, bad.code());
    assertTrue(bad.errorLine().contains("unknown role 'boss'"), bad.err());
    Cli.Result unknown = cli.run("api", "token", "revoke", "nope");
    assertEquals(2, unknown.code());
    assertTrue(unknown.errorLine().contains("unknown token id 'nope'"), unknown.err());
  }
}
