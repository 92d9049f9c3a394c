package com.retrainconsole.access;

import com.retrainconsole.common.UserException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * analyst views; operator also retrains, cancels, retries, acknowledges alerts and labels model versions
 * (label, note, tags: words on a version, no change to what is served); admin also promotes,
 * rolls back, deletes run history, edits triggers and settings and grants roles. Each role includes the one
 * before it.
 */
public enum Role {
  ANALYST(EnumSet.of(Permission.VIEW)),
  OPERATOR(EnumSet.of(Permission.VIEW, Permission.RETRAIN, Permission.CANCEL_RUN, Permission.RETRY_RUN,
      Permission.ACK_ALERT, Permission.LABEL_VERSION)),
  ADMIN(EnumSet.allOf(Permission.class));

  private final Set<Permission> permissions;

  Role(Set<Permission> permissions) {
    this.permissions = permissions;
  }

  public boolean allows(Permission p) {
    return permissions.contains(p);
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The least role that allows {@code p}: named in refusals so the user knows whom to ask. */
  public static Role leastFor(Permission p) {
    return Arrays.stream(values()).filter(r -> r.allows(p)).findFirst().orElse(ADMIN);
  }

  public static Role parse(String s) {
    if (s != null) {
      for (Role r : values()) {
        if (r.wire().equalsIgnoreCase(s.trim())) {
          return r;
        }
      }
    }
    throw new UserException("unknown role '" + s + "'; use one of "
        + Arrays.stream(values()).map(Role::wire).collect(Collectors.joining(", ")));
  }
}
