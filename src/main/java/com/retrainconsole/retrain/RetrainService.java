package com.retrainconsole.retrain;

import com.retrainconsole.common.AppVersion;

import com.retrainconsole.common.Json;
import com.retrainconsole.common.ProgressListener;
import com.retrainconsole.common.UserException;
import com.retrainconsole.features.FeatureBuilder;
import com.retrainconsole.features.FeatureMatrix;
import com.retrainconsole.features.FeatureSpec;
import com.retrainconsole.registry.LoadedModel;
import com.retrainconsole.registry.ModelMeta;
import com.retrainconsole.registry.ModelRegistry;
import com.retrainconsole.registry.DataWindow;
import com.retrainconsole.registry.MetricsDoc;
import com.retrainconsole.registry.PromotionPolicy;
import com.retrainconsole.registry.PromotionPolicy.Decision;
import com.retrainconsole.runs.Claim;
import com.retrainconsole.runs.ClaimedRun;
import com.retrainconsole.runs.Fence;
import com.retrainconsole.runs.FencedOutException;
import com.retrainconsole.runs.FailureKind;
import com.retrainconsole.runs.HeartbeatState;
import com.retrainconsole.runs.InlineLease;
import com.retrainconsole.runs.RunEnd;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.runs.RunRepository;
import com.retrainconsole.runs.RunResult;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.store.Store;
import com.retrainconsole.telemetry.DeviceConfig;
import com.retrainconsole.telemetry.DeviceRepository;
import com.retrainconsole.telemetry.TelemetrySource;
import com.retrainconsole.telemetry.TelemetrySources;
import com.retrainconsole.telemetry.TelemetryWindow;
import com.retrainconsole.training.ChronologicalSplit;
import com.retrainconsole.training.ChronologicalSplit.Split;
import com.retrainconsole.training.DataQualityGate;
import com.retrainconsole.training.Evaluation;
import com.retrainconsole.training.EvaluationResult;
import com.retrainconsole.training.GatePolicy;
import com.retrainconsole.training.GateResult;
import com.retrainconsole.training.Metrics;
import com.retrainconsole.training.Predictions;
import com.retrainconsole.training.TrainerParams;
import com.retrainconsole.training.Trainers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import com.mongodb.MongoInterruptedException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tribuo.Model;
import org.tribuo.regression.Regressor;

/**
 * One retrain end to end: telemetry → quality gate → features → chronological split → train → score the
 * candidate and the model in service on the same newest test rows → save the version → maybe re-point →
 * close the run record. Every exit path closes the run record; nothing half-written is left behind because
 * the registry writes files atomically and only after everything else succeeded.
 */
public final class RetrainService {
  static final double TRAIN_FRACTION = 0.8;
  private static final Logger log = LoggerFactory.getLogger(RetrainService.class);

  private final Store store;
  private final DeviceRepository devices;
  private final ModelRegistry registry;
  private final RunRepository runs;
  private final Function<String, PromotionPolicy> policyFor;
  private final Function<String, GatePolicy> gatePolicyFor;
  private final Clock clock;

  public RetrainService(Store store, DeviceRepository devices, ModelRegistry registry, RunRepository runs,
      PromotionPolicy policy, GatePolicy gatePolicy, Clock clock) {
    this(store, devices, registry, runs, device -> policy, device -> gatePolicy, clock);
  }

  /**
   * @param policyFor the promotion thresholds for a device id (they may differ by site), read at each run
   * @param gatePolicyFor the data-quality gate for a device id
   */
  public RetrainService(Store store, DeviceRepository devices, ModelRegistry registry, RunRepository runs,
      Function<String, PromotionPolicy> policyFor, Function<String, GatePolicy> gatePolicyFor, Clock clock) {
    this.store = store;
    this.devices = devices;
    this.registry = registry;
    this.runs = runs;
    this.policyFor = policyFor;
    this.gatePolicyFor = gatePolicyFor;
    this.clock = clock;
  }

