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
}
