package com.retrainconsole.common;

/** The one version line every face reports (CLI --version, the API's /health), so they never disagree. */
public final class AppVersion {
  private AppVersion() {}

  /** "Retrain Console 1.2.3" from the jar manifest (Maven fills it); "dev" when run from classes. */
  public static String line() {
    String v = AppVersion.class.getPackage().getImplementationVersion();
    return "Retrain Console " + (v != null ? v : "dev");
  }
}
