package com.retrainconsole.access;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.retrainconsole.common.UserException;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * Roles per user in {@code users}: {@code _id} = user name, {@code role} = fleet-wide role (optional),
 * {@code sites} = {site: role}, {@code granted_by}, {@code granted_at}. A user without a record is admin
 * fleet-wide on the local embedded store, also when reached through the port file of a scheduler serving it
 * (the laptop's own user owns its data), and analyst fleet-wide on a remote store (a shared store must grant
 * rights explicitly; an organization's users get roles on their own sites only).
 */
public final class UserDirectory {
  private final MongoCollection<Document> users;
  private final boolean localStore;
  private final Clock clock;

  public UserDirectory(Store store, Clock clock) {
    this.users = store.collection(Collections.USERS);
    this.localStore = store.isLocal();
    this.clock = clock;
  }

  /** The local OS user: who the console and CLI act as. */
  public static String localUser() {
    return System.getProperty("user.name", "local");
  }

  public Role defaultRole() {
    return localStore ? Role.ADMIN : Role.ANALYST;
  }

  /** The caller's roles as stored, or the default fleet role for this store. */
  public Actor resolve(String user) {
    Document d = users.find(new Document("_id", user)).first();
    return d == null ? new Actor(user, defaultRole()) : actorOf(d);
  }

  private static Actor actorOf(Document d) {
    String fleet = d.getString("role");
    Map<String, Role> sites = new LinkedHashMap<>();
    Document s = d.get("sites", Document.class);
    if (s != null) {
      s.forEach((site, role) -> sites.put(site, Role.parse(String.valueOf(role))));
    }
    return new Actor(d.getString("_id"), fleet == null ? null : Role.parse(fleet), sites);
  }

  /**
   * Sets {@code user}'s fleet-wide role ({@code site} null: fleet admins only) or their role on one site
   * (admins of that site). An admin cannot demote themself (a store could lose its last admin).
   */
  public Actor grant(Actor by, String user, String site, Role role) {
    if (site == null) {
      by.require(Permission.MANAGE_USERS);
    } else {
      by.require(Permission.MANAGE_USERS, site);
    }
    requireGrantable(user, role, site);
    Actor current = resolveStored(user);
    Role fleet = site == null ? role : current.fleetRole();
    Map<String, Role> sites = new LinkedHashMap<>(current.siteRoles());
    if (site != null) {
      sites.put(site, role);
    }
    Actor after = new Actor(user, fleet, sites);
    if (user.equals(by.user())) {
      requireStillAdmin(by, after, site);
    }
    return save(by, after);
  }

  /** An admin cannot demote themself: a store (or a site) could lose its last admin. */
  private static void requireStillAdmin(Actor before, Actor after, String site) {
    boolean wasAdmin = site == null ? before.fleetRole() == Role.ADMIN
        : before.roleOn(site).orElse(null) == Role.ADMIN;
    boolean staysAdmin = site == null ? after.fleetRole() == Role.ADMIN
        : after.roleOn(site).orElse(null) == Role.ADMIN;
    if (wasAdmin && !staysAdmin) {
      throw new UserException("you cannot remove your own admin role; ask another admin to do it");
    }
    if (before.fleetRole() == Role.ADMIN && after.fleetRole() != Role.ADMIN) {
      // the store's default made them fleet admin without a record: a first record must not drop it
      throw new UserException("this would leave you without your fleet-wide admin role (a user with a stored"
          + " role has only the roles stored); record it first with 'users grant " + after.user() + " admin',"
          + " then add site roles");
    }
  }

  /** Fleet-wide grant: what {@code users grant USER ROLE} did before sites existed. */
  public Actor grant(Actor by, String user, Role role) {
    return grant(by, user, null, role);
  }

  /**
   * Removes {@code user}'s role on {@code site} (admins of that site), or the fleet-wide role when {@code
   * site} is null (fleet admins); the user keeps their other roles.
   */
  public Actor revoke(Actor by, String user, String site) {
    if (site == null) {
      by.require(Permission.MANAGE_USERS);
    } else {
      by.require(Permission.MANAGE_USERS, site);
    }
    if (user.equals(by.user())) {
      throw new UserException("you cannot remove your own role; ask another admin to do it");
    }
    Actor current = resolveStored(user);
    Map<String, Role> sites = new LinkedHashMap<>(current.siteRoles());
    if (site != null && sites.remove(site) == null) {
      throw new UserException(user + " has no role on site " + site + " (roles: " + current.rolesText() + ")");
    }
    if (site == null && current.fleetRole() == null) {
      throw new UserException(user + " has no fleet-wide role (roles: " + current.rolesText() + ")");
    }
    return save(by, new Actor(user, site == null ? null : current.fleetRole(), sites));
  }

  /**
   * The stored roles only: a grant to a user without a record starts from nothing, not from the store's
   * default (on a laptop's store that default is fleet admin, which a site grant must not write down).
   */
  private Actor resolveStored(String user) {
    Document d = users.find(new Document("_id", user)).first();
    return d == null ? new Actor(user, null, Map.of()) : actorOf(d);
  }

  private static void requireGrantable(String user, Role role, String site) {
    if (user == null || user.isBlank()) {
      throw new UserException("the user name is empty; give the OS login name of the person to grant a role to");
    }
    if (user.startsWith(AccessDeniedException.TOKEN_PREFIX)) {
      throw new UserException("'" + user + "' is an API token, whose role is fixed when it is created; create a new"
          + " token with 'api token create --name NAME --role " + role.wire()
          + (site == null ? "" : " --site " + site) + "' and revoke the old one");
    }
    if (site != null && site.isBlank()) {
      throw new UserException("the site name is empty; name a site from 'devices list' (or leave --site out for a"
          + " fleet-wide role)");
    }
  }

  private Actor save(Actor by, Actor user) {
    Document d = new Document("_id", user.user());
    if (user.fleetRole() != null) {
      d.append("role", user.fleetRole().wire());
    }
    if (!user.siteRoles().isEmpty()) {
      Document sites = new Document();
      user.siteRoles().forEach((s, r) -> sites.append(s, r.wire()));
      d.append("sites", sites);
    }
    d.append("granted_by", by.user()).append("granted_at", Date.from(clock.instant()));
    users.replaceOne(new Document("_id", user.user()), d, new ReplaceOptions().upsert(true));
    return user;
  }

  /** Users with a stored role, by name. */
  public List<Actor> list() {
    List<Actor> out = new ArrayList<>();
    for (Document d : users.find().sort(Sorts.ascending("_id"))) {
      out.add(actorOf(d));
    }
    return out;
  }
}
