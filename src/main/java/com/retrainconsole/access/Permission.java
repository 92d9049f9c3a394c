package com.retrainconsole.access;

/** What a caller may do; a {@link Role} grants a fixed set. The phrase completes "may not ...". */
public enum Permission {
  VIEW("view the console"),
  RETRAIN("start a retrain"),
  CANCEL_RUN("cancel runs"),
  RETRY_RUN("retry runs"),
  DELETE_RUN("delete run history records"),
  ACK_ALERT("acknowledge alerts"),
  LABEL_VERSION("label, annotate or tag model versions"),
  PROMOTE("promote model versions"),
  ROLLBACK("roll back models"),
  EDIT_TRIGGERS("create, edit, enable or disable triggers"),
  EDIT_DEVICES("add, edit or remove devices"),
  EDIT_SETTINGS("change settings"),
  MANAGE_USERS("change user roles"),
  DELETE_TELEMETRY("delete telemetry");

  private final String phrase;

  Permission(String phrase) {
    this.phrase = phrase;
  }

  public String phrase() {
    return phrase;
  }
}
