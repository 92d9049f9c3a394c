package com.retrainconsole.api;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Sorts;
import com.retrainconsole.access.AccessDeniedException;
import com.retrainconsole.access.Actor;
import com.retrainconsole.access.Permission;
import com.retrainconsole.access.Role;
import com.retrainconsole.common.UserException;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.bson.Document;

/**
 * Bearer tokens of the management API in {@code api_tokens}: {@code _id}, {@code name}, {@code role},
 * {@code sites} (absent: fleet-wide; else the role holds on these sites only), {@code sha256} of the token, {@code created_by}, {@code created_at}, {@code revoked_at}. The plaintext is
 * returned once by {@link #create} and never stored: a leaked store dump gives no working token.
 */
public final class ApiTokens {
  public static final String PREFIX = "rc_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final MongoCollection<Document> tokens;
  private final Clock clock;

  public ApiTokens(Store store, Clock clock) {
    this.tokens = store.collection(Collections.API_TOKENS);
    this.clock = clock;
  }

  /** A stored token, without its secret. */
  public record TokenInfo(String id, String name, Role role, List<String> sites, String createdBy,
      Instant createdAt, Instant revokedAt) {
    public TokenInfo {
      sites = sites == null ? List.of() : List.copyOf(sites);
    }

    public boolean active() {
      return revokedAt == null;
    }

    /** Fleet-wide when no site is named. */
    public boolean fleetWide() {
      return sites.isEmpty();
    }

    /** Who a request with this token acts as. */
    public Actor actor() {
      String user = AccessDeniedException.TOKEN_PREFIX + name;
      if (sites.isEmpty()) {
        return new Actor(user, role);
      }
      Map<String, Role> onSites = new LinkedHashMap<>();
      sites.forEach(s -> onSites.put(s, role));
      return new Actor(user, null, onSites);
    }
  }

  /** What {@link #create} returns: the plaintext exists only here. */
  public record Created(TokenInfo info, String token) {}

  /** A fleet-wide token: fleet admins only. */
  public Created create(Actor admin, String name, Role role) {
    return create(admin, name, role, List.of());
  }

  /**
   * A new token for {@code name} with {@code role} on {@code sites} (empty: fleet-wide, fleet admins only;
   * else admins of every named site). Names are unique among active tokens. decision: a site admin may hand a
   * script access to their own sites, never more than they hold.
   */
  public Created create(Actor admin, String name, Role role, List<String> sites) {
    List<String> scope = sites == null ? List.of() : sites.stream().map(String::trim).distinct().toList();
    if (scope.isEmpty()) {
      admin.require(Permission.MANAGE_USERS);
    } else {
      for (String site : scope) {
        if (site.isEmpty()) {
          throw new UserException("a token's site name is empty; name sites from 'devices list'");
        }
        admin.require(Permission.MANAGE_USERS, site);
      }
    }
    if (name == null || name.isBlank()) {
      throw new UserException("the token name is empty; name it after the script or system that will use it");
    }
    String n = name.trim();
    if (tokens.find(new Document("name", n).append("revoked_at", null)).first() != null) {
      throw new UserException("an active token named '" + n + "' exists; revoke it first or pick another name");
    }
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    String id = UUID.randomUUID().toString().substring(0, 8);
    Instant now = clock.instant();
    Document doc = new Document("_id", id).append("name", n).append("role", role.wire());
    if (!scope.isEmpty()) {
      doc.append("sites", scope);
    }
    tokens.insertOne(doc.append("sha256", hash(token)).append("created_by", admin.user())
        .append("created_at", Date.from(now)).append("revoked_at", null));
    return new Created(new TokenInfo(id, n, role, scope, admin.user(), now, null), token);
  }

  /** Marks the token revoked (kept for the record); fleet admins, or admins of every site it reaches. */
  public TokenInfo revoke(Actor admin, String id) {
    Document d = tokens.find(new Document("_id", id)).first();
    if (d == null) {
      throw new UserException("unknown token id '" + id + "'; list tokens with: api token list");
    }
    TokenInfo before = info(d);
    if (before.fleetWide()) {
      admin.require(Permission.MANAGE_USERS);
    } else {
      before.sites().forEach(site -> admin.require(Permission.MANAGE_USERS, site));
    }
    if (d.get("revoked_at") == null) {
      tokens.updateOne(new Document("_id", id),
          new Document("$set", new Document("revoked_at", Date.from(clock.instant()))));
    }
    return info(tokens.find(new Document("_id", id)).first());
  }

  /** Every token, active and revoked, oldest first. */
  public List<TokenInfo> list() {
    List<TokenInfo> out = new ArrayList<>();
    for (Document d : tokens.find().sort(Sorts.ascending("created_at"))) {
      out.add(info(d));
    }
    return out;
  }

  /** The caller a bearer token stands for: user {@code token:<name>} with the token's role. */
  public Optional<Actor> authenticate(String bearer) {
    if (bearer == null || !bearer.startsWith(PREFIX) || bearer.length() > 200) {
      return Optional.empty();
    }
    // decision: look up by hash; the hash is of a 256-bit random secret, so a timing leak reveals nothing useful
    Document d = tokens.find(new Document("sha256", hash(bearer)).append("revoked_at", null)).first();
    return d == null ? Optional.empty() : Optional.of(info(d).actor());
  }

  static String hash(String token) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  private static TokenInfo info(Document d) {
    Date created = d.getDate("created_at");
    Date revoked = d.getDate("revoked_at");
    return new TokenInfo(d.getString("_id"), d.getString("name"), Role.parse(d.getString("role")),
        d.getList("sites", String.class), d.getString("created_by"), created == null ? null : created.toInstant(),
        revoked == null ? null : revoked.toInstant());
  }
}
