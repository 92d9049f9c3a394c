package com.retrainconsole.access;

/** Who is calling a guarded operation, with the role the user directory gave them. */
public record Actor(String user, Role role) {
  public Actor {
    if (user == null || user.isBlank()) {
      throw new IllegalArgumentException("an actor needs a user name");
    }
    if (role == null) {
      throw new IllegalArgumentException("an actor needs a role");
    }
  }

  public boolean can(Permission p) {
    return role.allows(p);
  }

  /** Refuses with {@link AccessDeniedException} unless the role allows {@code p}. */
  public void require(Permission p) {
    if (!can(p)) {
      throw new AccessDeniedException(this, p);
    }
  }

  /** "alice (operator)": how the console and audit records name the caller. */
  public String describe() {
    return user + " (" + role.wire() + ")";
  }
}
