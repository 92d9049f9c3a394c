package com.retrainconsole.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javafx.scene.paint.Color;
import org.junit.jupiter.api.Test;

/**
 * Every theme's text tokens against the backgrounds console.css puts them on, computed from the token values
 * in the theme sheets: WCAG AA (4.5:1) in light and dark, AAA (7:1) in high contrast; graphics (chart series,
 * the focus ring) at least 3:1. And no colour is written anywhere but in the theme sheets.
 */
class ThemeContrastTest {
  static final double AA = 4.5;
  static final double AAA = 7.0;
  static final double GRAPHICS = 3.0;

  /** Text token → the background tokens it is drawn on (see css/console.css). */
  static final Map<String, List<String>> TEXT_ON = Map.ofEntries(
      Map.entry("TEXT", List.of("BG", "BG_NAV", "ROW_ALT", "CONTROL_BG", "CONTROL_BG_HOVER")),
      Map.entry("TEXT_MUTED", List.of("BG", "BG_NAV", "ROW_ALT")),
      Map.entry("PROMPT_TEXT", List.of("BG", "BG_NAV", "CONTROL_BG")),
      // hyperlinks, settings group titles, the spec badge
      Map.entry("ACCENT", List.of("BG", "BG_NAV")),
      // selected rows and nav buttons, primary buttons, the scheduler toggle when on
      Map.entry("ACCENT_TEXT", List.of("ACCENT", "STATUS_COMPLETED")),
      Map.entry("STATUS_COMPLETED", List.of("BG", "BG_NAV", "ROW_ALT")),
      Map.entry("STATUS_FAILED", List.of("BG", "BG_NAV", "ROW_ALT")),
      Map.entry("STATUS_RUNNING", List.of("BG", "BG_NAV", "ROW_ALT")),
      Map.entry("STATUS_CANCELLED", List.of("BG", "BG_NAV", "ROW_ALT")),
      Map.entry("WARN_TEXT", List.of("WARN_BG")));

  static double required(Theme theme) {
    return theme == Theme.HIGH_CONTRAST ? AAA : AA;
  }

  @Test
  void text_tokens_reach_the_theme_s_ratio_on_every_background_they_sit_on() {
    List<String> low = new ArrayList<>();
    int measured = 0;
    for (Theme theme : Theme.values()) {
      ThemeTokens t = ThemeTokens.of(theme);
      for (var e : TEXT_ON.entrySet()) {
        for (String bg : e.getValue()) {
          double r = PromptContrastTest.ratio(t.colour(e.getKey()), t.colour(bg));
          measured++;
          if (r < required(theme)) {
            low.add(String.format("%s %s on %s = %.2f:1 (needs %.1f)", theme, e.getKey(), bg, r, required(theme)));
          }
        }
      }
    }
    assertEquals(3 * TEXT_ON.values().stream().mapToInt(List::size).sum(), measured);
    assertTrue(low.isEmpty(), String.join("\n", low));
  }

  @Test
  void chart_series_and_the_focus_ring_stand_out_from_their_backgrounds() {
    List<String> low = new ArrayList<>();
    for (Theme theme : Theme.values()) {
      ThemeTokens t = ThemeTokens.of(theme);
      for (int i = 1; i <= 8; i++) {
        check(theme, t, "CHART_" + i, "CHART_PLOT_BG", low);
      }
      check(theme, t, "CHART_IN_SERVICE", "CHART_PLOT_BG", low);
      for (String bg : List.of("BG", "BG_NAV")) {
        check(theme, t, "FOCUS_RING", bg, low);
      }
    }
    assertTrue(low.isEmpty(), String.join("\n", low));
  }

  private static void check(Theme theme, ThemeTokens t, String fg, String bg, List<String> low) {
    double r = PromptContrastTest.ratio(t.colour(fg), t.colour(bg));
    if (r < GRAPHICS) {
      low.add(String.format("%s %s on %s = %.2f:1", theme, fg, bg, r));
    }
  }

  @Test
  void every_theme_defines_the_same_tokens() {
    var light = new TreeSet<>(ThemeTokens.of(Theme.LIGHT).all().keySet());
    for (Theme theme : Theme.values()) {
      assertEquals(light, new TreeSet<>(ThemeTokens.of(theme).all().keySet()), theme + " differs from LIGHT");
    }
  }

  @Test
  void the_parser_resolves_references_and_ignores_comments() {
    ThemeTokens t = ThemeTokens.parse("/* A: #ff0000; */ .root { GRAY: #808080; TEXT: GRAY; }\n.root { X: #000; }");
    assertEquals(Color.web("#808080"), t.colour("TEXT"));
    assertEquals(Color.BLACK, t.colour("X"));
    assertEquals(Map.of("GRAY", Color.web("#808080"), "TEXT", Color.web("#808080"), "X", Color.BLACK), t.all());
  }

  /** Colours in code, FXML or the structure sheet bypass the themes (the high-contrast one above all). */
  @Test
  void no_colour_is_written_outside_the_theme_sheets() throws IOException {
    List<Path> sheets = List.of(Path.of("css/light.css"), Path.of("css/dark.css"), Path.of("css/high-contrast.css"));
    Pattern cssColour = Pattern.compile("#[0-9a-fA-F]{3,8}\\b|\\brgba?\\(|\\bhsba?\\(");
    Pattern fxmlColour = Pattern.compile("(?i)(fill|stroke|color|style)=\"[^\"]*#[0-9a-f]{3,8}\\b|:\\s*#[0-9a-fA-F]{3,8}\\b"
        + "|\\brgba?\\(");
    Pattern javaColour = Pattern.compile("\"#[0-9a-fA-F]{3,8}\"|Color\\.(web|rgb|hsb|color|grayRgb|gray)\\("
        + "|Color\\.[A-Z_]{3,}\\b|new (java\\.awt\\.)?Color\\(\\s*(0x|\\d)|rgba?\\(");
    List<String> found = new ArrayList<>();
    scan(Path.of("css"), ".css", cssColour, sheets, found);
    scan(Path.of("fxml"), ".fxml", fxmlColour, List.of(), found);
    // the token parser is where a sheet's values become colours
    scan(Path.of("src/main/java"), ".java", javaColour,
        List.of(Path.of("src/main/java/com/retrainconsole/ui/ThemeTokens.java")), found);
    assertTrue(found.isEmpty(), "colours outside the theme sheets (use a token):\n" + String.join("\n", found));
  }

  private static void scan(Path dir, String ext, Pattern p, List<Path> allowed, List<String> found)
      throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(f -> f.toString().endsWith(ext) && !allowed.contains(f)).toList()) {
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          if (p.matcher(lines.get(i)).find()) {
            found.add(f + ":" + (i + 1) + ": " + lines.get(i).trim());
          }
        }
      }
    }
  }
}
