package com.retrainconsole.ui;

/** Style-class names used from Java and FXML; prefixed so they never clash with ControlsFX's own. */
public final class Styles {
  private Styles() {}

  public static final String NAV = "rc-nav";
  public static final String NAV_BUTTON = "rc-nav-button";
  public static final String CONTENT = "rc-content";
  public static final String PLACEHOLDER = "rc-placeholder";
  public static final String ROLE = "rc-role";
  public static final String RETRAIN_BUTTON = "rc-retrain-button";
  public static final String STATUS_PREFIX = "rc-status-";
  public static final String MUTED = "rc-muted";

  /** Style class of a run status label, e.g. rc-status-failed. */
  public static String status(String status) {
    return STATUS_PREFIX + (status == null ? "none" : status);
  }

  /** A label that wraps and grows to its text's height (never clipped to "…" in a narrow window). */
  public static javafx.scene.control.Label wrapping(String text, String styleClass) {
    javafx.scene.control.Label l = new javafx.scene.control.Label(text);
    l.getStyleClass().add(styleClass);
    l.setWrapText(true);
    l.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
    return l;
  }
}
