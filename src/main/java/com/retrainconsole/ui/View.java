package com.retrainconsole.ui;

/**
 * Every view of the console, in navigation order; Ctrl+1..8 follow this order. A view whose FXML is not on
 * the classpath shows a placeholder.
 */
public enum View {
  OVERVIEW("Overview", "/fxml/overview.fxml", Icons.OVERVIEW),
  RUNS("Runs", "/fxml/runs.fxml", Icons.RUNS),
  MODELS("Compare", "/fxml/compare.fxml", Icons.COMPARE),
  VERSIONS("Versions", "/fxml/versions.fxml", Icons.VERSIONS),
  TRIGGERS("Triggers", "/fxml/triggers.fxml", Icons.TRIGGERS),
  ALERTS("Alerts", "/fxml/alerts.fxml", Icons.ALERTS),
  SETTINGS("Settings", "/fxml/settings.fxml", Icons.SETTINGS),
  DEVICES("Devices", "/fxml/devices.fxml", Icons.DEVICES);

  private final String title;
  private final String fxml;
  private final String icon;

  View(String title, String fxml, String icon) {
    this.title = title;
    this.fxml = fxml;
    this.icon = icon;
  }

  /** Ikonli literal of the view's navigation icon. */
  public String icon() {
    return icon;
  }

  public String title() {
    return title;
  }

  /** Classpath resource of the view's FXML. */
  public String fxml() {
    return fxml;
  }

  public boolean implemented() {
    return View.class.getResource(fxml) != null;
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
