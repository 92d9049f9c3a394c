package com.retrainconsole.ui.compare;

import com.retrainconsole.comparison.VersionPoint;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;

/** A row of the versions table: a saved version and whether it is ticked for comparison. */
public final class VersionRow {
  private final VersionPoint point;
  private final BooleanProperty picked = new SimpleBooleanProperty(this, "picked");

  VersionRow(VersionPoint point, boolean picked) {
    this.point = point;
    this.picked.set(picked);
  }

  public VersionPoint point() {
    return point;
  }

  public String version() {
    return point.version();
  }

  public BooleanProperty pickedProperty() {
    return picked;
  }

  public boolean isPicked() {
    return picked.get();
  }
}
