package com.retrainconsole.ui.triggers;

import com.retrainconsole.triggers.Trigger;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** One trigger in the list; updated in place by each poll so selection and scroll stay put. */
public final class TriggerRow {
  private final String triggerId;
  private final ObjectProperty<Trigger> trigger = new SimpleObjectProperty<>(this, "trigger");
  private final StringProperty type = new SimpleStringProperty(this, "type");
  private final StringProperty summary = new SimpleStringProperty(this, "summary");
  private final BooleanProperty enabled = new SimpleBooleanProperty(this, "enabled");
  private final StringProperty nextFire = new SimpleStringProperty(this, "nextFire");
  private final StringProperty lastFired = new SimpleStringProperty(this, "lastFired");
  private final StringProperty circuit = new SimpleStringProperty(this, "circuit");

  public TriggerRow(String triggerId) {
    this.triggerId = triggerId;
  }

  public String getTriggerId() {
    return triggerId;
  }

  public ObjectProperty<Trigger> triggerProperty() {
    return trigger;
  }

  public Trigger getTrigger() {
    return trigger.get();
  }

  public StringProperty typeProperty() {
    return type;
  }

  public StringProperty summaryProperty() {
    return summary;
  }

  public BooleanProperty enabledProperty() {
    return enabled;
  }

  public boolean isEnabled() {
    return enabled.get();
  }

  public StringProperty nextFireProperty() {
    return nextFire;
  }

  public StringProperty lastFiredProperty() {
    return lastFired;
  }

  public StringProperty circuitProperty() {
    return circuit;
  }
}
