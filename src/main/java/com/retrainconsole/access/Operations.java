package com.retrainconsole.access;

import com.retrainconsole.alerts.AlertDetectors;
import com.retrainconsole.alerts.AlertService;
import com.retrainconsole.audit.MongoAuditLog;
import com.retrainconsole.common.ConflictException;
import com.retrainconsole.common.NotFoundException;
import com.retrainconsole.common.ProgressListener;
import com.retrainconsole.common.UserException;
import com.retrainconsole.devices.CollectionProbe;
import com.retrainconsole.devices.DeviceChanges;
import com.retrainconsole.devices.DeviceDiff;
import com.retrainconsole.devices.DeviceService;
import com.retrainconsole.devices.RemovalReport;
import com.retrainconsole.telemetry.BucketTelemetryStore;
import com.retrainconsole.telemetry.CsvImportOptions;
import com.retrainconsole.telemetry.CsvImportResult;
import com.retrainconsole.telemetry.SimulatorConfig;
import com.retrainconsole.telemetry.SimulatorResult;
import com.retrainconsole.telemetry.DeviceConfig;
import com.retrainconsole.registry.ModelMeta;
import com.retrainconsole.registry.ModelRegistry;
import com.retrainconsole.registry.Pointer;
import com.retrainconsole.registry.VersionNotes;
import com.retrainconsole.retrain.RetrainOutcome;
import com.retrainconsole.retrain.RetrainRequest;
import com.retrainconsole.retrain.RetrainService;
import com.retrainconsole.runs.CancelResult;
import com.retrainconsole.runs.EnqueueRequest;
import com.retrainconsole.runs.Enqueued;
import com.retrainconsole.runs.RunCodec;
import com.retrainconsole.runs.RunQueue;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.runs.RunRepository;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.triggers.Guards;
import com.retrainconsole.triggers.Trigger;
import com.retrainconsole.triggers.TriggerRepository;
import com.retrainconsole.triggers.TriggerType;
import java.util.Optional;
import org.bson.Document;

/**
 * Every state-changing action the console, the CLI and the management API offer, checked against the
 * caller's role on the site of the device concerned before anything is touched. decision: one guarded door
 * in core rather than checks in each view, so a button the UI forgot to disable is still refused. A device
 * (run, trigger, alert) of a site the caller may not see is reported as not found, as if it did not exist;
 * reads are filtered through {@link Visibility}.
 */
public final class Operations {
  private final RetrainService retrain;
  private final RunQueue queue;
  private final RunRepository runs;
  private final ModelRegistry registry;
  private final TriggerRepository triggers;
  private final AlertService alerts;
  private final AlertDetectors alertDetectors;
  private final MongoAuditLog audit;
  private final DeviceService devices;
  private final BucketTelemetryStore telemetry;
  private final Visibility visibility;

  public Operations(RetrainService retrain, RunQueue queue, RunRepository runs, ModelRegistry registry,
      TriggerRepository triggers, AlertService alerts, AlertDetectors alertDetectors, MongoAuditLog audit,
      DeviceService devices, BucketTelemetryStore telemetry, Visibility visibility) {
    this.alertDetectors = alertDetectors;
    this.visibility = visibility;
    this.devices = devices;
    this.telemetry = telemetry;
    this.retrain = retrain;
    this.queue = queue;
    this.runs = runs;
    this.registry = registry;
    this.triggers = triggers;
    this.alerts = alerts;
    this.audit = audit;
  }

  /** Trains in this process (progress and cooperative cancel through {@code progress}). */
  public RetrainOutcome retrain(Actor actor, RetrainRequest request, ProgressListener progress) {
    requireOnDevice(actor, Permission.RETRAIN, request.deviceId());
    return retrain.run(request, progress);
  }

  /**
   * A retrain someone asked for (the CLI's {@code train}, the console's Retrain): the run, then the alert
   * detectors over its final record, as the scheduler does for queued runs. decision: one call for every face,
   * so a run started by hand raises the same alerts wherever it was started.
   */
  public RetrainOutcome retrainAndDetect(Actor actor, RetrainRequest request, ProgressListener progress) {
    RetrainOutcome outcome = retrain(actor, request, progress);
    alertDetectors.afterRun(outcome.run());
    return outcome;
  }

