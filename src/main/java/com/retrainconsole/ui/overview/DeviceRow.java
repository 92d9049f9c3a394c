package com.retrainconsole.ui.overview;

import java.util.List;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** A table row: one device's properties, updated in place so selection and scroll survive a poll. */
public final class DeviceRow {
  private final String deviceId;
  private final ObjectProperty<DeviceSnapshot> snapshot = new SimpleObjectProperty<>(this, "snapshot");
  private final StringProperty model = new SimpleStringProperty(this, "model", "");
  private final StringProperty modelAge = new SimpleStringProperty(this, "modelAge", "");
  private final StringProperty mae = new SimpleStringProperty(this, "mae", "");
  private final StringProperty lastRunStatus = new SimpleStringProperty(this, "lastRunStatus", "");
  private final StringProperty lastRunWhen = new SimpleStringProperty(this, "lastRunWhen", "");
  private final StringProperty lastRunTrigger = new SimpleStringProperty(this, "lastRunTrigger", "");
  private final IntegerProperty openAlerts = new SimpleIntegerProperty(this, "openAlerts");
  private final StringProperty nextFire = new SimpleStringProperty(this, "nextFire", "");
  private final StringProperty freshness = new SimpleStringProperty(this, "freshness", "");
  private final BooleanProperty stale = new SimpleBooleanProperty(this, "stale");
  private final ObjectProperty<List<Double>> recentMae = new SimpleObjectProperty<>(this, "recentMae", List.of());

  public DeviceRow(String deviceId) {
    this.deviceId = deviceId;
  }

  /** Age of the device's newest reading, e.g. "data 3 min old" or "stale · 2 d old". */
  public StringProperty freshnessProperty() {
    return freshness;
  }

  /** The newest reading is older than {@link OverviewViewModel#STALE_AFTER} (or there is none). */
  public BooleanProperty staleProperty() {
    return stale;
  }

  public StringProperty nextFireProperty() {
    return nextFire;
  }

  /** Holdout MAE of the model in service at recent runs, oldest first (the sparkline). */
  public ObjectProperty<List<Double>> recentMaeProperty() {
    return recentMae;
  }

  public String getDeviceId() {
    return deviceId;
  }

  public ObjectProperty<DeviceSnapshot> snapshotProperty() {
    return snapshot;
  }

  public DeviceSnapshot getSnapshot() {
    return snapshot.get();
  }

  public StringProperty modelProperty() {
    return model;
  }

  public StringProperty modelAgeProperty() {
    return modelAge;
  }

  public StringProperty maeProperty() {
    return mae;
  }

  public StringProperty lastRunStatusProperty() {
    return lastRunStatus;
  }

  public String getLastRunStatus() {
    return lastRunStatus.get();
  }

  public StringProperty lastRunWhenProperty() {
    return lastRunWhen;
  }

  public StringProperty lastRunTriggerProperty() {
    return lastRunTrigger;
  }

  public IntegerProperty openAlertsProperty() {
    return openAlerts;
  }

  public String getModel() {
    return model.get();
  }
}
