package com.retrainconsole.access;

import com.retrainconsole.common.UserException;

/** A guarded operation refused for the caller's role; names the role needed and how to get it. */
public final class AccessDeniedException extends UserException {
  private final Actor actor;
  private final Permission permission;

  public AccessDeniedException(Actor actor, Permission permission) {
    super(actor.user() + " has the " + actor.role().wire() + " role and may not " + permission.phrase()
        + "; this needs the " + Role.leastFor(permission).wire() + " role, " + howToGet(actor, permission));
    this.actor = actor;
    this.permission = permission;
  }

  /**
   * decision: an API token's role is fixed when it is created ({@code users grant} does not reach tokens), so
   * a token is told to get a new token, a user to ask for a grant.
   */
  private static String howToGet(Actor actor, Permission permission) {
    String role = Role.leastFor(permission).wire();
    if (actor.user().startsWith(TOKEN_PREFIX)) {
      return "and a token's role is fixed when it is created: an admin can create one with 'retrain-console api"
          + " token create --name NAME --role " + role + "' (and revoke this one)";
    }
    return "which an admin can grant with 'retrain-console users grant " + actor.user() + " " + role + "'";
  }

  /** How API tokens appear as users ({@code token:<name>}). */
  public static final String TOKEN_PREFIX = "token:";

  public Actor actor() {
    return actor;
  }

  public Permission permission() {
    return permission;
  }
}
