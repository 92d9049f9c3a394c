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
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.bson.Document;

/**
 * Bearer tokens of the management API in {@code api_tokens}: {@code _id}, {@code name}, {@code role},
 * {@code sha256} of the token, {@code created_by}, {@code created_at}, {@code revoked_at}. The plaintext is
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
  public record TokenInfo(String id, String name, Role role, String createdBy, Instant createdAt,
      Instant revokedAt) {
    public boolean active() {
      return revokedAt == null;
    }
  }

  /** What {@link #create} returns: the plaintext exists only here. */
  public record Created(TokenInfo info, String token) {}

  /** A new token for {@code name} with {@code role}; admins only. Names are unique among active tokens. */
  public Created create(Actor admin, String name, Role role) {
    admin.require(Permission.MANAGE_USERS);
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
    tokens.insertOne(new Document("_id", id).append("name", n).append("role", role.wire())
        .append("sha256", hash(token)).append("created_by", admin.user()).append("created_at", Date.from(now))
        .append("revoked_at", null));
    return new Created(new TokenInfo(id, n, role, admin.user(), now, null), token);
  }

  /** Marks the token revoked (kept for the record); admins only. */
  public TokenInfo revoke(Actor admin, String id) {
    admin.require(Permission.MANAGE_USERS);
    Document d = tokens.find(new Document("_id", id)).first();
    if (d == null) {
      throw new UserException("unknown token id '" + id + "'; list tokens with: api token list");
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
    return d == null ? Optional.empty()
        : Optional.of(new Actor(AccessDeniedException.TOKEN_PREFIX + d.getString("name"), Role.parse(d.getString("role"))));
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
        d.getString("created_by"), created == null ? null : created.toInstant(),
        revoked == null ? null : revoked.toInstant());
  }
}
