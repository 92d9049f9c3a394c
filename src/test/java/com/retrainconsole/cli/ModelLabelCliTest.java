package com.retrainconsole.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code model label}: options left out keep their value, {@code --tag} adds, {@code --clear-tags} replaces,
 * the words show in {@code model list}, and bad input is refused naming the field and the rule.
 */
class ModelLabelCliTest {
  @TempDir Path root;

  @Test
  void label_note_and_tags_are_set_kept_added_replaced_listed_and_checked() {
    Cli cli = new Cli(root.resolve("data"), root.resolve("models"));
    cli.run("simulate", "--devices", "d1", "--days", "3", "--interval", "15m", "--end", "2026-06-01").expect(0);
    cli.run("train", "--device", "d1", "--days", "3", "--trainer", "cart").expect(0);
    String v = cli.run("model", "list", "--device", "d1", "--json").json().at("/versions/0/version").asText();

    JsonNode set = cli.run("model", "label", "--device", "d1", "--version", v, "--label", "after soiling clean",
        "--tag", "winter", "--tag", "Baseline", "--json").json();
    assertEquals("after soiling clean", set.get("label").asText());
    assertEquals(List.of("winter", "baseline"), texts(set.get("tags")));

    JsonNode added = cli.run("model", "label", "--device", "d1", "--version", v, "--note", "washed on the 3rd",
        "--tag", "q4", "--json").json();
    assertEquals("after soiling clean", added.get("label").asText(), "a label left out is kept");
    assertEquals("washed on the 3rd", added.get("note").asText());
    assertEquals(List.of("winter", "baseline", "q4"), texts(added.get("tags")));

    JsonNode replaced = cli.run("model", "label", "--device", "d1", "--version", v, "--clear-tags", "--tag", "only",
        "--label", "", "--json").json();
    assertTrue(replaced.get("label").isNull(), "--label \"\" clears it: " + replaced);
    assertEquals(List.of("only"), texts(replaced.get("tags")));

    JsonNode listed = cli.run("model", "list", "--device", "d1", "--json").json().at("/versions/0");
    assertEquals(List.of("only"), texts(listed.get("tags")));
    assertEquals("washed on the 3rd", listed.get("note").asText());
    assertTrue(cli.run("model", "list", "--device", "d1").expect(0).out().contains("[only]"));

    String badTag = cli.run("model", "label", "--device", "d1", "--version", v, "--tag", "Summer Sale")
        .expect(2).errorLine();
    assertTrue(badTag.contains("tags: 'Summer Sale' is not a tag"), badTag);
    String longLabel = cli.run("model", "label", "--device", "d1", "--version", v, "--label", "x".repeat(81))
        .expect(2).errorLine();
    assertTrue(longLabel.contains("label: is 81 characters; a label has at most 80"), longLabel);
    assertEquals(List.of("only"), texts(cli.run("model", "list", "--device", "d1", "--json").json()
        .at("/versions/0/tags")), "a refused change leaves the tags");
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
