package com.retrainconsole.common;

/**
 * A {@link UserException} about one named input field ({@code zone}, {@code lat},
 * {@code source.fields.POA}, {@code feature_spec.lags}): the CLI shows the message, the API answers 400
 * {@code invalid_<field>}, the console marks the field. decision: validation lives once in core and says
 * which field it judged, so the three faces cannot word or judge it differently.
 */
public class FieldException extends UserException {
  private final String field;

  public FieldException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  /** The JSON name of the field, dotted for nested ones. */
  public String field() {
    return field;
  }

  /** The message without the leading field name. */
  public String reason() {
    return getMessage().substring(field.length() + 2);
  }
}
