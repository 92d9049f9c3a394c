package com.retrainconsole.training;

import com.retrainconsole.common.UserException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The trainers we offer; names are what users type (`--trainer xgboost`). */
public enum TrainerKind {
  CART,
  FOREST,
  XGBOOST;

  /** Case-insensitive; a UserException lists the valid names. */
  public static TrainerKind parse(String name) {
    if (name != null) {
      String n = name.trim().toUpperCase(Locale.ROOT);
      for (TrainerKind k : values()) {
        if (k.name().equals(n)) {
          return k;
        }
      }
    }
    throw new UserException("unknown trainer '" + name + "'; valid trainers: "
        + Arrays.stream(values()).map(TrainerKind::id).collect(Collectors.joining(", ")));
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