  /** Queues a retrain for a running scheduler. */
  public Enqueued enqueueRetrain(Actor actor, RetrainRequest request) {
    requireOnDevice(actor, Permission.RETRAIN, request.deviceId());
    return queue.enqueue(EnqueueRequest.manual(request.deviceId(), request.toParams(), actor.user(),
        request.reason()));
  }

  public CancelResult cancelRun(Actor actor, String runId) {
    requireOnRun(actor, Permission.CANCEL_RUN, runId);
    return queue.requestCancel(runId, actor.user());
  }

  /**
   * Queues a new run with the same device and parameters as a failed or timed-out one, linked by
   * {@code retry_of}. Refused for runs that completed, are still going, or were cancelled on purpose.
   */
  public Enqueued retryRun(Actor actor, String runId) {
    requireOnRun(actor, Permission.RETRY_RUN, runId);
    RunRecord run = runs.requireRecord(runId);
    RunStatus status = run.status();
    if (status != RunStatus.FAILED && status != RunStatus.TIMED_OUT) {
      throw new UserException("run " + runId + " is " + status.wire() + "; only failed or timed-out runs can be "
          + "retried (start a new retrain instead)");
    }
    RunRecord.Trigger trigger = RunRecord.Trigger.manual("retry of " + runId + " requested by " + actor.user(),
        actor.user());
    return queue.enqueue(new EnqueueRequest(run.deviceId(), trigger,
        run.params() == null ? RunRecord.Params.none() : run.params(), null, null, run.attempt() + 1, runId));
  }

  /**
   * Deletes a finished run's history record and writes who did it to the audit ledger. Refused while the
   * run is pending or running (cancel it first) and for the run whose model is in service: the Versions
   * view links a model to the run that produced it, and that provenance must survive a history clean-up.
   */
  public RunRecord deleteRun(Actor actor, String runId) {
    requireOnRun(actor, Permission.DELETE_RUN, runId);
    RunRecord run = runs.requireRecord(runId); // an inline run whose process died is closed here, so it can go
    RunStatus status = run.status();
    String device = run.deviceId();
    if (!status.isFinal()) {
      throw new ConflictException("run " + runId + " is " + status.wire() + "; only finished runs can be deleted "
          + "(cancel it first)");
    }
    registry.versionInServiceOfRun(device, runId).ifPresent(v -> {
      throw new ConflictException("run " + runId + " produced " + device + " " + v + ", the model in service; "
          + "promote or roll back to another version before deleting its run");
    });
    if (!runs.deleteFinished(runId)) {
      throw new ConflictException("run " + runId + " changed while being deleted; read it again");
    }
    audit.record("delete_run", actor.user(), java.util.Map.of("device_id", device, "run_id", runId,
        "status", status.wire()));
    return run;
  }

  public Pointer promote(Actor actor, String deviceId, String version, String reason) {
    requireOnDevice(actor, Permission.PROMOTE, deviceId);
    return registry.promote(deviceId, version, actor.user(), requireReason(reason, "promote"));
  }

  public Pointer rollback(Actor actor, String deviceId, Optional<String> toVersion, String reason) {
    requireOnDevice(actor, Permission.ROLLBACK, deviceId);
    return registry.rollback(deviceId, toVersion, actor.user(), requireReason(reason, "roll back"));
  }

  /**
   * Replaces the label, note and tags of a saved version (rules in {@link VersionNotes#of}: a bad field is
   * refused naming the field and the rule) and records who changed them in the audit ledger.
   */
  public ModelMeta labelVersion(Actor actor, String deviceId, String version, VersionNotes notes) {
    requireOnDevice(actor, Permission.LABEL_VERSION, deviceId);
    VersionNotes checked = VersionNotes.of(notes.label(), notes.note(), notes.tags());
    ModelMeta saved = registry.setNotes(deviceId, version, checked);
    java.util.Map<String, Object> details = new java.util.LinkedHashMap<>();
    details.put("device_id", deviceId);
    details.put("version", version);
    details.put("label", checked.label());
    details.put("note", checked.note());
    details.put("tags", checked.tags());
    audit.record("label_version", actor.user(), details);
    return saved;
  }

