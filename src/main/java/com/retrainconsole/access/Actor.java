package com.retrainconsole.access;

import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Who is calling, with what they may do where: an optional fleet-wide role (every site, and the fleet-level
 * actions such as granting fleet roles) and roles on named sites. The role that counts on a site is the
 * higher of the two. decision: a role is per site because sites belong to different organizations; a
 * fleet role keeps one-site stores (and every store made before sites existed) as simple as before.
 */
public record Actor(String user, Role fleetRole, Map<String, Role> siteRoles) {
  public Actor {
    if (user == null || user.isBlank()) {
      throw new IllegalArgumentException("an actor needs a user name");
    }
    siteRoles = siteRoles == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(siteRoles));
  }

  /** A fleet-wide role: what every user had before sites. */
  public Actor(String user, Role role) {
    this(user, requireRole(role), Map.of());
  }

  private static Role requireRole(Role role) {
    if (role == null) {
      throw new IllegalArgumentException("an actor needs a role");
    }
    return role;
  }

  /** The role that counts on {@code site}, empty when the actor has none there (the site is invisible). */
  public Optional<Role> roleOn(String site) {
    Role onSite = siteRoles.get(site);
    if (fleetRole == null) {
      return Optional.ofNullable(onSite);
    }
    return Optional.of(onSite == null || onSite.ordinal() < fleetRole.ordinal() ? fleetRole : onSite);
  }

  public boolean canSee(String site) {
    return roleOn(site).isPresent();
  }

  public SiteScope scope() {
    return fleetRole != null ? SiteScope.ALL : SiteScope.of(siteRoles.keySet());
  }

  /** May do {@code p} on {@code site}. */
  public boolean can(Permission p, String site) {
    return roleOn(site).map(r -> r.allows(p)).orElse(false);
  }

  /** Refuses unless the role on {@code site} allows {@code p}. */
  public void require(Permission p, String site) {
    if (!can(p, site)) {
      throw new AccessDeniedException(this, p, site);
    }
  }

  /** May do {@code p} fleet-wide (on every site, and fleet-level actions). */
  public boolean can(Permission p) {
    return fleetRole != null && fleetRole.allows(p);
  }

  /** May do {@code p} on at least one site: whether a face offers the action at all. */
  public boolean canSomewhere(Permission p) {
    return can(p) || siteRoles.values().stream().anyMatch(r -> r.allows(p));
  }

  /**
   * Refuses unless {@code p} is allowed on at least one site: a face's check before it reads a request, so a
   * caller with no such right anywhere learns nothing; the site-exact check follows in the operation.
   */
  public void requireSomewhere(Permission p) {
    if (!canSomewhere(p)) {
      throw new AccessDeniedException(this, p, null);
    }
  }

  /** Refuses unless the fleet-wide role allows {@code p}. */
  public void require(Permission p) {
    if (!can(p)) {
      throw new AccessDeniedException(this, p, null);
    }
  }

  /** The highest role held anywhere: for labels, never for checks. */
  public Role role() {
    return Optional.ofNullable(fleetRole).or(() -> siteRoles.values().stream().max(Comparator.naturalOrder()))
        .orElse(Role.ANALYST);
  }

  /** "alice (operator)" or "alice (admin on north, analyst on south)": how faces and audit name the caller. */
  public String describe() {
    return user + " (" + rolesText() + ")";
  }

  /** "operator", "operator fleet-wide, admin on north", "admin on north, analyst on south", "no role". */
  public String rolesText() {
    String sites = siteRoles.entrySet().stream().map(e -> e.getValue().wire() + " on " + e.getKey())
        .collect(Collectors.joining(", "));
    if (fleetRole == null) {
      return sites.isEmpty() ? "no role" : sites;
    }
    return sites.isEmpty() ? fleetRole.wire() : fleetRole.wire() + " fleet-wide, " + sites;
  }
}
