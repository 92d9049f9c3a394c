package com.retrainconsole.store;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts MongoDB authentication (SCRAM-SHA-256, user {@value StoreSecret#USER}) in front of a mongo-java-server
 * backend, which has none: a connection that has not proved it holds the store's secret gets the handshake
 * and nothing else. Without this, any local account could connect to the loopback port and write
 * {@code users} or {@code api_tokens}.
 *
 * <p>Where requests enter (mongo-java-server 1.47, {@code MongoDatabaseHandler}): OP_MSG, what the driver
 * sends for every command after the handshake, reaches {@link #handleMessage}; legacy OP_QUERY commands reach
 * {@link #handleCommand} (except {@code ping}, answered without the backend, and {@code serverStatus},
 * {@link #getServerStatus}); legacy queries on a collection reach {@link #handleQuery} and
 * {@code $cmd.sys.inprog} {@link #getCurrentOperations}. Each is checked here; the delegate never sees an
 * unauthenticated request beyond the handshake. The state lives on the Netty channel, so it is per
 * connection and goes with it.
 */
final class AuthenticatingBackend implements MongoBackend {
  /** What an unauthenticated connection may send: the driver's handshake and monitoring, and the login. */
  private static final Set<String> OPEN_COMMANDS =
      Set.of("hello", "ismaster", "buildinfo", "ping", "saslstart", "saslcontinue", "endsessions");
  private static final AttributeKey<Conversation> CONVERSATION = AttributeKey.valueOf("retrain.scram");
  private static final int CONVERSATION_ID = 1;
  private static final int UNAUTHORIZED = 13;
  private static final int AUTHENTICATION_FAILED = 18;
  private static final int MECHANISM_UNAVAILABLE = 334;
  private static final Logger log = LoggerFactory.getLogger(AuthenticatingBackend.class);

  private final MongoBackend delegate;
  private final ScramSha256Server scram;
  private final String secretHint;

  /** @param secretHint where a legitimate client finds the secret, for the refusal message */
  AuthenticatingBackend(MongoBackend delegate, StoreSecret secret, String secretHint) {
    this.delegate = delegate;
    this.scram = new ScramSha256Server(StoreSecret.USER, secret.password());
    this.secretHint = secretHint;
  }

  /** Per connection: nothing yet, a SCRAM exchange half done, or authenticated. */
  private sealed interface Conversation {}

  private record Started(ScramSha256Server.Challenge challenge, boolean skipEmptyExchange) implements Conversation {}

  private record AwaitingEmptyStep() implements Conversation {}

  private record Authenticated() implements Conversation {}

  private static boolean isAuthenticated(Channel channel) {
    return channel != null && channel.attr(CONVERSATION).get() instanceof Authenticated;
  }

  @Override
  public Document handleMessage(MongoMessage message) {
    Document body = message.getDocument();
    String command = body.keySet().iterator().next();
    Document own = ownAnswer(message.getChannel(), message.getDatabaseName(), command, body);
    if (own != null) {
      return own;
    }
    return decorateHandshake(command, body, delegate.handleMessage(message));
  }

  @Override
  public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
    Document own = ownAnswer(channel, databaseName, command, query);
    if (own != null) {
      return own;
    }
    return decorateHandshake(command, query, delegate.handleCommand(channel, databaseName, command, query));
  }

  /** The answer to a login step or a refusal, or null when the delegate should answer. */
  private Document ownAnswer(Channel channel, String databaseName, String command, Document body) {
    String name = command.toLowerCase(Locale.ROOT);
    if (name.equals("saslstart")) {
      return saslStart(channel, body);
    }
    if (name.equals("saslcontinue")) {
      return saslContinue(channel, body);
    }
    if (isAuthenticated(channel) || OPEN_COMMANDS.contains(name)) {
      return null;
    }
    log.warn("refused '{}' on {} from unauthenticated client {}", command, databaseName,
        channel == null ? "?" : channel.remoteAddress());
    return error(UNAUTHORIZED, "Unauthorized", unauthorizedMessage(command));
  }

  private String unauthorizedMessage(String command) {
    return "command " + command + " requires authentication: this store admits only Retrain Console's own"
        + " processes, which log in with the secret in " + secretHint;
  }

  /**
   * A driver asking which mechanisms the user has (no mechanism in its URI) hears SCRAM-SHA-256, the only one
   * here, instead of falling back to SCRAM-SHA-1.
   */
  private static Document decorateHandshake(String command, Document query, Document reply) {
    String name = command.toLowerCase(Locale.ROOT);
    if ((name.equals("ismaster") || name.equals("hello")) && query.containsKey("saslSupportedMechs")
        && reply != null && !reply.containsKey("saslSupportedMechs")) {
      reply.put("saslSupportedMechs", List.of(StoreSecret.MECHANISM));
    }
    return reply;
  }

  private Document saslStart(Channel channel, Document body) {
    Object mechanism = body.get("mechanism");
    if (!StoreSecret.MECHANISM.equals(mechanism)) {
      return error(MECHANISM_UNAVAILABLE, "MechanismUnavailable",
          "Received authentication for mechanism " + mechanism + " which is not enabled; use "
              + StoreSecret.MECHANISM);
    }
    try {
      ScramSha256Server.Challenge challenge = scram.start(payload(body));
      Object options = body.get("options");
      boolean skipEmpty = options instanceof Document o && Boolean.TRUE.equals(o.get("skipEmptyExchange"));
      channel.attr(CONVERSATION).set(new Started(challenge, skipEmpty));
      return step(false, challenge.serverFirst().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (ScramSha256Server.Refused e) {
      return failed(channel, e.getMessage());
    }
  }

  private Document saslContinue(Channel channel, Document body) {
    Conversation state = channel.attr(CONVERSATION).get();
    if (state instanceof AwaitingEmptyStep) {
      channel.attr(CONVERSATION).set(new Authenticated());
      return step(true, new byte[0]);
    }
    if (!(state instanceof Started started)) {
      return failed(channel, "saslContinue without saslStart");
    }
    try {
      byte[] serverFinal = scram.finish(started.challenge(), payload(body));
      // an old client sends one more, empty step after checking our signature; the driver skips it
      channel.attr(CONVERSATION).set(started.skipEmptyExchange() ? new Authenticated() : new AwaitingEmptyStep());
      return step(started.skipEmptyExchange(), serverFinal);
    } catch (ScramSha256Server.Refused e) {
      return failed(channel, e.getMessage());
    }
  }

  private static byte[] payload(Document body) throws ScramSha256Server.Refused {
    Object payload = body.get("payload");
    if (payload instanceof BinData data) {
      return data.getData();
    }
    if (payload instanceof byte[] bytes) {
      return bytes;
    }
    throw new ScramSha256Server.Refused("no binary payload");
  }

  private static Document step(boolean done, byte[] payload) {
    Document reply = new Document();
    reply.put("conversationId", CONVERSATION_ID);
    reply.put("done", done);
    reply.put("payload", new BinData(payload));
    reply.put("ok", 1.0);
    return reply;
  }

  private static Document failed(Channel channel, String why) {
    channel.attr(CONVERSATION).set(null);
    log.warn("authentication failed for client {}: {}", channel.remoteAddress(), why);
    return error(AUTHENTICATION_FAILED, "AuthenticationFailed", "Authentication failed.");
  }

  /**
   * decision: refusals are returned as {ok: 0} replies rather than thrown, because mongo-java-server logs a
   * thrown error at ERROR level together with the whole request, which for a login step is its proof.
   */
  private static Document error(int code, String codeName, String message) {
    Document reply = new Document();
    reply.put("ok", 0.0);
    reply.put("errmsg", message);
    reply.put("code", code);
    reply.put("codeName", codeName);
    return reply;
  }

  private void requireAuthenticated(Channel channel, String what) {
    if (!isAuthenticated(channel)) {
      throw new MongoServerError(UNAUTHORIZED, "Unauthorized", unauthorizedMessage(what));
    }
  }

  @Override
  public QueryResult handleQuery(MongoQuery query) {
    requireAuthenticated(query.getChannel(), "query");
    return delegate.handleQuery(query);
  }

  @Override
  public Collection<Document> getCurrentOperations(MongoQuery query) {
    requireAuthenticated(query.getChannel(), "currentOp");
    return delegate.getCurrentOperations(query);
  }

  /**
   * Reached only by a legacy OP_QUERY {@code serverStatus}, where the library passes no connection to check;
   * refused. An authenticated OP_MSG {@code serverStatus} goes through {@link #handleMessage} to the delegate.
   */
  @Override
  public Document getServerStatus() {
    throw new MongoServerError(UNAUTHORIZED, "Unauthorized", unauthorizedMessage("serverStatus (OP_QUERY)"));
  }

  @Override
  public void handleClose(Channel channel) {
    delegate.handleClose(channel);
  }

  @Override
  public void dropDatabase(String database) {
    delegate.dropDatabase(database);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public void closeCursors(List<Long> cursorIds) {
    delegate.closeCursors(cursorIds);
  }

  @Override
  public Clock getClock() {
    return delegate.getClock();
  }

  @Override
  public void enableOplog() {
    delegate.enableOplog();
  }

  @Override
  public void disableOplog() {
    delegate.disableOplog();
  }

  @Override
  public MongoDatabase resolveDatabase(String database) {
    return delegate.resolveDatabase(database);
  }

  @Override
  public MongoBackend version(MongoVersion version) {
    delegate.version(version);
    return this;
  }
}
