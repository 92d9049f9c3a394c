package com.retrainconsole.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.scene.paint.Color;

/**
 * The colour tokens a theme sheet defines on {@code .root} (e.g. {@code TEXT: GRAY_9;}), resolved to colours.
 * decision: read from the sheet itself so what paints outside CSS (the JFreeChart charts) and the contrast
 * checks use exactly the values the scene shows; the sheets stay the only place a colour is written.
 */
public final class ThemeTokens {
  private static final Pattern BLOCK = Pattern.compile("\\.root\\s*\\{([^}]*)}");
  private static final Pattern ENTRY = Pattern.compile("([A-Z][A-Z0-9_]*)\\s*:\\s*([^;]+);");

  private final Map<String, Color> colours;

  private ThemeTokens(Map<String, Color> colours) {
    this.colours = Collections.unmodifiableMap(colours);
  }

  /** The tokens of {@code theme}'s sheet (read from the classpath). */
  public static ThemeTokens of(Theme theme) {
    try (InputStream in = Theme.class.getResourceAsStream(theme.resource())) {
      if (in == null) {
        throw new IllegalStateException("stylesheet " + theme.resource() + " is missing from the classpath");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses every {@code .root} block of a theme sheet; a token may name another token. */
  public static ThemeTokens parse(String css) {
    String text = css.replaceAll("(?s)/\\*.*?\\*/", "");
    Map<String, String> raw = new LinkedHashMap<>();
    Matcher block = BLOCK.matcher(text);
    while (block.find()) {
      Matcher entry = ENTRY.matcher(block.group(1));
      while (entry.find()) {
        raw.put(entry.group(1), entry.group(2).trim());
      }
    }
    Map<String, Color> resolved = new LinkedHashMap<>();
    for (String name : raw.keySet()) {
      resolved.put(name, resolve(name, raw, 0));
    }
    return new ThemeTokens(resolved);
  }

  private static Color resolve(String name, Map<String, String> raw, int depth) {
    String value = raw.get(name);
    if (value == null || depth > 10) {
      throw new IllegalStateException("colour token " + name + " is not defined (or refers to itself)");
    }
    return raw.containsKey(value) ? resolve(value, raw, depth + 1) : Color.web(value);
  }

  /** The colour of {@code token}; throws naming the token when the sheet lacks it. */
  public Color colour(String token) {
    Color c = colours.get(token);
    if (c == null) {
      throw new IllegalStateException("colour token " + token + " is not defined in this theme");
    }
    return c;
  }

  public Map<String, Color> all() {
    return colours;
  }
}
