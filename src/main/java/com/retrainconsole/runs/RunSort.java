package com.retrainconsole.runs;

import com.mongodb.client.model.Sorts;
import org.bson.conversions.Bson;

/**
 * The order of the run history, done by the store. {@code run_id} breaks ties in the same direction, so a
 * page boundary never splits or repeats runs with equal keys (run ids are unique and sort by start time).
 */
public record RunSort(Field field, boolean ascending) {

  /** The columns that can be sorted and their document fields. */
  public enum Field {
    QUEUED_AT("queued_at"),
    STARTED_AT("started_at"),
    FINISHED_AT("finished_at"),
    DEVICE("device_id"),
    STATUS("status"),
    TRIGGER("trigger.type"),
    MAE("metrics.mae"),
    CHAMPION_MAE("champion_metrics.mae"),
    DURATION("duration_ms"),
    RUN_ID("run_id");

    private final String path;

    Field(String path) {
      this.path = path;
    }

    public String path() {
      return path;
    }
  }

  /** Newest first: what the history opens with. */
  public static RunSort newestFirst() {
    return new RunSort(Field.QUEUED_AT, false);
  }

  public Bson toBson() {
    if (field == Field.RUN_ID) {
      return ascending ? Sorts.ascending("run_id") : Sorts.descending("run_id");
    }
    return ascending ? Sorts.ascending(field.path, "run_id") : Sorts.descending(field.path, "run_id");
  }
}
