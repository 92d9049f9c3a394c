package com.retrainconsole.ui.alerts;

import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.bson.Document;

/** One alert in the table: properties updated in place by alert id, so a poll keeps selection and scroll. */
public final class AlertRow {
  private final String alertId;
  private final ObjectProperty<Document> doc = new SimpleObjectProperty<>(this, "doc");
  private final StringProperty type = new SimpleStringProperty(this, "type", "");
  private final StringProperty device = new SimpleStringProperty(this, "device", "");
  private final StringProperty raised = new SimpleStringProperty(this, "raised", "");
  private final StringProperty lastSeen = new SimpleStringProperty(this, "lastSeen", "");
  private final IntegerProperty count = new SimpleIntegerProperty(this, "count");
  private final StringProperty message = new SimpleStringProperty(this, "message", "");
  private final StringProperty status = new SimpleStringProperty(this, "status", "");

  public AlertRow(String alertId) {
    this.alertId = alertId;
  }

  public String getAlertId() {
    return alertId;
  }

  /** The alert as last read from the store. */
  public ObjectProperty<Document> docProperty() {
    return doc;
  }

  public Document getDoc() {
    return doc.get();
  }

  public StringProperty typeProperty() {
    return type;
  }

  public StringProperty deviceProperty() {
    return device;
  }

  public StringProperty raisedProperty() {
    return raised;
  }

  public StringProperty lastSeenProperty() {
    return lastSeen;
  }

  public IntegerProperty countProperty() {
    return count;
  }

  public StringProperty messageProperty() {
    return message;
  }

  public StringProperty statusProperty() {
    return status;
  }

  public String getStatus() {
    return status.get();
  }
}
