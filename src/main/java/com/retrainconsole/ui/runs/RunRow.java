package com.retrainconsole.ui.runs;

import java.util.Objects;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.bson.Document;

/** A history row: one run's table fields as properties, updated in place by a poll. */
public final class RunRow {
  private final String runId;
  private final ObjectProperty<Document> doc = new SimpleObjectProperty<>(this, "doc");
  private final StringProperty device = new SimpleStringProperty(this, "device", "");
  private final StringProperty status = new SimpleStringProperty(this, "status", "");
  private final StringProperty trigger = new SimpleStringProperty(this, "trigger", "");
  private final StringProperty queued = new SimpleStringProperty(this, "queued", "");
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

  /** The projected run document this row shows (table fields only). */
  public Document getDoc() {
    return doc.get();
  }

  /** Copies {@code d} into the properties; false (and no events) when nothing changed. */
  boolean update(Document d, RunsViewModel.Format fmt) {
    if (Objects.equals(d, doc.get())) {
      return false;
    }
    doc.set(d);
    device.set(fmt.str(d.get("device_id")));
    status.set(fmt.str(d.get("status")));
    Document t = d.get("trigger", Document.class);
    trigger.set(t == null ? "" : fmt.str(t.get("type")));
    queued.set(fmt.when(d.getDate("queued_at")));
    duration.set(fmt.duration(d.get("duration_ms")));
    mae.set(fmt.watts(RunsViewModel.embedded(d, "metrics", "mae")));
    championMae.set(fmt.watts(RunsViewModel.embedded(d, "champion_metrics", "mae")));
    Object p = RunsViewModel.embedded(d, "decision", "promoted");
    promoted.set(p == null ? "" : Boolean.TRUE.equals(p) ? "yes" : "no");
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