  /**
   * Runs the retrain on the calling thread. Bad requests (unknown device, unwritable models folder) throw
   * {@link UserException} before a run record exists; anything failing later is recorded on the run,
   * which comes back with status failed or cancelled. The run is held by this process's lease while it
   * trains: a cancel asked on the run record interrupts this thread (the work stops at the next stage),
   * and if this process dies, readers close the run as failed (process lost).
   */
  public RetrainOutcome run(RetrainRequest req, ProgressListener progress) {
    DeviceConfig device = devices.require(req.deviceId());
    if (!device.enabled()) {
      throw new UserException("Device " + device.id() + " is disabled; enable it with `devices edit "
          + device.id() + " --enabled on` to train it");
    }
    if (!req.dryRun()) {
      registry.checkWritable(req.deviceId()); // decision: fail before training, not after an hour of it
    }
    RunRecord run = runs.startInline(req.deviceId(), req.toTrigger(), req.toParams());
    String runId = run.runId();
    StageClock stages = new StageClock(runId, progress, null);
    long started = System.nanoTime();
    RunStatus status;
    RunEnd end;
    InlineLease lease = runs.hold(run, Thread.currentThread()::interrupt);
    try {
      end = execute(req, device, runId, stages, null, lease);
      status = RunStatus.COMPLETED;
    } catch (GateFailure e) {
      status = RunStatus.FAILED;
      end = RunEnd.error(FailureKind.DATA, e.getMessage());
    } catch (RuntimeException e) {
      // an interrupt can surface as the driver's own exception when it lands inside a store call
      boolean cancelled = e instanceof CancellationException || e instanceof MongoInterruptedException
          || Thread.currentThread().isInterrupted();
      status = cancelled ? RunStatus.CANCELLED : RunStatus.FAILED;
      String by = lease.cancelRequestedBy();
      end = cancelled ? RunEnd.error(null, by != null ? "cancelled by " + by : "cancelled")
          : RunEnd.error(FailureKind.ERROR, message(e));
    } finally {
      lease.close(); // before the final write: a renewal after it would find the run closed and interrupt
    }
    // decision: the closing write must not be refused by the interrupt that cancelled the run; the flag is
    // cleared for the write and restored after, so the caller still sees it (unless the lease set it)
    boolean interrupted = Thread.interrupted() && !lease.stopped();
    try {
      // a run that was closed as lost meanwhile keeps the state its closer wrote
      boolean fenced = lease.state() == HeartbeatState.LOST;
      if (!fenced) {
        runs.finish(runId, status, end.withDuration((System.nanoTime() - started) / 1_000_000));
      }
      return new RetrainOutcome(runs.requireRecord(runId), stages.millis(), fenced);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Runs a scheduled run its scheduler claimed, on the calling thread (a worker process or an in-process
   * executor), reusing the run record written at enqueue. The claim's fence is checked at every stage,
   * before the model is written (the queue item moves to finalizing, which a cancel or timeout can no
   * longer interrupt) and, under the registry's device lock, right before the pointer moves. A fenced-out
   * or interrupted run writes nothing more and leaves no model file: whoever fenced it out (cancel,
   * timeout, recovery) owns its final state.
   */
  public RetrainOutcome runClaimed(Claim claim, ClaimedRun run, ProgressListener progress) {
    String runId = claim.runId();
    StageClock stages = new StageClock(runId, progress, run);
    long started = System.nanoTime();
    boolean fenced = false;
    try {
      run.check();
      RetrainRequest req = RetrainRequest.of(claim.deviceId(), claim.params(), claim.trigger());
      DeviceConfig device = devices.require(req.deviceId());
      if (!req.dryRun()) {
        registry.checkWritable(req.deviceId());
      }
      RunEnd result = execute(req, device, runId, stages, run, run);
      run.finish(RunStatus.COMPLETED, result.withDuration((System.nanoTime() - started) / 1_000_000));
    } catch (FencedOutException | CancellationException e) {
      // decision: nothing more is written; the cancel, timeout or recovery that won owns the final state
      log.info("run {} stopped without a final write: {}", runId, e.getMessage());
      fenced = true;
    } catch (GateFailure e) {
      run.finish(RunStatus.FAILED, RunEnd.error(FailureKind.DATA, e.getMessage())
          .withDuration((System.nanoTime() - started) / 1_000_000));
    } catch (RuntimeException e) {
      run.finish(RunStatus.FAILED, RunEnd.error(FailureKind.ERROR, message(e))
          .withDuration((System.nanoTime() - started) / 1_000_000));
    }
    return new RetrainOutcome(runs.requireRecord(runId), stages.millis(), fenced);
  }

  private static String message(RuntimeException e) {
    return e instanceof UserException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  /**
   * The pipeline. {@code claimed}: the scheduler's claim (null inline), which the model's save must enter
   * finalizing under; {@code fence}: checked before the model is kept and the pointer moves.
   */
  private RunEnd execute(RetrainRequest req, DeviceConfig device, String runId, StageClock stages,
      ClaimedRun claimed, Fence fence) {
    if (!device.enabled()) {
      throw new UserException("Device " + device.id() + " is disabled; enable it with `devices edit "
          + device.id() + " --enabled on` to train it");
    }
    ZoneId zone = device.zone();
    TelemetrySource source = TelemetrySources.forDevice(store, device);

    // --- load the window: N days up to `until` or the newest reading
    stages.begin("load");
    Instant until = req.until() != null ? req.until()
        : source.newest(req.deviceId()).map(t -> t.plusMillis(1)).orElseThrow(() -> new UserException(
            "Device " + req.deviceId() + " has no telemetry. Load some with simulate or import-csv."));
    Instant from = until.minus(Duration.ofDays(req.days()));
    TelemetryWindow window = source.read(req.deviceId(), from, until);
    if (window.size() == 0) {
      throw new GateFailure("No telemetry for " + req.deviceId() + " between " + from + " and " + until
          + " (empty window). Pick a window with data via --until/--days; newest reading: "
          + source.newest(req.deviceId()).map(Instant::toString).orElse("none"));
    }
    stages.end();

    // --- quality gate before any training
    stages.begin("quality");
    FeatureSpec spec = specFor(device, window);
    spec.validate(window.columns().keySet());
    PromotionPolicy policy = policyFor.apply(req.deviceId());
    GatePolicy gatePolicy = gatePolicyFor.apply(req.deviceId());
    GateResult gate = DataQualityGate.check(window, spec, gatePolicy);
    if (!gate.passed()) {
      throw new GateFailure("Data-quality gate failed: " + String.join("; ", gate.reasons()));
    }
    if (!gate.warnings().isEmpty()) {
      runs.recordWarnings(runId, gate.warnings());
    }
    window = gate.window(); // frozen readings masked
    stages.end();

    // --- features and chronological split
    stages.begin("features");
    FeatureMatrix all = FeatureBuilder.build(window, spec, zone);
    Split split = ChronologicalSplit.split(all, TRAIN_FRACTION);
    FeatureMatrix train = split.train();
    FeatureMatrix test = split.test();
    if (train.size() < gatePolicy.minRows() || test.size() < policy.minTestRows()) {
      throw new GateFailure("Too few rows after feature building: " + train.size() + " train / " + test.size()
          + " test (need at least " + gatePolicy.minRows() + " / " + policy.minTestRows()
          + "). Widen the window with --days.");
    }
    RunRecord.Data data = new RunRecord.Data(Instant.ofEpochMilli(window.ts()[0]),
        Instant.ofEpochMilli(window.ts()[window.size() - 1]), all.size(), train.size(), test.size());
    runs.recordData(runId, data);
    stages.end();

    // --- train the candidate
    stages.begin("train");
    TrainerParams trainerParams = TrainerParams.defaults(req.trainer());
    Model<Regressor> candidate = Trainers.train(train, trainerParams, stages.within("train"));
    stages.end();

    // --- score candidate, champion and the naive baseline on the same newest rows
    stages.begin("evaluate");
    ChampionAttempt champion = scoreChampion(req.deviceId(), window, zone, test);
    FeatureMatrix scored = champion.score() != null ? restrict(test, champion.score().ts()) : test;
    EvaluationResult candidateEval = Evaluation.evaluate(Predictions.predict(candidate, scored), scored, zone);
    Metrics baseline = naiveBaseline(scored);
    Optional<Metrics> championMetrics = Optional.ofNullable(champion.score()).map(ChampionScore::metrics);
    Decision decision = policy.decide(candidateEval.metrics(), championMetrics, baseline);
    stages.end();

    RunResult result = new RunResult(data, metrics(candidateEval.metrics()),
        Arrays.stream(candidateEval.maeByHour()).boxed().toList(), metrics(baseline),
        championMetrics.map(RetrainService::metrics).orElse(null),
        champion.score() != null ? champion.score().version() : null, champion.error(), trainerParams.toMap(),
        gate.warnings());
    if (req.dryRun()) {
      return RunEnd.completed(result, null, new RunRecord.Decision(false, decision.promote(),
          "dry run, nothing written: " + decision.reason()), null);
    }

    // --- save the version, then re-point if the policy says so
    stages.begin("save");
    checkCancelled();
    if (claimed != null) {
      claimed.beginFinalize(); // from here a cancel or timeout loses: the run ends as it finishes
    }
    // the app version beside the trainer's params: a diff of two versions shows when the code changed too
    Map<String, Object> metaParams = new java.util.LinkedHashMap<>(trainerParams.toMap());
    metaParams.put(ModelMeta.APP_VERSION_PARAM, AppVersion.number());
    ModelMeta draft = ModelMeta.draft(req.deviceId(), runId, trainerParams.kind().id(), metaParams,
        Json.MAPPER.valueToTree(spec),
        new DataWindow(Instant.ofEpochMilli(window.ts()[0]), Instant.ofEpochMilli(window.ts()[window.size() - 1]),
            all.size(), train.size(), scored.size()),
        MetricsDoc.of(candidateEval.metrics()),
        MetricsDoc.of(championMetrics.orElse(baseline)),
        championMetrics.isPresent() ? ModelMeta.CHAMPION_MODEL : ModelMeta.CHAMPION_NAIVE,
        champion.score() != null ? champion.score().version() : null,
        candidateEval.maeByHour());
    ModelMeta saved = registry.saveCandidate(req.deviceId(), candidate, draft);
    boolean promoted = false;
    try {
      fence.check();
      if (decision.promote()) {
        registry.promote(req.deviceId(), saved.version(), req.actor(), decision.reason() + " (run " + runId + ")",
            fence::check);
        promoted = true;
      }
    } catch (FencedOutException e) {
      registry.discardCandidate(req.deviceId(), saved.version()); // a fenced-out run leaves no model file
      throw e;
    }
    List<String> deleted = registry.applyRetention(req.deviceId(), ModelRegistry.DEFAULT_KEEP);
    stages.end();
    return RunEnd.completed(result,
        new RunRecord.Model(saved.version(), registry.modelFile(req.deviceId(), saved.version()).toString(),
            saved.sha256()),
        new RunRecord.Decision(promoted, null, decision.reason()), deleted);
  }

  /**
   * The device's stored feature spec, or one derived from the fields that have readings in {@code window}
   * (see {@link FeatureSpec#derived}).
   */
  public static FeatureSpec specFor(DeviceConfig device, TelemetryWindow window) {
    if (device.featureSpec() != null) {
      return FeatureSpec.fromDocument(device.featureSpec());
    }
    return FeatureSpec.derived(device.target(), fieldsWithReadings(window), device.forecast());
  }

  /** The fields of {@code window} with at least one reading (a mapped column that is all NaN does not count). */
  public static java.util.Set<String> fieldsWithReadings(TelemetryWindow window) {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    window.columns().forEach((field, values) -> {
      for (double v : values) {
        if (!Double.isNaN(v)) {
          out.add(field);
          break;
        }
      }
    });
    return out;
  }

  /** The model in service scored on the candidate's test rows, or why it could not be. */
  private ChampionAttempt scoreChampion(String deviceId, TelemetryWindow window, ZoneId zone, FeatureMatrix test) {
    if (registry.current(deviceId).isEmpty()) {
      return new ChampionAttempt(null, null);
    }
    try {
      LoadedModel champion = registry.loadCurrent(deviceId);
      // decision: the champion is scored with its own feature spec, on the same telemetry and the same rows
      FeatureSpec spec = FeatureSpec.ofModel(champion.meta().featureSpec(), champion.meta().version());
      FeatureMatrix mine = restrict(FeatureBuilder.build(window, spec, zone), test.ts());
      if (mine.size() == 0) {
        return new ChampionAttempt(null, "champion " + champion.meta().version()
            + " has no rows in common with the test window");
      }
      double[] predicted = Predictions.predict(champion.model(), mine);
      return new ChampionAttempt(
          new ChampionScore(champion.meta().version(), Metrics.of(mine.y(), predicted), mine.ts()), null);
    } catch (UserException | IllegalArgumentException e) {
      // a tampered or missing champion file is refused by the registry; the candidate then has to beat the
      // naive baseline, and the reason is kept on the run so an operator sees it
      return new ChampionAttempt(null, e.getMessage());
    }
  }

  /** Rows of {@code m} whose timestamp appears in {@code keep} (both ascending). */
  static FeatureMatrix restrict(FeatureMatrix m, long[] keep) {
    int[] rows = new int[Math.min(m.size(), keep.length)];
    int n = 0;
    for (int i = 0, j = 0; i < m.size() && j < keep.length; ) {
      if (m.ts()[i] == keep[j]) {
        rows[n++] = i++;
        j++;
      } else if (m.ts()[i] < keep[j]) {
        i++;
      } else {
        j++;
      }
    }
    if (n == m.size()) {
      return m;
    }
    double[][] x = new double[n][];
    double[] y = new double[n];
    long[] ts = new long[n];
    double[] naive = new double[n];
    for (int k = 0; k < n; k++) {
      x[k] = m.x()[rows[k]];
      y[k] = m.y()[rows[k]];
      ts[k] = m.ts()[rows[k]];
      naive[k] = m.naive()[rows[k]];
    }
    return new FeatureMatrix(m.names(), x, y, ts, naive);
  }

  /** "Same time yesterday" on the rows where yesterday is known. */
  static Metrics naiveBaseline(FeatureMatrix test) {
    double[] actual = new double[test.size()];
    double[] predicted = new double[test.size()];
    int n = 0;
    for (int i = 0; i < test.size(); i++) {
      if (Double.isFinite(test.naive()[i])) {
        actual[n] = test.y()[i];
        predicted[n++] = test.naive()[i];
      }
    }
    if (n == 0) {
      return new Metrics(Double.NaN, Double.NaN, Double.NaN, 0);
    }
    return Metrics.of(Arrays.copyOf(actual, n), Arrays.copyOf(predicted, n));
  }

  static RunRecord.Metrics metrics(Metrics m) {
    return new RunRecord.Metrics(finiteOrNull(m.mae()), finiteOrNull(m.rmse()), finiteOrNull(m.r2()), m.n());
  }

  private static Double finiteOrNull(double v) {
    return Double.isFinite(v) ? v : null;
  }

  static void checkCancelled() {
    if (Thread.currentThread().isInterrupted()) {
      throw new CancellationException("run cancelled");
    }
  }

  private record ChampionScore(String version, Metrics metrics, long[] ts) {}

  private record ChampionAttempt(ChampionScore score, String error) {}

  /** A run that fails for a reason in the data (gate, empty window): recorded, no model written. */
  static final class GateFailure extends RuntimeException {
    GateFailure(String message) {
      super(message);
    }
  }

  /** Times each stage, reports it to the listener and, at stage boundaries, to the run record. */
  private final class StageClock {
    private final String runId;
    private final ProgressListener listener;
    private final ClaimedRun claimed; // null for inline runs
    private final Map<String, Long> millis = new LinkedHashMap<>();
    private String stage;
    private long startedAt;

    StageClock(String runId, ProgressListener listener, ClaimedRun claimed) {
      this.runId = runId;
      this.listener = listener;
      this.claimed = claimed;
    }

    void begin(String name) {
      checkCancelled();
      if (claimed != null) {
        claimed.check(); // stop at the next stage once cancelled, timed out or taken over
      }
      stage = name;
      startedAt = System.nanoTime();
      listener.update(name, 0.0);
      runs.progress(runId, name, 0.0);
    }

    void end() {
      millis.put(stage, (System.nanoTime() - startedAt) / 1_000_000);
      listener.update(stage, 1.0);
    }

    ProgressListener within(String name) {
      return (s, f) -> listener.update(name, f);
    }

    Map<String, Long> millis() {
      return millis;
    }
  }
}
