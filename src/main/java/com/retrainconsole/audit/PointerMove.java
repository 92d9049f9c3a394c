package com.retrainconsole.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * One re-pointing of a device's current model: who moved it from which version to which, when and why.
 * {@code action} is {@link #PROMOTE}, {@link #ROLLBACK} or {@link #RECONCILED} (an entry rebuilt from the
 * pointer file after a crash between writing the pointer and writing the ledger).
 */
public record PointerMove(
    String action,
    String deviceId,
    String fromVersion,
    String toVersion,
    String actor,
    String reason,
    Instant at) {
  public static final String PROMOTE = "promote";
  public static final String ROLLBACK = "rollback";
  public static final String RECONCILED = "reconciled";

  public PointerMove {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(toVersion, "toVersion");
    Objects.requireNonNull(at, "at");
  }

  public static boolean isPointerAction(String action) {
    return PROMOTE.equals(action) || ROLLBACK.equals(action) || RECONCILED.equals(action);
  }
}
