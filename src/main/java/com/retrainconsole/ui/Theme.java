package com.retrainconsole.ui;

/** Colour themes: each sheet defines the tokens on .root; {@link #STRUCTURE} uses them. */
public enum Theme {
  LIGHT("Light", "/css/light.css"),
  DARK("Dark", "/css/dark.css"),
  /** Black on white with AAA (7:1) contrast for every text token: for direct sunlight. */
  HIGH_CONTRAST("High contrast", "/css/high-contrast.css");

  public static final String STRUCTURE = "/css/console.css";

  private final String title;
  private final String sheet;

  Theme(String title, String sheet) {
    this.title = title;
    this.sheet = sheet;
  }

  public String title() {
    return title;
  }

  public String stylesheet() {
    return url(sheet);
  }

  /** The classpath resource of the token sheet, e.g. /css/dark.css. */
  public String resource() {
    return sheet;
  }

  /** Dark background: third-party popups (notifications) pick their dark variant. */
  public boolean dark() {
    return this == DARK;
  }

  public static String structure() {
    return url(STRUCTURE);
  }

  private static String url(String resource) {
    var u = Theme.class.getResource(resource);
    if (u == null) {
      throw new IllegalStateException("stylesheet " + resource + " is missing from the classpath");
    }
    return u.toExternalForm();
  }

  public static Theme parse(String name, Theme fallback) {
    for (Theme t : values()) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    return fallback;
  }
}
