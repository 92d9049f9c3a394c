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
import java.util.List;
import org.bson.Document;

/**
 * Roles per user in {@code users} ({@code _id} = user name, {@code role}, {@code granted_by},
 * {@code granted_at}). A user without a record is admin on the local embedded store, also when reached
 * through the port file of a scheduler serving it (the laptop's own user owns its data), and analyst on a
 * remote store (a shared store must grant rights explicitly).
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

  /** The caller's role as stored, or the default for this store. */
  public Actor resolve(String user) {
    Document d = users.find(new Document("_id", user)).first();
    return new Actor(user, d == null ? defaultRole() : Role.parse(d.getString("role")));
  }

  /** Sets {@code user}'s role; admins only. An admin cannot demote themself (a store could lose its last admin). */
  public Actor grant(Actor by, String user, Role role) {
    by.require(Permission.MANAGE_USERS);
    if (user == null || user.isBlank()) {
      throw new UserException("the user name is empty; give the OS login name of the person to grant a role to");
    }
    if (user.startsWith(AccessDeniedException.TOKEN_PREFIX)) {
      throw new UserException("'" + user + "' is an API token, whose role is fixed when it is created; create a new"
          + " token with 'api token create --name NAME --role " + role.wire() + "' and revoke the old one");
    }
    if (user.equals(by.user()) && role != Role.ADMIN) {
      throw new UserException("you cannot remove your own admin role; ask another admin to do it");
    }
    users.replaceOne(new Document("_id", user), new Document("_id", user).append("role", role.wire())
        .append("granted_by", by.user()).append("granted_at", Date.from(clock.instant())),
        new ReplaceOptions().upsert(true));
    return new Actor(user, role);
  }

  /** Users with a stored role, by name. */
  public List<Actor> list() {
    List<Actor> out = new ArrayList<>();
    for (Document d : users.find().sort(Sorts.ascending("_id"))) {
      out.add(new Actor(d.getString("_id"), Role.parse(d.getString("role"))));
    }
    return out;
  }
}
