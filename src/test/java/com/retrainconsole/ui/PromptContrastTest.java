package com.retrainconsole.ui;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.DatePicker;
import javafx.scene.control.TextInputControl;
import javafx.scene.layout.BackgroundFill;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.LinearGradient;
import javafx.scene.paint.Paint;
import javafx.scene.paint.RadialGradient;
import javafx.scene.paint.Stop;
import javafx.scene.text.Text;
import org.junit.jupiter.api.Test;

/**
 * Every prompt (placeholder) text of the console's text fields, text areas and date pickers reaches the WCAG
 * AA ratio of 4.5:1 against the fill it is drawn on, in every theme (AAA, 7:1, in the high-contrast theme). decision: the colours are read from the
 * rendered controls after the theme's CSS applied (the prompt Text node's fill and the nearest background
 * fill behind it), so what is measured is what the theme tokens, modena and the view rules resolve to.
 */
class PromptContrastTest extends ConsoleFxTest {
  static final double WCAG_AA = 4.5;

  /** One measured prompt: where, what it says, its ratio against the darkest/lightest stop behind it. */
  record Measured(Theme theme, View view, String control, String prompt, Color fill, Paint background, double ratio) {
    @Override
    public String toString() {
      return theme + "/" + view + " " + control + " \"" + prompt + "\" " + fill + " on " + background + " = "
          + String.format("%.2f", ratio) + ":1";
    }
  }

  @Test
  void every_prompt_text_reaches_4_5_to_1_against_its_field_in_every_theme() {
    List<Measured> measured = new ArrayList<>();
    for (Theme theme : Theme.values()) {
      interact(() -> window.applyTheme(theme));
      for (View view : View.values()) {
        interact(() -> window.navigate(view));
        interact(() -> {
          Parent root = window.scene().getRoot();
          root.applyCss();
          root.layout();
          collect(root, theme, view, measured);
        });
      }
    }
    measured.forEach(System.out::println);
    // the fields the themes must cover: the runs view's date pickers and text fields of the other views
    for (Theme theme : Theme.values()) {
      for (String picker : List.of("runs-filter-from", "runs-filter-to")) {
        assertTrue(measured.stream().anyMatch(m -> m.theme() == theme && m.control().equals("DatePicker#" + picker)),
            "no prompt measured for date picker " + picker + " in " + theme + ": " + measured);
      }
      assertTrue(measured.stream().filter(m -> m.theme() == theme && m.control().startsWith("TextField")).count() >= 2,
          "too few text field prompts measured in " + theme + ": " + measured);
    }
    // AA everywhere, AAA in the high-contrast theme (ThemeContrastTest holds the same bar for the tokens)
    List<Measured> low = measured.stream().filter(m -> m.ratio() < ThemeContrastTest.required(m.theme())).toList();
    assertTrue(low.isEmpty(), "prompt text under " + WCAG_AA + ":1 (" + ThemeContrastTest.AAA
        + ":1 in high contrast): " + low);
  }

  /** Measures every text input under {@code node} whose prompt is drawn (empty text, a prompt set). */
  private static void collect(Node node, Theme theme, View view, List<Measured> out) {
    if (node instanceof TextInputControl field && field.getPromptText() != null && !field.getPromptText().isEmpty()) {
      Text prompt = promptNode(field);
      if (prompt != null && prompt.getFill() instanceof Color fill) {
        Paint background = backgroundBehind(prompt);
        if (background != null) {
          out.add(new Measured(theme, view, describe(field), field.getPromptText(), fill, background,
              minRatio(fill, background)));
        }
      }
    }
    if (node instanceof Parent p) {
      for (Node child : p.getChildrenUnmodifiable()) {
        collect(child, theme, view, out);
      }
    }
  }

  /** A date picker's editor is named by its picker: the prompt a user sees is the picker's. */
  private static String describe(TextInputControl field) {
    Parent p = field.getParent();
    while (p != null && !(p instanceof DatePicker)) {
      p = p.getParent();
    }
    if (p != null) {
      return "DatePicker#" + p.getId();
    }
    return field.getClass().getSimpleName() + "#" + field.getId();
  }

  /** The skin's prompt node: the Text under the field that shows the prompt. */
  private static Text promptNode(TextInputControl field) {
    return findPrompt(field, field.getPromptText());
  }

  private static Text findPrompt(Parent parent, String prompt) {
    for (Node n : parent.getChildrenUnmodifiable()) {
      if (n instanceof Text t && prompt.equals(t.getText()) && t.isVisible()) {
        return t;
      }
      if (n instanceof Parent p && !(n instanceof TextInputControl)) {
        Text found = findPrompt(p, prompt);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  /** The innermost painted fill of the nearest ancestor region that paints one: what the prompt lies on. */
  private static Paint backgroundBehind(Node node) {
    for (Parent p = node.getParent(); p != null; p = p.getParent()) {
      if (p instanceof Region r && r.getBackground() != null && !r.getBackground().getFills().isEmpty()) {
        List<BackgroundFill> fills = r.getBackground().getFills();
        Paint inner = fills.get(fills.size() - 1).getFill();
        if (stops(inner).stream().anyMatch(c -> c.getOpacity() > 0)) {
          return inner;
        }
      }
    }
    return null;
  }

  private static List<Color> stops(Paint paint) {
    if (paint instanceof Color c) {
      return List.of(c);
    }
    List<Stop> stops = paint instanceof LinearGradient g ? g.getStops()
        : paint instanceof RadialGradient g ? g.getStops() : List.of();
    return stops.stream().map(Stop::getColor).toList();
  }

  /** The lowest ratio of {@code fill} against any colour of {@code background} (a gradient's stops). */
  static double minRatio(Color fill, Paint background) {
    return stops(background).stream().mapToDouble(c -> ratio(fill, c)).min().orElseThrow();
  }

  /** WCAG 2 contrast ratio: (L lighter + 0.05) / (L darker + 0.05). */
  static double ratio(Color a, Color b) {
    double la = luminance(a);
    double lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  /** WCAG 2 relative luminance of an sRGB colour. */
  static double luminance(Color c) {
    return 0.2126 * linear(c.getRed()) + 0.7152 * linear(c.getGreen()) + 0.0722 * linear(c.getBlue());
  }

  private static double linear(double channel) {
    return channel <= 0.03928 ? channel / 12.92 : Math.pow((channel + 0.055) / 1.055, 2.4);
  }

  @Test
  void the_ratio_matches_the_wcag_reference_values() {
    assertTrue(Math.abs(ratio(Color.BLACK, Color.WHITE) - 21.0) < 1e-9);
    assertTrue(Math.abs(ratio(Color.WHITE, Color.WHITE) - 1.0) < 1e-9);
    // #767676 on white is the classic lightest grey that passes AA: 4.54:1
    assertTrue(Math.abs(ratio(Color.web("#767676"), Color.WHITE) - 4.54) < 0.01);
  }
}
