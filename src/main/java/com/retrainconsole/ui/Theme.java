package com.retrainconsole.ui;

/** Colour themes: each sheet defines the tokens on .root; {@link #STRUCTURE} uses them. */
public enum Theme {
  LIGHT("Light", "/css/light.css"),
  DARK("Dark", "/css/dark.css");

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
