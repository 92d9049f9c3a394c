package com.retrainconsole.access;

import com.retrainconsole.common.UserException;

/** A guarded operation refused for the caller's role; names the role needed and how to get it. */
public final class AccessDeniedException extends UserException {
  private final Actor actor;
  private final Permission permission;

  public AccessDeniedException(Actor actor, Permission permission) {
    super(actor.user() + " has the " + actor.role().wire() + " role and may not " + permission.phrase()
        + "; this needs the " + Role.leastFor(permission).wire() + " role, which an admin can grant with "
        + "'retrain-console users grant " + actor.user() + " " + Role.leastFor(permission).wire() + "'");
    this.actor = actor;
    this.permission = permission;
  }

  public Actor actor() {
    return actor;
  }

  public Permission permission() {
    return permission;
  }
}
