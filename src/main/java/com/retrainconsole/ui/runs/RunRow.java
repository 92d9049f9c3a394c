package com.retrainconsole.ui.runs;

import java.util.Objects;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import com.retrainconsole.runs.RunRecord;

/** A history row: one run's table fields as properties, updated in place by a poll. */
public final class RunRow {
  private final String runId;
  private final ObjectProperty<RunRecord> run = new SimpleObjectProperty<>(this, "run");
  private final StringProperty device = new SimpleStringProperty(this, "device", "");
  private final StringProperty status = new SimpleStringProperty(this, "status", "");
  private final StringProperty trigger = new SimpleStringProperty(this, "trigger", "");
  private final StringProperty queued = new SimpleStringProperty(this, "queued", "");
  private final StringProperty started = new SimpleStringProperty(this, "started", "");
  private final StringProperty rmse = new SimpleStringProperty(this, "rmse", "");
  private final StringProperty r2 = new SimpleStringProperty(this, "r2", "");
  private final StringProperty duration = new SimpleStringProperty(this, "duration", "");
  private final StringProperty mae = new SimpleStringProperty(this, "mae", "");
  private final StringProperty championMae = new SimpleStringProperty(this, "championMae", "");
  private final StringProperty promoted = new SimpleStringProperty(this, "promoted", "");

  public RunRow(String runId) {
    this.runId = runId;
  }

  public String getRunId() {
    return runId;
  }

  /** The run this row shows (table fields only). */
  public RunRecord getRun() {
    return run.get();
  }

  /** Copies {@code r} into the properties; false (and no events) when nothing changed. */
  boolean update(RunRecord r, RunsViewModel.Format fmt) {
    if (Objects.equals(r, run.get())) {
      return false;
    }
    run.set(r);
    device.set(fmt.str(r.deviceId()));
    status.set(r.status() == null ? "" : r.status().wire());
    trigger.set(fmt.str(r.triggerType()));
    queued.set(fmt.when(r.queuedAt()));
    started.set(fmt.when(r.startedAt()));
    rmse.set(fmt.watts(r.metrics() == null ? null : r.metrics().rmse()));
    r2.set(r.metrics() == null || r.metrics().r2() == null ? "" : fmt.number(r.metrics().r2(), "%.3f"));
    duration.set(fmt.duration(r.durationMs()));
    mae.set(fmt.watts(r.mae()));
    championMae.set(fmt.watts(r.championMae()));
    Boolean p = r.decision() == null ? null : r.decision().promoted();
    promoted.set(p == null ? "" : p ? "yes" : "no");
    return true;
  }

  public String getStatus() {
    return status.get();
  }

  public String getDevice() {
    return device.get();
  }

  public StringProperty deviceProperty() {
    return device;
  }

  public StringProperty statusProperty() {
    return status;
  }

  public StringProperty triggerProperty() {
    return trigger;
  }

  public StringProperty queuedProperty() {
    return queued;
  }

  public StringProperty startedProperty() {
    return started;
  }

  public StringProperty rmseProperty() {
    return rmse;
  }

  public StringProperty r2Property() {
    return r2;
  }

  /** True when the run trained and scored a candidate without putting anything into service. */
  public boolean isDryRun() {
    RunRecord r = run.get();
    return r != null && r.dryRun();
  }

  public StringProperty durationProperty() {
    return duration;
  }

  public StringProperty maeProperty() {
    return mae;
  }

  public StringProperty championMaeProperty() {
    return championMae;
  }

  public StringProperty promotedProperty() {
    return promoted;
  }
}