  public Trigger addTrigger(Actor actor, String deviceId, TriggerType type, Document spec, Guards guards) {
    requireOnDevice(actor, Permission.EDIT_TRIGGERS, deviceId);
    return triggers.add(deviceId, type, spec, guards);
  }

  public Trigger editTrigger(Actor actor, String triggerId, Document specChanges, Guards guards) {
    requireOnTrigger(actor, Permission.EDIT_TRIGGERS, triggerId);
    return triggers.edit(triggerId, specChanges, guards);
  }

  public Trigger setTriggerEnabled(Actor actor, String triggerId, boolean enabled) {
    requireOnTrigger(actor, Permission.EDIT_TRIGGERS, triggerId);
    return enabled ? triggers.enable(triggerId) : triggers.disable(triggerId);
  }

  public Trigger removeTrigger(Actor actor, String triggerId) {
    requireOnTrigger(actor, Permission.EDIT_TRIGGERS, triggerId);
    return triggers.remove(triggerId);
  }

  public DeviceConfig addDevice(Actor actor, String deviceId, DeviceChanges changes) {
    String site = changes.site() == null || changes.site().isBlank() ? DeviceConfig.DEFAULT_SITE : changes.site().trim();
    actor.require(Permission.EDIT_DEVICES, site);
    DeviceConfig added = devices.add(deviceId, changes);
    audit.record("add_device", actor.user(), java.util.Map.of("device_id", deviceId));
    return added;
  }

  public DeviceConfig editDevice(Actor actor, String deviceId, DeviceChanges changes) {
    requireOnDevice(actor, Permission.EDIT_DEVICES, deviceId);
    if (changes.site() != null && !changes.site().isBlank()) {
      actor.require(Permission.EDIT_DEVICES, changes.site().trim()); // moving a device needs both sites
    }
    DeviceConfig before = devices.require(deviceId);
    DeviceConfig after = devices.edit(deviceId, changes);
    audit.record("edit_device", actor.user(), java.util.Map.of("device_id", deviceId,
        "changed", DeviceDiff.changedFields(before, after)));
    return after;
  }

  /** Points a device at its readings; a collection mapping is checked against real documents first. */
  public CollectionProbe.Preview setDeviceSource(Actor actor, String deviceId, DeviceConfig.Source source) {
    requireOnDevice(actor, Permission.EDIT_DEVICES, deviceId);
    CollectionProbe.Preview preview = devices.setSource(deviceId, source);
    audit.record("set_device_source", actor.user(), java.util.Map.of("device_id", deviceId,
        "source", source.toDocument()));
    return preview;
  }

  /** Imports readings from a CSV file into the app's buckets (devices named by the file or the options). */
  public CsvImportResult importCsv(Actor actor, CsvImportOptions options, ProgressListener progress) {
    if (options.fixedDevice() != null) {
      requireOnDevice(actor, Permission.EDIT_DEVICES, options.fixedDevice());
    } else {
      // decision: a file naming its devices in a column may write into any device, so only a fleet-wide
      // role may import it; a site's admin imports one device at a time
      if (!actor.can(Permission.EDIT_DEVICES) && actor.canSomewhere(Permission.EDIT_DEVICES)) {
        throw new UserException("a file that names its devices in a column may write into devices of any site;"
            + " import one device at a time with --device ID (a device of your sites), or ask a fleet admin");
      }
      actor.require(Permission.EDIT_DEVICES);
    }
    CsvImportResult r = devices.importCsv(options, progress);
    // a file may name 200k devices: the ledger keeps the count and the first few, not the whole list
    audit.record("import_csv", actor.user(), java.util.Map.of("file", String.valueOf(options.file().getFileName()),
        "device_count", r.devices().size(), "devices", r.devices().stream().limit(20).toList(),
        "imported", r.imported()));
    return r;
  }

