package com.retrainconsole.common;

/** The one version line every face reports (CLI --version, the API's /health), so they never disagree. */
public final class AppVersion {
  private AppVersion() {}

  /** "Retrain Console 1.2.3" from the jar manifest (Maven fills it); "dev" when run from classes. */
  public static String line() {
    return "Retrain Console " + number();
  }

  /** "1.2.3" from the jar manifest; "dev" when run from classes (tests, the IDE). */
  public static String number() {
    String v = AppVersion.class.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }
}
