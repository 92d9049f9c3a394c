package com.retrainconsole.settings;

/** One invalid setting: {@code field} is its key (e.g. {@code promotion.tolerance}), the message says why. */
public record FieldError(String field, String message) {
  @Override
  public String toString() {
    return field + ": " + message;
  }
}