  /** Writes simulated readings for the configured devices (demo data for a new device). */
  public SimulatorResult simulateDevices(Actor actor, SimulatorConfig config, ProgressListener progress) {
    config.devices().forEach(d -> requireOnDevice(actor, Permission.EDIT_DEVICES, d));
    SimulatorResult r = devices.simulate(config, progress);
    audit.record("simulate", actor.user(), java.util.Map.of("devices", config.devices(), "days", config.days()));
    return r;
  }

  public RemovalReport removeDevice(Actor actor, String deviceId) {
    requireOnDevice(actor, Permission.EDIT_DEVICES, deviceId);
    RemovalReport report = devices.remove(deviceId);
    audit.record("remove_device", actor.user(), java.util.Map.of("device_id", deviceId,
        "triggers_removed", report.triggersRemoved()));
    return report;
  }

  public Document ackAlert(Actor actor, String alertId, String reason) {
    String device = alerts.find(alertId).map(a -> a.getString("device_id")).orElse(null);
    if (device == null) {
      if (alerts.find(alertId).isPresent()) {
        actor.require(Permission.ACK_ALERT); // an alert about no device (the scheduler, the store) is fleet-wide
      } else {
        requireOnSiteOf(actor, Permission.ACK_ALERT, Optional.empty()); // unknown id: the service says so
      }
    } else if (!visibility.canSee(actor, device)) {
      throw new NotFoundException("Unknown alert '" + alertId + "'; list alerts with: alerts");
    } else {
      actor.require(Permission.ACK_ALERT, visibility.siteOf(device));
    }
    return alerts.ack(alertId, actor.user(), reason);
  }

  /** The visibility rules this door applies; faces filter their reads with the same object. */
  public Visibility visibility() {
    return visibility;
  }

  /**
   * Not found when the device's site is invisible to the actor (in the words a missing device gets), else
   * refused unless their role on that site allows {@code p}.
   */
  private void requireOnDevice(Actor actor, Permission p, String deviceId) {
    if (deviceId == null) {
      actor.require(p);
      return;
    }
    actor.require(p, visibility.requireVisible(actor, deviceId));
  }

  private void requireOnRun(Actor actor, Permission p, String runId) {
    Optional<String> device = runs.find(runId).map(RunCodec::read).map(RunRecord::deviceId);
    if (device.isPresent() && !visibility.canSee(actor, device.get())) {
      throw new NotFoundException("Unknown run '" + runId + "'. List runs with: runs --limit 20");
    }
    requireOnSiteOf(actor, p, device);
  }

  /** An unknown id passes only a caller who may do {@code p} somewhere: the service then says it is unknown. */
  private void requireOnSiteOf(Actor actor, Permission p, Optional<String> device) {
    if (device.isPresent()) {
      actor.require(p, visibility.siteOf(device.get()));
    } else if (!actor.canSomewhere(p)) {
      actor.require(p);
    }
  }

  private void requireOnTrigger(Actor actor, Permission p, String triggerId) {
    Optional<String> device = triggers.find(triggerId).map(Trigger::deviceId);
    if (device.isPresent() && !visibility.canSee(actor, device.get())) {
      throw new NotFoundException("Unknown trigger '" + triggerId + "'. List triggers with: triggers list");
    }
    requireOnSiteOf(actor, p, device);
  }

  private static String requireReason(String reason, String action) {
    if (reason == null || reason.isBlank()) {
      throw new UserException("a reason is required to " + action + " a model; it goes into the audit ledger");
    }
    return reason.trim();
  }

  /**
   * Deletes the device's readings with {@code from <= ts < to} (the device's telemetry summary is rebuilt)
   * and records who did it in the audit ledger; returns how many readings were removed.
   */
  public long deleteTelemetry(Actor actor, String deviceId, java.time.Instant from, java.time.Instant to) {
    requireOnDevice(actor, Permission.DELETE_TELEMETRY, deviceId);
    if (!from.isBefore(to)) {
      throw new UserException("--from (" + from + ") must be before --to (" + to + "); readings with from <= ts "
          + "< to are deleted");
    }
    long removed = telemetry.delete(deviceId, from, to);
    audit.record("delete_telemetry", actor.user(), java.util.Map.of("device_id", deviceId, "from", from, "to", to,
        "removed", removed));
    return removed;
  }
}
