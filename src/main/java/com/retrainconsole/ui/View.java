package com.retrainconsole.ui;

/**
 * Every view of the console, in navigation order; Ctrl+1..6 follow this order. A view without an FXML file
 * shows a placeholder until its release.
 */
public enum View {
  OVERVIEW("Overview", "/fxml/overview.fxml"),
  RUNS("Runs", null),
  MODELS("Models", null),
  TRIGGERS("Triggers", null),
  ALERTS("Alerts", null),
  SETTINGS("Settings", null);

  private final String title;
  private final String fxml;

  View(String title, String fxml) {
    this.title = title;
    this.fxml = fxml;
  }

  public String title() {
    return title;
  }

  /** Classpath resource of the view's FXML, or null when the view is not built yet. */
  public String fxml() {
    return fxml;
  }

  public boolean implemented() {
    return fxml != null;
  }

  public static View parse(String name, View fallback) {
    for (View v : values()) {
      if (v.name().equals(name)) {
        return v;
      }
    }
    return fallback;
  }
}
