package com.retrainconsole.registry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.retrainconsole.common.UserException;
import java.util.Locale;

/** Lifecycle of a model version: candidate → staging → production → archived. */
public enum Stage {
  CANDIDATE,
  STAGING,
  PRODUCTION,
  ARCHIVED;

  @JsonValue
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static Stage parse(String text) {
    for (Stage s : values()) {
      if (s.json().equalsIgnoreCase(text.trim())) {
        return s;
      }
    }
    throw new UserException(
        "Unknown stage '" + text + "': use candidate, staging, production or archived");
  }
}
