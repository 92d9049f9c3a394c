package com.retrainconsole.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.retrainconsole.access.AccessDeniedException;
import com.retrainconsole.access.Actor;
import com.retrainconsole.access.Operations;
import com.retrainconsole.access.Permission;
import com.retrainconsole.access.Visibility;
import com.retrainconsole.alerts.AlertService;
import com.retrainconsole.common.AppVersion;
import com.retrainconsole.common.ConflictException;
import com.retrainconsole.common.NotFoundException;
import com.retrainconsole.common.FieldException;
import com.retrainconsole.devices.DeviceService;
import com.retrainconsole.common.Json;
import com.retrainconsole.metrics.MetricsReport;
import com.retrainconsole.common.UserException;
import com.retrainconsole.registry.ModelMeta;
import com.retrainconsole.registry.ModelRegistry;
import com.retrainconsole.registry.Pointer;
import com.retrainconsole.retrain.RetrainRequest;
import com.retrainconsole.runs.CancelResult;
import com.retrainconsole.runs.Enqueued;
import com.retrainconsole.runs.RunCodec;
import com.retrainconsole.runs.RunFilter;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.runs.RunRepository;
import com.retrainconsole.runs.RunSort;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.store.Store;
import com.retrainconsole.telemetry.DeviceRepository;
import com.retrainconsole.training.TrainerKind;
import com.retrainconsole.triggers.TriggerRepository;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management API: bearer-token auth on every {@code /api/*} path, every state change through
 * {@link Operations} with the token's actor, so a token has exactly the rights its role has in the console.
 * Errors share one JSON shape with a correlation id that is also logged. {@link ApiHttpServer} does the HTTP.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("api");
  // decision: bodies only, not the shared mapper: a key sent twice ({"role":"analyst","role":"admin"}) must be
  // refused rather than silently resolved to the last one
  private static final ObjectReader BODY_READER = Json.MAPPER.reader()
      .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

  /**
   * Where and how the server listens; port 0 picks a free port (tests). {@code threads} answer requests whose
   * header and body have fully arrived; up to {@code queue} more wait, beyond that 503. A header must be
   * complete {@code headerTimeout} after its first byte, a body {@code bodyTimeout} after its header; a
   * connection silent for {@code idleTimeout} is closed.
   */
  public record Config(String host, int port, int threads, int queue, int maxBodyBytes, int maxHeaderBytes,
      int writesPerMinute, Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8787;

    public static Config defaults() {
      // decision: workers only compute answers (slow sockets never hold one), mostly store reads on 2 cores:
      // 8 keep the cores busy; 64 waiting cover a burst of 50 dashboard clients (ApiLoadBench) without a 503
      return new Config(DEFAULT_HOST, DEFAULT_PORT, 8, 64, 64 * 1024, 8 * 1024, 30, Duration.ofSeconds(10),
          Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    public Config withPort(int p) {
      return new Config(host, p, threads, queue, maxBodyBytes, maxHeaderBytes, writesPerMinute, headerTimeout,
          bodyTimeout, idleTimeout);
    }

    public Config withHost(String h) {
      return new Config(h, port, threads, queue, maxBodyBytes, maxHeaderBytes, writesPerMinute, headerTimeout,
          bodyTimeout, idleTimeout);
    }

    public Config withWritesPerMinute(int n) {
      return new Config(host, port, threads, queue, maxBodyBytes, maxHeaderBytes, n, headerTimeout, bodyTimeout,
          idleTimeout);
    }

    public Config withThreads(int workers, int waiting) {
      return new Config(host, port, workers, waiting, maxBodyBytes, maxHeaderBytes, writesPerMinute,
          headerTimeout, bodyTimeout, idleTimeout);
    }

    public Config withTimeouts(Duration header, Duration body, Duration idle) {
      return new Config(host, port, threads, queue, maxBodyBytes, maxHeaderBytes, writesPerMinute, header, body,
          idle);
    }
  }

  /** The core services the API reads and acts through; {@code schedulerState} answers /health. */
  public record Services(Store store, ApiTokens tokens, Operations operations, RunRepository runs,
      ModelRegistry registry, AlertService alerts, TriggerRepository triggers, DeviceRepository devices,
      DeviceService deviceService, Supplier<String> schedulerState, String version, Clock clock) {}

  /** One endpoint this server answers: HTTP method and path template ({@code {name}} for a path parameter). */
  public record Endpoint(String method, String path) {}

  /**
   * Every endpoint {@link #handle} and {@link #api} route; ApiOpenApiSyncTest holds this list and
   * {@code api/openapi.json} to the same set, so a route added here without its description fails the build.
   */
  public static final List<Endpoint> ENDPOINTS = List.of(
      new Endpoint("GET", "/health"),
      new Endpoint("GET", "/metrics"),
      new Endpoint("GET", "/openapi.json"),
      new Endpoint("POST", "/api/retrain"),
      new Endpoint("GET", "/api/runs"),
      new Endpoint("GET", "/api/runs/{run_id}"),
      new Endpoint("DELETE", "/api/runs/{run_id}"),
      new Endpoint("POST", "/api/runs/{run_id}/cancel"),
      new Endpoint("GET", "/api/models/{device_id}/current"),
      new Endpoint("GET", "/api/models/{device_id}/versions"),
      new Endpoint("POST", "/api/models/{device_id}/promote"),
      new Endpoint("POST", "/api/models/{device_id}/rollback"),
      new Endpoint("GET", "/api/triggers"),
      new Endpoint("POST", "/api/triggers"),
      new Endpoint("GET", "/api/triggers/{trigger_id}"),
      new Endpoint("PATCH", "/api/triggers/{trigger_id}"),
      new Endpoint("DELETE", "/api/triggers/{trigger_id}"),
      new Endpoint("GET", "/api/devices"),
      new Endpoint("POST", "/api/devices"),
      new Endpoint("GET", "/api/devices/{device_id}"),
      new Endpoint("PATCH", "/api/devices/{device_id}"),
      new Endpoint("DELETE", "/api/devices/{device_id}"),
      new Endpoint("GET", "/api/devices/{device_id}/check"),
      new Endpoint("GET", "/api/alerts"));

  /** The classpath resource served at /openapi.json. */
  public static final String OPENAPI_RESOURCE = "/api/openapi.json";

  private final Config config;
  private final Services s;
  private final RateLimiter limiter;
  private final TriggerEndpoints triggers;
  private final DeviceEndpoints devices;
  private ApiHttpServer http;

  public ApiServer(Config config, Services services) {
    this.config = config;
    this.s = services;
    this.limiter = new RateLimiter(config.writesPerMinute(), services.clock());
    this.triggers = new TriggerEndpoints(services.operations(), services.triggers(), services.devices(),
        services.clock());
    this.devices = new DeviceEndpoints(services.operations(), services.deviceService(), services.devices());
  }

  /**
   * The API over a face's services, not yet started: what {@code scheduler --api} and the console's scheduler
   * serve. {@code schedulerState} answers /health, {@code tickSeconds} feeds /metrics.
   */
  public static ApiServer over(com.retrainconsole.services.Services core, Config config,
      Supplier<String> schedulerState, DoubleSupplier tickSeconds) {
    return new ApiServer(config, new Services(core.store(), new ApiTokens(core.store(), core.clock()),
        core.operations(), core.runs(), core.registry(), core.alerts(), core.triggers(), core.devices(),
        core.deviceService(), schedulerState, AppVersion.line(), core.clock()))
        .tickSeconds(tickSeconds);
  }

  public synchronized void start() {
    if (http != null) {
      return;
    }
    ApiHttpServer h = new ApiHttpServer(config, this::route);
    h.start();
    http = h;
    LOG.info("management API listening on http://{}:{}", config.host(), port());
  }

  /** The bound port (the ephemeral one when configured with 0). */
  public int port() {
    return http.port();
  }

  public synchronized void stop() {
    if (http == null) {
      return;
    }
    http.stop();
    http = null;
    LOG.info("management API stopped");
  }

  @Override
  public void close() {
    stop();
  }

  // ---- one exchange

  /** A reply: a JSON body, or text with its own content type (the Prometheus exposition), and extra headers. */
  record Reply(int status, Object body, String contentType, Map<String, String> headers) {
    Reply(int status, Object body) {
      this(status, body, null, Map.of());
    }

    Reply(int status, Object body, String contentType) {
      this(status, body, contentType, Map.of());
    }

    Reply withHeader(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Reply(status, body, contentType, Map.copyOf(h));
    }
  }

  // the last scheduler tick's duration for /metrics; NaN where no scheduler runs in this process
  private volatile DoubleSupplier tickSeconds = () -> Double.NaN;

  /** Where /metrics reads the scheduler's last tick duration. */
  public ApiServer tickSeconds(DoubleSupplier supplier) {
    this.tickSeconds = supplier;
    return this;
  }

  /** Routes one complete request; every refusal becomes a reply in the error shape. */
  private ApiHttpServer.Outcome route(ApiRequest req, String cid) {
    String method = req.method();
    String path = req.rawPath();
    String who = "-";
    Reply r;
    try {
      if (path.equals("/health")) {
        r = health(method);
      } else if (path.equals("/openapi.json")) {
        requireMethod(method, "GET"); // decision: no token, like /health: the description holds no data
        r = new Reply(200, openApi(), "application/json; charset=utf-8");
      } else if (path.equals("/metrics")) {
        Actor reader = authenticate(req); // any role may read metrics, of the sites it may see
        who = reader.user();
        requireMethod(method, "GET");
        r = new Reply(200, MetricsReport.render(s.store(), s.devices(), s.registry(), s.clock(),
            tickSeconds, s.operations().visibility().deviceFilter(reader)), MetricsReport.CONTENT_TYPE);
      } else if (path.startsWith("/api/")) {
        Actor actor = authenticate(req);
        who = actor.user();
        r = api(req, actor, method, segments(path.substring("/api/".length())));
      } else {
        throw ApiException.notFound("no such endpoint: " + path);
      }
    } catch (ApiException e) {
      r = error(e.status, e.error, e.getMessage(), cid);
      if (e.retryAfterSeconds > 0) {
        r = r.withHeader("Retry-After", Long.toString(e.retryAfterSeconds));
      }
      if (e.status == 401) {
        r = r.withHeader("WWW-Authenticate", "Bearer");
      }
      if (e.allow != null) {
        r = r.withHeader("Allow", e.allow);
      }
    } catch (AccessDeniedException e) {
      r = error(403, "forbidden", e.getMessage(), cid);
    } catch (ConflictException e) {
      r = error(409, "conflict", e.getMessage(), cid);
    } catch (FieldException e) {
      // core validation names the JSON field it judged: the same invalid_<field> shape as the API's own checks
      r = error(400, "invalid_" + e.field(), e.getMessage(), cid);
    } catch (NotFoundException e) {
      r = error(404, "not_found", e.getMessage(), cid);
    } catch (UserException e) {
      r = error(400, "bad_request", e.getMessage(), cid);
    } catch (RuntimeException e) {
      LOG.error("{} {} failed [correlation_id={}]", method, path, cid, e);
      r = error(500, "internal", "internal error; the server log has the details under correlation id " + cid,
          cid);
    }
    return new ApiHttpServer.Outcome(r, who);
  }

  private Actor authenticate(ApiRequest req) {
    String h = req.header("Authorization");
    if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ApiException(401, "unauthorized",
          "missing bearer token; send 'Authorization: Bearer rc_...' (create one with: api token create)");
    }
    return s.tokens().authenticate(h.substring(7).trim()).orElseThrow(() -> new ApiException(401, "unauthorized",
        "unknown or revoked token"));
  }

  private volatile String openApi;

  /** The OpenAPI document as shipped (read once; it is a build artefact, not state). */
  private String openApi() {
    String doc = openApi;
    if (doc == null) {
      try (InputStream in = ApiServer.class.getResourceAsStream(OPENAPI_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("classpath resource " + OPENAPI_RESOURCE + " is missing");
        }
        doc = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      openApi = doc;
    }
    return doc;
  }

  private Reply health(String method) {
    requireMethod(method, "GET");
    boolean storeOk;
    try {
      s.store().db().runCommand(new Document("ping", 1));
      storeOk = true;
    } catch (RuntimeException e) {
      storeOk = false;
    }
    String scheduler;
    try {
      scheduler = s.schedulerState().get();
    } catch (RuntimeException e) {
      scheduler = "unknown";
    }
    Map<String, Object> body = map("status", storeOk ? "ok" : "degraded", "store",
        storeOk ? "reachable" : "unreachable", "scheduler", scheduler, "version", s.version());
    return new Reply(storeOk ? 200 : 503, body);
  }

  private Reply api(ApiRequest req, Actor actor, String method, List<String> seg) {
    boolean write = !method.equals("GET");
    if (write) {
      long wait = limiter.acquire(actor.user());
      if (wait > 0) {
        throw new ApiException(429, "rate_limited", "too many state-changing calls for " + actor.user()
            + " (limit " + config.writesPerMinute() + " per minute); retry in " + wait + " s", wait);
      }
    }
    String head = seg.isEmpty() ? "" : seg.get(0);
    Map<String, String> q = query(req.rawQuery());
    switch (head) {
      case "retrain" -> {
        if (seg.size() == 1) {
          requireMethod(method, "POST");
          return retrain(actor, body(req, Set.of("device_id", "days", "trainer")));
        }
      }
      case "runs" -> {
        if (seg.size() == 1) {
          requireMethod(method, "GET");
          return listRuns(actor, q);
        }
        if (seg.size() == 2) {
          requireMethod(method, "GET", "DELETE");
          return method.equals("GET") ? new Reply(200, plain(requireRun(actor, seg.get(1)).stored()))
              : deleteRun(actor, seg.get(1));
        }
        if (seg.size() == 3 && seg.get(2).equals("cancel")) {
          requireMethod(method, "POST");
          return cancel(actor, seg.get(1));
        }
      }
      case "models" -> {
        if (seg.size() == 3) {
          String device = seg.get(1);
          switch (seg.get(2)) {
            case "current" -> {
              requireMethod(method, "GET");
              return current(actor, device);
            }
            case "versions" -> {
              requireMethod(method, "GET");
              return versions(actor, device);
            }
            case "promote" -> {
              requireMethod(method, "POST");
              return promote(actor, device, body(req, Set.of("version", "reason")));
            }
            case "rollback" -> {
              requireMethod(method, "POST");
              return rollback(actor, device, body(req, Set.of("to", "reason")));
            }
            default -> { }
          }
        }
      }
      case "triggers" -> {
        if (seg.size() == 1) {
          requireMethod(method, "GET", "POST");
          return method.equals("GET") ? triggers.list(actor, q) : triggers.create(actor, body(req,
              TriggerEndpoints.CREATE_FIELDS));
        }
        if (seg.size() == 2) {
          requireMethod(method, "GET", "PATCH", "DELETE");
          return switch (method) {
            case "GET" -> triggers.get(actor, seg.get(1));
            case "PATCH" -> triggers.patch(actor, seg.get(1), body(req, TriggerEndpoints.PATCH_FIELDS));
            default -> triggers.delete(actor, seg.get(1));
          };
        }
      }
      case "devices" -> {
        if (seg.size() == 1) {
          requireMethod(method, "GET", "POST");
          if (method.equals("GET")) {
            return devices.list(actor);
          }
          DeviceEndpoints.requireWrite(actor); // before the body is read: a refused caller learns nothing
          return devices.create(actor, body(req, DeviceEndpoints.CREATE_FIELDS));
        }
        if (seg.size() == 2) {
          requireMethod(method, "GET", "PATCH", "DELETE");
          if (method.equals("GET")) {
            return devices.get(actor, seg.get(1));
          }
          DeviceEndpoints.requireWrite(actor);
          return method.equals("PATCH") ? devices.patch(actor, seg.get(1), body(req, DeviceEndpoints.PATCH_FIELDS))
              : devices.delete(actor, seg.get(1));
        }
        if (seg.size() == 3 && seg.get(2).equals("check")) {
          requireMethod(method, "GET");
          return devices.check(actor, seg.get(1), intParam(q, "days", DeviceService.DEFAULT_CHECK_DAYS, 1, 3650));
        }
      }
      case "alerts" -> {
        if (seg.size() == 1) {
          requireMethod(method, "GET");
          return alerts(actor, q);
        }
      }
      default -> { }
    }
    throw ApiException.notFound("no such endpoint: " + req.rawPath());
  }

  // ---- endpoints

  private Reply retrain(Actor actor, JsonNode b) {
    actor.requireSomewhere(Permission.RETRAIN); // before validation: a refused caller learns nothing
    String device = requiredText(b, "device_id");
    if (s.devices().find(device).filter(d -> actor.canSee(d.siteOrDefault())).isEmpty()) {
      throw ApiException.badRequest("device_id", "unknown device '" + device + "'");
    }
    int days = RetrainRequest.DEFAULT_DAYS;
    if (b.hasNonNull("days")) {
      JsonNode d = b.get("days");
      if (!d.canConvertToInt() || !d.isIntegralNumber() || d.asInt() < 1 || d.asInt() > 3650) {
        throw ApiException.badRequest("days", "must be a whole number of days from 1 to 3650");
      }
      days = d.asInt();
    }
    TrainerKind trainer = TrainerKind.DEFAULT;
    if (b.hasNonNull("trainer")) {
      try {
        trainer = TrainerKind.parse(b.get("trainer").asText());
      } catch (UserException e) {
        throw ApiException.badRequest("trainer", e.getMessage());
      }
    }
    RetrainRequest req = new RetrainRequest(device, days, null, trainer, false, "manual",
        "requested through the API by " + actor.user(), actor.user());
    Enqueued q = s.operations().enqueueRetrain(actor, req);
    return new Reply(202, map("run_id", q.runId(), "status", RunStatus.PENDING.wire(), "device_id", device));
  }

  private Reply listRuns(Actor actor, Map<String, String> q) {
    RunFilter f = RunFilter.all().withDevicesIn(s.operations().visibility().deviceFilter(actor).orElse(null));
    if (q.containsKey("device_id")) {
      f = f.withDevice(q.get("device_id"));
    }
    if (q.containsKey("status")) {
      try {
        f = f.withStatus(RunStatus.parse(q.get("status")));
      } catch (UserException e) {
        throw ApiException.badRequest("status", e.getMessage());
      }
    }
    int limit = intParam(q, "limit", 50, 1, 500);
    int offset = intParam(q, "offset", 0, 0, Integer.MAX_VALUE);
    // decision: no clamping to the last page (RunRepository.query does that for the console); an API client
    // paging past the end expects an empty page, not the last one again
    List<RunRecord> rows = s.runs().page(f, RunSort.newestFirst(), offset, limit);
    long total = s.runs().count(f);
    List<Object> out = new ArrayList<>();
    rows.forEach(r -> out.add(plain(r.stored()))); // the stored fields as they are (the contract)
    return new Reply(200, map("runs", out, "offset", offset, "limit", limit, "total", total));
  }

  private RunRecord requireRun(Actor actor, String runId) {
    // visibility is judged on the stored device before the typed read, which may close a dead inline run
    return s.runs().find(runId).map(RunCodec::read)
        .filter(r -> s.operations().visibility().canSee(actor, r.deviceId()))
        .flatMap(r -> s.runs().findRecord(runId))
        .orElseThrow(() -> ApiException.notFound("unknown run '" + runId + "'"));
  }

  private Reply deleteRun(Actor actor, String runId) {
    actor.requireSomewhere(Permission.DELETE_RUN);
    requireRun(actor, runId);
    RunRecord run = s.operations().deleteRun(actor, runId);
    return new Reply(200, map("run_id", runId, "device_id", run.deviceId(), "status", run.status().wire(),
        "deleted", true));
  }

  private Reply cancel(Actor actor, String runId) {
    actor.requireSomewhere(Permission.CANCEL_RUN);
    requireRun(actor, runId);
    CancelResult r = s.operations().cancelRun(actor, runId);
    int status = switch (r.outcome()) {
      case CANCELLED, REQUESTED -> 200;
      case ALREADY_FINAL, ALREADY_FINISHING -> 409;
      case UNKNOWN -> 404;
    };
    if (status != 200) {
      throw new ApiException(status, status == 404 ? "not_found" : "conflict", r.message());
    }
    return new Reply(200, map("run_id", runId, "outcome", r.outcome().name().toLowerCase(java.util.Locale.ROOT), "message",
        r.message()));
  }

  private void requireDevice(Actor actor, String device) {
    if (!s.operations().visibility().canSee(actor, device)
        || s.devices().find(device).isEmpty() && s.registry().list(device).isEmpty()) {
      throw ApiException.notFound("unknown device '" + device + "'");
    }
  }

  private Reply current(Actor actor, String device) {
    requireDevice(actor, device);
    Pointer p = s.registry().current(device).orElseThrow(() -> ApiException.notFound(
        "device '" + device + "' has no model in service"));
    ModelMeta meta = s.registry().meta(device, p.version());
    return new Reply(200, map("device_id", device, "pointer", p, "model", meta));
  }

  private Reply versions(Actor actor, String device) {
    requireDevice(actor, device);
    String current = s.registry().current(device).map(Pointer::version).orElse(null);
    return new Reply(200, map("device_id", device, "current_version", current, "versions",
        s.registry().list(device)));
  }

  private Reply promote(Actor actor, String device, JsonNode b) {
    actor.requireSomewhere(Permission.PROMOTE);
    requireDevice(actor, device);
    String version = requiredText(b, "version");
    String reason = requiredText(b, "reason");
    requireVersion(device, version, "version");
    return new Reply(200, map("device_id", device, "pointer", s.operations().promote(actor, device, version,
        reason)));
  }

  private Reply rollback(Actor actor, String device, JsonNode b) {
    actor.requireSomewhere(Permission.ROLLBACK);
    requireDevice(actor, device);
    String reason = requiredText(b, "reason");
    Optional<String> to = Optional.empty();
    if (b.hasNonNull("to")) {
      to = Optional.of(requiredText(b, "to"));
      requireVersion(device, to.get(), "to");
    }
    return new Reply(200, map("device_id", device, "pointer", s.operations().rollback(actor, device, to,
        reason)));
  }

  private void requireVersion(String device, String version, String field) {
    if (s.registry().list(device).stream().noneMatch(m -> version.equals(m.version()))) {
      throw new ApiException(404, "not_found", field + ": device '" + device + "' has no version '" + version
          + "'");
    }
  }

  private Reply alerts(Actor actor, Map<String, String> q) {
    AlertService.StatusFilter status;
    try {
      status = AlertService.StatusFilter.parse(q.getOrDefault("status", "active"));
    } catch (UserException e) {
      throw ApiException.badRequest("status", e.getMessage());
    }
    int limit = intParam(q, "limit", 100, 1, 1000);
    List<Object> out = new ArrayList<>();
    Visibility visibility = s.operations().visibility();
    s.alerts().list(status, q.get("device_id"), visibility.deviceFilter(actor).orElse(null), limit)
        .forEach(d -> out.add(plain(d)));
    return new Reply(200, map("alerts", out));
  }

  // ---- helpers

  static void requireMethod(String method, String... allowed) {
    if (!Arrays.asList(allowed).contains(method)) {
      ApiException e = new ApiException(405, "method_not_allowed", method + " is not allowed here; use "
          + String.join(" or ", allowed));
      e.allow = String.join(", ", allowed);
      throw e;
    }
  }

  /**
   * The request body as a JSON object, refused over the size limit, with a key given twice, or with fields
   * outside {@code known}.
   */
  private JsonNode body(ApiRequest req, Set<String> known) {
    if (req.bodyTooLarge()) {
      throw tooLarge();
    }
    byte[] bytes = req.body();
    JsonNode node;
    try {
      node = bytes.length == 0 ? Json.MAPPER.createObjectNode() : BODY_READER.readTree(bytes);
    } catch (StreamReadException e) {
      String dup = duplicateKey(e);
      if (dup != null) {
        throw ApiException.badRequest(dup, "given more than once in the body; send each field once");
      }
      throw new ApiException(400, "invalid_json", "the body is not valid JSON: " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new ApiException(400, "invalid_json", "the body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // bytes in memory: cannot happen
    }
    if (node == null || !node.isObject()) {
      throw new ApiException(400, "invalid_json", "the body must be a JSON object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f)) {
        throw ApiException.badRequest(f, "unknown field; expected " + String.join(", ", known.stream().sorted()
            .toList()));
      }
    }
    return node;
  }

  /** The dotted path of the key a strict parser found twice ("spec.cron"), or null for other errors. */
  private static String duplicateKey(StreamReadException e) {
    JsonParser p = e.getProcessor();
    if (p == null || e.getOriginalMessage() == null || !e.getOriginalMessage().startsWith("Duplicate ")) {
      return null;
    }
    List<String> names = new ArrayList<>();
    for (var ctx = p.getParsingContext(); ctx != null; ctx = ctx.getParent()) {
      if (ctx.inObject() && ctx.getCurrentName() != null) {
        names.add(0, ctx.getCurrentName());
      }
    }
    return names.isEmpty() ? null : String.join(".", names);
  }

  private ApiException tooLarge() {
    return new ApiException(413, "payload_too_large", "the body is larger than " + config.maxBodyBytes()
        + " bytes");
  }

  static String requiredText(JsonNode b, String field) {
    JsonNode v = b.get(field);
    if (v == null || v.isNull()) {
      throw ApiException.badRequest(field, "required");
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      throw ApiException.badRequest(field, "must be a non-empty string");
    }
    return v.asText().trim();
  }

  private static int intParam(Map<String, String> q, String name, int dflt, int min, int max) {
    String v = q.get(name);
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through to the refusal
    }
    throw ApiException.badRequest(name, "must be a whole number from " + min + " to " + max + " (got '" + v
        + "')");
  }

  private static List<String> segments(String rest) {
    List<String> out = new ArrayList<>();
    for (String p : rest.split("/")) {
      if (!p.isEmpty()) {
        out.add(decode(p, "path"));
      }
    }
    return out;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String kv : raw.split("&")) {
      int i = kv.indexOf('=');
      String k = decode(i < 0 ? kv : kv.substring(0, i), "query");
      String v = i < 0 ? "" : decode(kv.substring(i + 1), "query");
      if (!v.isEmpty()) {
        out.put(k, v);
      }
    }
    return out;
  }

  /** %-decodes one path segment or query part; a broken escape is the caller's error, not ours. */
  private static String decode(String raw, String where) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "invalid_" + where, "the " + where + " has a bad percent-escape in '" + raw
          + "'; write a reserved character as % followed by two hex digits (%25 for % itself)");
    }
  }

  /**
   * The one error shape; absolute server paths in the message are cut to their file name (the whole message
   * goes to the server log under the correlation id, for whoever runs the server).
   */
  static Reply error(int status, String error, String message, String cid) {
    String shown = PathRedaction.redact(message);
    if (shown != null && !shown.equals(message)) {
      LOG.info("{} [correlation_id={}]", message, cid);
    }
    return new Reply(status, map("error", error, "message", shown, "status", status, "correlation_id", cid));
  }

  /** A store document as plain JSON values: dates as ISO-8601, ids as strings, no internal {@code _id}. */
  static Object plain(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> {
        if (!"_id".equals(k)) {
          out.put(String.valueOf(k), plain(x));
        }
      });
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(plain(x)));
      return out;
    }
    if (v instanceof Date d) {
      return d.toInstant().toString();
    }
    if (v instanceof ObjectId id) {
      return id.toHexString();
    }
    return v;
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Override
  public String toString() {
    return "ApiServer" + Arrays.asList(config.host(), config.port());
  }
}
