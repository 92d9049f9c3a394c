package com.retrainconsole.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.retrainconsole.audit.PointerLedger;
import com.retrainconsole.audit.PointerMove;
import com.retrainconsole.common.Json;
import com.retrainconsole.common.UserException;
import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tribuo.Model;
import org.tribuo.regression.Regressor;

/**
 * Model versions on disk and the current-model pointer (docs/ARCHITECTURE.md §5). Layout (contract): {@code
 * <models-dir>/<device>/versions/<version>.tribuo}, {@code <version>.meta.json} beside it, and {@code
 * <models-dir>/<device>/current_model.json}.
 *
 * <p>Every file is replaced atomically. Writers of one device are serialised by an in-process lock plus
 * a {@link FileLock} on {@code <device>/.registry.lock}, so the scheduler and a CLI rollback in another
 * process cannot interleave. The pointer file is the truth for what is in service; the ledger (audit) and
 * the stages in the meta files follow it and are reconciled from it after a crash.
 */
public final class ModelRegistry {
  public static final String POINTER_FILE = "current_model.json";
  public static final String VERSIONS_DIR = "versions";
  public static final int DEFAULT_KEEP = 20;
  static final String LOCK_FILE = ".registry.lock";

  private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);
  // One lock per device folder for the whole JVM: FileLock is per process, so two registry objects on
  // the same folder would otherwise get OverlappingFileLockException.
  private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private final Path modelsDir;
  private final PointerLedger ledger;
  private final Clock clock;
  private final Set<String> cleanedDevices = ConcurrentHashMap.newKeySet();
  // device -> "version@promoted_at" of the last pointer whose ledger entry and stages were checked
  private final Map<String, String> reconciledPointers = new ConcurrentHashMap<>();

  public ModelRegistry(Path modelsDir, PointerLedger ledger, Clock clock) {
    this.modelsDir = modelsDir.toAbsolutePath().normalize();
    this.ledger = Objects.requireNonNull(ledger);
    this.clock = Objects.requireNonNull(clock);
  }

  // ---- layout

  public Path modelsDir() {
    return modelsDir;
  }

  public Path deviceDir(String device) {
    Path dir = modelsDir.resolve(ModelVersions.requireDeviceId(device)).normalize();
    if (!dir.getParent().equals(modelsDir)) {
      throw new UserException("Device id '" + device + "' does not name a folder inside " + modelsDir);
    }
    return dir;
  }

  public Path versionsDir(String device) {
    return deviceDir(device).resolve(VERSIONS_DIR);
  }

  public Path pointerFile(String device) {
    return deviceDir(device).resolve(POINTER_FILE);
  }

  public Path modelFile(String device, String version) {
    return versionsDir(device).resolve(ModelVersions.requireVersionId(version) + ModelVersions.MODEL_SUFFIX);
  }

  public Path metaFile(String device, String version) {
    return versionsDir(device).resolve(ModelVersions.requireVersionId(version) + ModelVersions.META_SUFFIX);
  }

  static String relativeModelFile(String version) {
    return VERSIONS_DIR + "/" + version + ModelVersions.MODEL_SUFFIX;
  }

  // ---- writing

  /** Fails before any training when the device's model folder cannot be created or written. */
  public void checkWritable(String device) {
    Path dir = versionsDir(device);
    try {
      Files.createDirectories(dir);
      Path probe = dir.resolve(".write-probe-" + UUID.randomUUID() + AtomicFiles.TEMP_SUFFIX);
      Files.write(probe, new byte[] {1}, StandardOpenOption.CREATE_NEW);
      Files.deleteIfExists(probe);
    } catch (IOException e) {
      throw new UserException(
          "Models folder " + dir + " cannot be written (" + describe(e) + "): pick a writable folder"
              + " with --models-dir or fix its permissions",
          e);
    }
  }

  /**
   * Saves a trained model as a new candidate version: model file, then meta (a model file without meta
   * is an orphan that cleanup removes). Fills in version (when null), created_at (when null), sha256,
   * size_bytes and stage. On any failure no file of this version remains.
   */
  public ModelMeta saveCandidate(String device, Model<Regressor> model, ModelMeta draft) {
    Objects.requireNonNull(model, "model");
    if (draft.deviceId() != null && !draft.deviceId().equals(device)) {
      throw new IllegalArgumentException(
          "meta is for device " + draft.deviceId() + " but saved under " + device);
    }
    checkWritable(device);
    return locked(
        device,
        () -> {
          Instant now = now();
          String version =
              draft.version() != null
                  ? ModelVersions.requireVersionId(draft.version())
                  : ModelVersions.newId(now);
          Path modelFile = modelFile(device, version);
          Path metaFile = metaFile(device, version);
          if (Files.exists(modelFile) || Files.exists(metaFile)) {
            throw new UserException("Device " + device + " already has a model version " + version);
          }
          MessageDigest digest = sha256Digest();
          Path temp = null;
          boolean modelInPlace = false;
          try {
            temp =
                AtomicFiles.writeTemp(
                    modelFile,
                    out -> {
                      DigestOutputStream digesting = new DigestOutputStream(keepOpen(out), digest);
                      model.serializeToStream(digesting);
                      digesting.flush();
                    });
            long size = Files.size(temp);
            AtomicFiles.moveIntoPlace(temp, modelFile);
            modelInPlace = true;
            String actor = draft.runId() != null ? "run " + draft.runId() : "registry";
            ModelMeta meta =
                draft
                    .withIdentity(version, device, draft.createdAt() != null ? draft.createdAt() : now)
                    .withFile(HexFormat.of().formatHex(digest.digest()), size)
                    .withStage(Stage.CANDIDATE, now, actor, "saved after training");
            writeMeta(meta);
            return meta;
          } catch (IOException | RuntimeException e) {
            if (temp != null) {
              Files.deleteIfExists(temp);
            }
            if (modelInPlace) {
              Files.deleteIfExists(modelFile);
            }
            Files.deleteIfExists(metaFile);
            throw e;
          }
        });
  }

  /**
   * Puts {@code version} in service. Its file must pass the sha256 check first; the previous production
   * version becomes archived.
   */
  public Pointer promote(String device, String version, String actor, String reason) {
    return promote(device, version, actor, reason, () -> {});
  }

  /**
   * As {@link #promote(String, String, String, String)}, calling {@code fenceCheck} under the device
   * lock right before the pointer moves: a scheduled run passes its claim's fence, so a worker whose
   * lease was taken over cannot re-point (the check throws and nothing moves).
   */
  public Pointer promote(String device, String version, String actor, String reason, Runnable fenceCheck) {
    requireReason(reason, "promote");
    ModelVersions.requireVersionId(version);
    return locked(
        device,
        () -> {
          Optional<Pointer> current = readPointer(device);
          if (current.isPresent() && current.get().version().equals(version)) {
            throw new UserException("Version " + version + " is already in service for device " + device);
          }
          ModelMeta target = meta(device, version);
          verifiedBytes(device, target, target.sha256(), null);
          fenceCheck.run();
          return movePointer(device, target, PointerMove.PROMOTE, actor, reason, current);
        });
  }

  /**
   * Re-points to {@code toVersion}, or by default to the pointer's {@code previous_version}. The target's
   * file is verified before the pointer moves; the version taken out of service becomes archived.
   */
  public Pointer rollback(String device, Optional<String> toVersion, String actor, String reason) {
    requireReason(reason, "rollback");
    return locked(
        device,
        () -> {
          Optional<Pointer> current = readPointer(device);
          if (current.isEmpty()) {
            throw new UserException(
                "Device " + device + " has no model in service, so there is nothing to roll back;"
                    + " promote a version with `promote --device " + device + " --version <id>`"
                    + knownVersionsHint(device));
          }
          String target = toVersion.orElse(current.get().previousVersion());
          if (target == null) {
            throw new UserException(
                "Device " + device + " has no previous production version to roll back to; pick one"
                    + " with --to" + knownVersionsHint(device));
          }
          ModelVersions.requireVersionId(target);
          if (target.equals(current.get().version())) {
            throw new UserException("Version " + target + " is already in service for device " + device);
          }
          ModelMeta targetMeta = meta(device, target);
          verifiedBytes(device, targetMeta, targetMeta.sha256(), null);
          return movePointer(device, targetMeta, PointerMove.ROLLBACK, actor, reason, current);
        });
  }

  /**
   * Deletes a candidate saved by a run that was then cancelled or fenced out (meta first, then model), so
   * no model file of that run stays behind. Refuses a version in service or its predecessor.
   */
  public void discardCandidate(String device, String version) {
    ModelVersions.requireVersionId(version);
    locked(
        device,
        () -> {
          Optional<Pointer> current = readPointer(device);
          if (current.isPresent()
              && (version.equals(current.get().version())
                  || version.equals(current.get().previousVersion()))) {
            throw new UserException("Version " + version + " of " + device + " is or was in service");
          }
          Files.deleteIfExists(metaFile(device, version));
          Files.deleteIfExists(modelFile(device, version));
          AtomicFiles.fsyncFolder(versionsDir(device));
          log.info("Discarded candidate {} of {}", version, device);
          return null;
        });
  }

  /**
   * The version in service if run {@code runId} created it, read under the device lock so a promote in
   * flight either finished before or has not started (its fence check then fails).
   */
  public Optional<String> versionInServiceOfRun(String device, String runId) {
    if (!Files.isDirectory(deviceDir(device))) {
      return Optional.empty();
    }
    return locked(
        device,
        () -> {
          Optional<Pointer> current = readPointer(device);
          if (current.isEmpty()) {
            return Optional.<String>empty();
          }
          try {
            ModelMeta meta = readMeta(metaFile(device, current.get().version()));
            return runId.equals(meta.runId()) ? Optional.of(meta.version()) : Optional.<String>empty();
          } catch (NoSuchFileException e) {
            return Optional.<String>empty();
          }
        });
  }

  /** Moves a version that is not in service to candidate, staging or archived. */
  public ModelMeta setStage(String device, String version, Stage stage, String actor, String reason) {
    if (stage == Stage.PRODUCTION) {
      throw new UserException(
          "A version reaches production only through `promote --device " + device + " --version "
              + version + "`");
    }
    return locked(
        device,
        () -> {
          ModelMeta meta = meta(device, version);
          Optional<Pointer> current = readPointer(device);
          if (current.isPresent() && current.get().version().equals(version)) {
            throw new UserException(
                "Version " + version + " is in service for device " + device + "; promote or roll"
                    + " back to another version before changing its stage");
          }
          if (meta.stage() == stage) {
            return meta;
          }
          ModelMeta updated = meta.withStage(stage, now(), actor, reason);
          writeMeta(updated);
          Map<String, Object> details = new LinkedHashMap<>();
          details.put("device_id", device);
          details.put("version", version);
          details.put("from_stage", meta.stage() == null ? null : meta.stage().json());
          details.put("to_stage", stage.json());
          details.put("reason", reason);
          ledger.record("set_stage", actor, details);
          return updated;
        });
  }

  /**
   * Replaces the label, note and tags of a saved version (checked by {@link VersionNotes#of}); only its meta
   * file is rewritten, under the device lock so a stage change in flight is not lost. Returns the new meta.
   */
  public ModelMeta setNotes(String device, String version, VersionNotes notes) {
    Objects.requireNonNull(notes, "notes");
    ModelVersions.requireVersionId(version);
    return locked(
        device,
        () -> {
          ModelMeta before = meta(device, version);
          ModelMeta after = before.withNotes(notes);
          if (!after.notes().equals(before.notes())) {
            writeMeta(after);
          }
          return after;
        });
  }

  /**
   * Deletes the oldest versions beyond the newest {@code keep} (meta first, then model, so a crash leaves
   * at worst an orphan model file that cleanup removes). Never deletes the version in service or the
   * previous production version. Returns the deleted version ids.
   */
  public List<String> applyRetention(String device, int keep) {
    if (keep < 1) {
      throw new UserException("Retention must keep at least 1 version per device, not " + keep);
    }
    if (!Files.isDirectory(versionsDir(device))) {
      return List.of();
    }
    return locked(
        device,
        () -> {
          Optional<Pointer> current = readPointer(device);
          Set<String> protectedVersions = new java.util.HashSet<>();
          current.ifPresent(
              p -> {
                protectedVersions.add(p.version());
                if (p.previousVersion() != null) {
                  protectedVersions.add(p.previousVersion());
                }
              });
          List<ModelMeta> newestFirst = list(device);
          List<String> deleted = new ArrayList<>();
          for (int i = keep; i < newestFirst.size(); i++) {
            String version = newestFirst.get(i).version();
            if (protectedVersions.contains(version)) {
              continue;
            }
            Files.deleteIfExists(metaFile(device, version));
            Files.deleteIfExists(modelFile(device, version));
            deleted.add(version);
          }
          if (!deleted.isEmpty()) {
            AtomicFiles.fsyncFolder(versionsDir(device));
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("device_id", device);
            details.put("keep", keep);
            details.put("deleted_versions", deleted);
            ledger.record("retention_delete", "registry", details);
            log.info("Retention deleted {} version(s) of {}: {}", deleted.size(), device, deleted);
          }
          return deleted;
        });
  }

  // ---- reading

  /** The pointer of a device, if any model is in service. Reconciles ledger and stages with it. */
  public Optional<Pointer> current(String device) {
    cleanupOnFirstUse(device);
    Optional<Pointer> pointer = readPointer(device);
    pointer.ifPresent(p -> reconcile(device, p));
    return pointer;
  }

  /** The model in service, verified by sha256 before it is deserialized. */
  public LoadedModel loadCurrent(String device) {
    Pointer pointer =
        current(device)
            .orElseThrow(
                () ->
                    new UserException(
                        "Device " + device + " has no model in service yet: train one with `train"
                            + " --device " + device + "` or promote a saved version with `promote"
                            + " --device " + device + " --version <id>`" + knownVersionsHint(device)));
    return loadVerified(device, pointer.version(), pointer.sha256(), pointer);
  }

  /** Any saved version, verified against the sha256 in its meta before it is deserialized. */
  public LoadedModel load(String device, String version) {
    cleanupOnFirstUse(device);
    ModelMeta meta = meta(device, version);
    Pointer pointer = readPointer(device).filter(p -> p.version().equals(version)).orElse(null);
    return loadVerified(device, version, meta.sha256(), pointer);
  }

  /** Saved versions of a device, newest first. Unreadable meta files are skipped with a warning. */
  public List<ModelMeta> list(String device) {
    Path dir = versionsDir(device);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<ModelMeta> metas = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.collect(Collectors.toList())) {
        String name = file.getFileName().toString();
        if (!name.endsWith(ModelVersions.META_SUFFIX)) {
          continue;
        }
        String version = name.substring(0, name.length() - ModelVersions.META_SUFFIX.length());
        if (!ModelVersions.isVersionId(version)) {
          continue;
        }
        try {
          metas.add(readMeta(file));
        } catch (UserException e) {
          log.warn("Skipping {}: {}", file, e.getMessage());
        } catch (NoSuchFileException e) {
          // deleted by retention in another process while we listed
        }
      }
    } catch (IOException e) {
      throw new UserException("Cannot list model versions in " + dir + " (" + describe(e) + ")", e);
    }
    metas.sort(NEWEST_FIRST);
    return metas;
  }

  private static final Comparator<ModelMeta> NEWEST_FIRST =
      Comparator.comparing((ModelMeta m) -> m.version().substring(0, 16))
          .thenComparing(m -> m.createdAt() == null ? Instant.EPOCH : m.createdAt())
          .thenComparing(ModelMeta::version)
          .reversed();

  public ModelMeta meta(String device, String version) {
    Path file = metaFile(device, version);
    try {
      return readMeta(file);
    } catch (NoSuchFileException e) {
      throw new UserException(
          "Device " + device + " has no model version " + version + knownVersionsHint(device));
    } catch (IOException e) {
      throw new UserException("Cannot read " + file + " (" + describe(e) + ")", e);
    }
  }

  /** Outcome of {@link #checkFile}: what a load of that version would find. */
  public enum FileCheck { VERIFIED, MISMATCH, MISSING, UNREADABLE }

  /**
   * Whether a version's model file exists and matches the sha256 recorded in its meta, without loading
   * it (reads the whole file: call off any UI thread). The same check {@link #load} does before use.
   */
  public FileCheck checkFile(String device, String version, String expectedSha) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(modelFile(device, version));
    } catch (NoSuchFileException e) {
      return FileCheck.MISSING;
    } catch (IOException e) {
      return FileCheck.UNREADABLE;
    }
    String actual = HexFormat.of().formatHex(sha256Digest().digest(bytes));
    return expectedSha != null && expectedSha.equalsIgnoreCase(actual) ? FileCheck.VERIFIED : FileCheck.MISMATCH;
  }

  /** Which version was in service at {@code t}, from the ledger (empty before the first promotion). */
  public Optional<String> versionAt(String device, Instant t) {
    current(device); // reconcile first, so a crash between pointer and ledger does not skew history
    String version = null;
    for (PointerMove move : ledger.history(device)) {
      if (move.at().isAfter(t)) {
        break;
      }
      version = move.toVersion();
    }
    return Optional.ofNullable(version);
  }

  // ---- internals

  private Pointer movePointer(
      String device,
      ModelMeta target,
      String action,
      String actor,
      String reason,
      Optional<Pointer> current)
      throws IOException {
    Instant now = now();
    String previous = current.map(Pointer::version).orElse(null);
    Pointer pointer =
        new Pointer(
            target.version(),
            relativeModelFile(target.version()),
            target.sha256(),
            now,
            actor,
            reason,
            previous);
    AtomicFiles.write(pointerFile(device), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(pointer));
    // decision: the pointer is written first and is the truth; if the ledger write fails (store down,
    // crash) the next current() appends a "reconciled" entry built from the pointer.
    try {
      ledger.append(new PointerMove(action, device, previous, target.version(), actor, reason, now));
      alignStages(device, pointer);
      reconciledPointers.put(device, pointerKey(pointer));
    } catch (RuntimeException e) {
      log.warn(
          "Device {} now serves {}, but the audit entry could not be written ({}); it will be"
              + " reconciled from the pointer on next use",
          device,
          target.version(),
          e.toString());
    }
    log.info("{} {}: {} -> {} by {} ({})", action, device, previous, target.version(), actor, reason);
    return pointer;
  }

  /** The pointer's version is production; any other version still marked production is archived. */
  private void alignStages(String device, Pointer pointer) throws IOException {
    for (ModelMeta meta : list(device)) {
      if (meta.version().equals(pointer.version())) {
        if (meta.stage() != Stage.PRODUCTION) {
          writeMeta(
              meta.withStage(
                  Stage.PRODUCTION, pointer.promotedAt(), pointer.promotedBy(), pointer.reason()));
        }
      } else if (meta.stage() == Stage.PRODUCTION) {
        writeMeta(
            meta.withStage(
                Stage.ARCHIVED,
                pointer.promotedAt(),
                pointer.promotedBy(),
                "replaced by " + pointer.version()));
      }
    }
  }

  private void reconcile(String device, Pointer pointer) {
    String key = pointerKey(pointer);
    if (key.equals(reconciledPointers.get(device))) {
      return;
    }
    try {
      locked(
          device,
          () -> {
            // Re-read under the lock: another process may have moved the pointer meanwhile.
            Optional<Pointer> fresh = readPointer(device);
            if (fresh.isEmpty()) {
              return null;
            }
            Pointer p = fresh.get();
            boolean recorded =
                ledger.history(device).stream()
                    .anyMatch(
                        m ->
                            m.toVersion().equals(p.version())
                                && m.at().toEpochMilli() == p.promotedAt().toEpochMilli());
            if (!recorded) {
              log.warn(
                  "Audit trail of {} lacks the move to {} at {}; appending a reconciled entry",
                  device,
                  p.version(),
                  p.promotedAt());
              ledger.append(
                  new PointerMove(
                      PointerMove.RECONCILED,
                      device,
                      p.previousVersion(),
                      p.version(),
                      p.promotedBy(),
                      p.reason(),
                      p.promotedAt()));
            }
            alignStages(device, p);
            reconciledPointers.put(device, pointerKey(p));
            return null;
          });
    } catch (RuntimeException e) {
      // A read-only models folder or an unreachable store must not stop serving the model.
      log.warn("Could not reconcile the audit trail of {}: {}", device, e.getMessage());
    }
  }

  private static String pointerKey(Pointer p) {
    return p.version() + "@" + (p.promotedAt() == null ? "" : p.promotedAt().toEpochMilli());
  }

  private LoadedModel loadVerified(String device, String version, String expectedSha, Pointer pointer) {
    ModelMeta meta;
    if (pointer != null && !Files.exists(metaFile(device, version))) {
      // checked before meta(): the message should talk about the pointer, not an unknown version
      verifiedBytes(device, null, expectedSha, pointer);
    }
    meta = meta(device, version);
    byte[] bytes = verifiedBytes(device, meta, expectedSha, pointer);
    if (meta.sha256() != null && !meta.sha256().equals(expectedSha)) {
      throw new UserException(
          "Meta file " + metaFile(device, version) + " and pointer " + pointerFile(device)
              + " disagree on the sha256 of version " + version + " of device " + device
              + "; roll back with `rollback --device " + device + "`");
    }
    Model<?> model;
    try {
      model = Model.deserializeFromStream(new ByteArrayInputStream(bytes));
    } catch (IOException | RuntimeException e) {
      throw new UserException(
          "Model file " + modelFile(device, version) + " passed its sha256 check but cannot be loaded ("
              + e + "); it may come from an incompatible Tribuo version",
          e);
    }
    if (!model.validate(Regressor.class)) {
      throw new UserException(
          "Model file " + modelFile(device, version) + " is not a regression model");
    }
    @SuppressWarnings("unchecked")
    Model<Regressor> regression = (Model<Regressor>) model;
    return new LoadedModel(meta, regression, pointer);
  }

  /**
   * Reads a version's model file and checks its sha256. The same bytes are then deserialized, so the file
   * cannot change between check and load.
   */
  private byte[] verifiedBytes(String device, ModelMeta meta, String expectedSha, Pointer pointer) {
    String version = meta != null ? meta.version() : pointer.version();
    Path file = modelFile(device, version);
    String rollbackHint = "; roll back with `rollback --device " + device + "`";
    String howToFix =
        pointer != null
            ? "; the pointer " + pointerFile(device) + " still names it" + rollbackHint
            : "; pick another version (see `model list --device " + device + "`)";
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new UserException(
          "Model file " + file + " for version " + version + " of device " + device + " is missing"
              + howToFix);
    } catch (IOException e) {
      throw new UserException("Cannot read model file " + file + " (" + describe(e) + ")", e);
    }
    String actual = HexFormat.of().formatHex(sha256Digest().digest(bytes));
    if (expectedSha == null || !expectedSha.equalsIgnoreCase(actual)) {
      throw new UserException(
          "Model file " + file + " for version " + version + " of device " + device + " fails its"
              + " sha256 check (expected " + expectedSha + ", found " + actual + "): sha256 mismatch,"
              + " the file was modified or corrupted"
              + (pointer != null ? rollbackHint : howToFix));
    }
    return bytes;
  }

  Optional<Pointer> readPointer(String device) {
    Path file = pointerFile(device);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UserException("Cannot read pointer file " + file + " (" + describe(e) + ")", e);
    }
    String fix =
        ": re-point the device with `rollback --device " + device + " --to <version>`"
            + knownVersionsHint(device);
    Pointer pointer;
    try {
      pointer = Json.MAPPER.readValue(bytes, Pointer.class);
    } catch (IOException e) {
      throw new UserException(
          "Pointer file " + file + " is not valid JSON (" + firstLine(e) + ")" + fix, e);
    }
    if (pointer == null || !ModelVersions.isVersionId(pointer.version()) || pointer.sha256() == null) {
      throw new UserException(
          "Pointer file " + file + " lacks a valid \"version\" or \"sha256\"" + fix);
    }
    if (!relativeModelFile(pointer.version()).equals(pointer.file())) {
      // decision: only the contract layout is accepted, so a pointer cannot lead outside the folder.
      throw new UserException(
          "Pointer file " + file + " names file \"" + pointer.file() + "\" but version "
              + pointer.version() + " lives in \"" + relativeModelFile(pointer.version()) + "\"" + fix);
    }
    return Optional.of(pointer);
  }

  private ModelMeta readMeta(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    try {
      return Json.MAPPER.readValue(bytes, ModelMeta.class);
    } catch (JsonProcessingException e) {
      throw new UserException("Meta file " + file + " is not valid (" + firstLine(e) + ")", e);
    }
  }

  private void writeMeta(ModelMeta meta) throws IOException {
    AtomicFiles.write(
        metaFile(meta.deviceId(), meta.version()),
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(meta));
  }

  /** Removes temp files left by a crash and model files whose meta was never written. */
  private void cleanupOnFirstUse(String device) {
    if (cleanedDevices.contains(device) || !Files.isDirectory(deviceDir(device))) {
      return;
    }
    try {
      locked(device, () -> null); // locked() cleans on first use
    } catch (UserException e) {
      log.debug("Skipping cleanup of {}: {}", device, e.getMessage());
      cleanedDevices.add(device);
    }
  }

  private void cleanup(String device) throws IOException {
    for (Path dir : List.of(deviceDir(device), versionsDir(device))) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      List<Path> files;
      try (Stream<Path> s = Files.list(dir)) {
        files = s.collect(Collectors.toList());
      }
      for (Path file : files) {
        String name = file.getFileName().toString();
        boolean orphanTemp = name.endsWith(AtomicFiles.TEMP_SUFFIX);
        boolean orphanModel =
            name.endsWith(ModelVersions.MODEL_SUFFIX)
                && dir.endsWith(VERSIONS_DIR)
                && !Files.exists(
                    dir.resolve(
                        name.substring(0, name.length() - ModelVersions.MODEL_SUFFIX.length())
                            + ModelVersions.META_SUFFIX));
        if (orphanTemp || orphanModel) {
          log.warn("Removing {} left behind by an interrupted write", file);
          Files.deleteIfExists(file);
        }
      }
    }
  }

  @FunctionalInterface
  private interface LockedWork<T> {
    T run() throws IOException;
  }

  private <T> T locked(String device, LockedWork<T> work) {
    Path dir = deviceDir(device);
    ReentrantLock lock = JVM_LOCKS.computeIfAbsent(dir, d -> new ReentrantLock());
    lock.lock();
    try {
      if (lock.getHoldCount() > 1) {
        return work.run();
      }
      Files.createDirectories(dir);
      try (FileChannel channel =
              FileChannel.open(
                  dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock fileLock = channel.lock()) {
        if (cleanedDevices.add(device)) {
          cleanup(device);
        }
        return work.run();
      }
    } catch (IOException e) {
      throw new UserException(
          "Cannot update models folder " + dir + " (" + describe(e) + "): check that it is writable",
          e);
    } finally {
      lock.unlock();
    }
  }

  private String knownVersionsHint(String device) {
    List<String> versions;
    try {
      versions = list(device).stream().map(ModelMeta::version).collect(Collectors.toList());
    } catch (UserException e) {
      return "";
    }
    if (versions.isEmpty()) {
      return " (no saved versions yet)";
    }
    int shown = Math.min(5, versions.size());
    return " (known, newest first: "
        + String.join(", ", versions.subList(0, shown))
        + (versions.size() > shown ? ", ... " + versions.size() + " in all" : "")
        + ")";
  }

  private Instant now() {
    // Millisecond precision: the audit store keeps dates to the millisecond.
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static void requireReason(String reason, String action) {
    if (reason == null || reason.isBlank()) {
      throw new UserException(
          "A reason is required to " + action + " (it goes into the audit trail): add --reason \"...\"");
    }
  }

  private static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Tribuo may close the stream it writes to; the temp file's channel must stay open for fsync. */
  private static OutputStream keepOpen(OutputStream out) {
    return new FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
  }

  static String describe(IOException e) {
    if (e instanceof FileSystemException fse) {
      String reason = fse.getReason() != null ? fse.getReason() : e.getClass().getSimpleName();
      return reason + ": " + fse.getFile();
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private static String firstLine(Exception e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
