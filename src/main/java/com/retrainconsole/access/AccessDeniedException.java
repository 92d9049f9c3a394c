package com.retrainconsole.access;

import com.retrainconsole.common.UserException;

/** A guarded operation refused for the caller's role; names the role needed, where, and how to get it. */
public final class AccessDeniedException extends UserException {
  private final Actor actor;
  private final Permission permission;

  /** @param site where the action was refused; null for a fleet-level action */
  public AccessDeniedException(Actor actor, Permission permission, String site) {
    super(message(actor, permission, site));
    this.actor = actor;
    this.permission = permission;
  }

  private static String message(Actor actor, Permission permission, String site) {
    String needed = Role.leastFor(permission).wire();
    if (actor.siteRoles().isEmpty() && actor.fleetRole() != null) {
      // one role everywhere (every store before sites, a laptop's store): the fix is a fleet-wide grant
      return actor.user() + " has the " + actor.fleetRole().wire() + " role and may not " + permission.phrase()
          + "; this needs the " + needed + " role, " + howToGet(actor, needed, null);
    }
    if (site == null) {
      return actor.user() + " has " + actor.rolesText() + " and may not " + permission.phrase()
          + " anywhere it was asked; this needs the " + needed + " role (fleet-wide, or on the device's site), "
          + howToGet(actor, needed, null);
    }
    String has = actor.roleOn(site).map(r -> "the " + r.wire() + " role").orElse("no role");
    return actor.user() + " has " + has + " on site " + site + " and may not " + permission.phrase()
        + " there; this needs the " + needed + " role on " + site + ", " + howToGet(actor, needed, site);
  }

  /**
   * decision: an API token's role is fixed when it is created ({@code users grant} does not reach tokens), so
   * a token is told to get a new token, a user to ask for a grant.
   */
  private static String howToGet(Actor actor, String role, String site) {
    String onSite = site == null ? "" : " --site " + site;
    if (actor.user().startsWith(TOKEN_PREFIX)) {
      return "and a token's role is fixed when it is created: an admin can create one with 'retrain-console api"
          + " token create --name NAME --role " + role + onSite + "' (and revoke this one)";
    }
    return "which an admin can grant with 'retrain-console users grant " + actor.user() + " " + role + onSite + "'";
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
