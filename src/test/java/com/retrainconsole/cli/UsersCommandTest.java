package com.retrainconsole.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersCommandTest {
  @TempDir Path dir;

  @Test
  void the_local_admin_grants_a_role_and_it_is_listed_and_bad_roles_are_named() {
    Cli cli = new Cli(dir.resolve("data"), dir.resolve("models"));
    JsonNode before = cli.run("users", "list", "--json").json();
    assertEquals("admin", before.get("your_role").asText());
    assertEquals(0, before.get("users").size());

    JsonNode granted = cli.run("users", "grant", "otto", "operator", "--json").json();
    assertEquals("operator", granted.get("role").asText());
    JsonNode after = cli.run("users", "list", "--json").json();
    assertEquals("otto", after.get("users").get(0).get("user").asText());

    Cli.Result bad = cli.run("users", "grant", "otto", "boss");
    assertEquals(2, bad.code());
    assertTrue(bad.errorLine().contains("unknown role 'boss'; use one of analyst, operator, admin"), bad.err());

    // granting to an API token used to report success and change nothing
    Cli.Result token = cli.run("users", "grant", "token:ops-script", "admin");
    assertEquals(2, token.code());
    assertTrue(token.errorLine().contains("is an API token, whose role is fixed when it is created"), token.err());
    assertEquals(1, cli.run("users", "list", "--json").json().get("users").size());
  }
}
