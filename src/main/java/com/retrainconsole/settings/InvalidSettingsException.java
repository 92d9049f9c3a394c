package com.retrainconsole.settings;

import com.retrainconsole.common.UserException;
import java.util.List;
import java.util.stream.Collectors;

/** Settings refused before anything was written; names every invalid field. */
public final class InvalidSettingsException extends UserException {
  private final List<FieldError> errors;

  public InvalidSettingsException(List<FieldError> errors) {
    super("settings not saved: " + errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }
}
