package com.retrainconsole.ui;

import org.kordamp.ikonli.javafx.FontIcon;

/**
 * Icons from the Material Design 2 pack (Ikonli font icons: sharp at any scale, coloured by the theme's
 * text colour through the {@code rc-icon} class). Views use these names so one glyph means one thing.
 */
public final class Icons {
  public static final String OVERVIEW = "mdi2v-view-dashboard-outline";
  public static final String RUNS = "mdi2h-history";
  public static final String COMPARE = "mdi2c-chart-line";
  public static final String VERSIONS = "mdi2s-source-branch";
  public static final String TRIGGERS = "mdi2c-clock-outline";
  public static final String ALERTS = "mdi2b-bell-outline";
  public static final String SETTINGS = "mdi2c-cog-outline";
  public static final String DEVICES = "mdi2s-solar-panel";
  public static final String RETRAIN = "mdi2r-refresh";
  public static final String CANCEL = "mdi2c-close-circle-outline";
  public static final String EXPORT = "mdi2d-download";
  public static final String PROMOTE = "mdi2c-check-decagram";
  public static final String ROLLBACK = "mdi2u-undo-variant";
  public static final String RUN = "mdi2p-play-circle-outline";
  public static final String WARNING = "mdi2a-alert-circle-outline";

  private Icons() {}

  public static FontIcon of(String literal) {
    FontIcon icon = new FontIcon(literal);
    icon.getStyleClass().add("rc-icon");
    return icon;
  }
}
