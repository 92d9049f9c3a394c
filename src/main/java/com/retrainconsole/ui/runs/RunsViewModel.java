package com.retrainconsole.ui.runs;

import com.retrainconsole.runs.RunFilter;
import com.retrainconsole.runs.RunPage;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.runs.RunIndex;
import com.retrainconsole.runs.RunRepository;
import com.retrainconsole.runs.RunSort;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The history's state: filter, sort, page start and the rows of the page on screen. {@link #load} reads
 * one page (background thread); {@link #apply} merges it on the FX thread, reusing rows by run id so a poll
 * of the same page changes properties only and the table keeps selection and scroll position.
 */
public final class RunsViewModel {
  public static final int PAGE_SIZE = 100;

  private final ObservableList<RunRow> rows = FXCollections.observableArrayList();
  private final ObjectProperty<RunFilter> filter = new SimpleObjectProperty<>(this, "filter", RunFilter.all());
  private final ObjectProperty<RunSort> sort = new SimpleObjectProperty<>(this, "sort", RunSort.newestFirst());
  private final IntegerProperty offset = new SimpleIntegerProperty(this, "offset");
  private final LongProperty total = new SimpleLongProperty(this, "total", -1);
  private final Format format;

  public RunsViewModel(ZoneId zone) {
    this.format = new Format(zone);
  }

  public ObservableList<RunRow> rows() {
    return rows;
  }

  public ObjectProperty<RunFilter> filterProperty() {
    return filter;
  }

  public ObjectProperty<RunSort> sortProperty() {
    return sort;
  }

  public IntegerProperty offsetProperty() {
    return offset;
  }

  /** Runs matching the filter; -1 until the first load. */
  public LongProperty totalProperty() {
    return total;
  }

  public Format format() {
    return format;
  }

  public int pageIndex() {
    return offset.get() / PAGE_SIZE;
  }

  public int pageCount() {
    return (int) Math.max(1, (total.get() + PAGE_SIZE - 1) / PAGE_SIZE);
  }

  /** The query a load runs now: captured on the FX thread so the result can be matched to it. */
  public record Query(RunFilter filter, RunSort sort, int offset) {}

  public Query query() {
    return new Query(filter.get(), sort.get(), offset.get());
  }

  /**
   * One page: from the in-memory index once it has loaded, before that straight from the store (the first
   * page must not wait for the index's first full read). {@code refresh} brings the index up to date first;
   * decision: only polls, F5 and actions refresh, not filter/sort/page clicks, so a click never waits behind
   * a store read; the page it shows is at most one poll old. Blocking: never on the FX thread.
   */
  public static RunPage load(RunIndex index, RunRepository runs, Query q, boolean refresh) {
    if (!index.loaded()) {
      return runs.query(q.filter(), q.sort(), q.offset(), PAGE_SIZE);
    }
    if (refresh) {
      index.refresh();
    }
    return index.query(q.filter(), q.sort(), q.offset(), PAGE_SIZE);
  }

  /**
   * Shows {@code page}: rows already on screen are updated in place; the list is touched only when the
   * page holds other runs or another order. Returns true when the list itself changed.
   */
  public boolean apply(RunPage page) {
    total.set(page.total());
    offset.set(page.offset());
    Map<String, RunRow> byId = new HashMap<>();
    for (RunRow r : rows) {
      byId.put(r.getRunId(), r);
    }
    List<RunRow> next = new ArrayList<>(page.rows().size());
    for (RunRecord r : page.rows()) {
      RunRow row = byId.get(r.runId());
      if (row == null) {
        row = new RunRow(r.runId());
      }
      row.update(r, format);
      next.add(row);
    }
    if (next.equals(rows)) {
      return false; // same runs in the same order: selection and scroll untouched
    }
    rows.setAll(next);
    return true;
  }

  /** How the history writes values: local time to the minute, MAE/RMSE in W to 0.1, R² to 0.001, human durations. */
  public static final class Format {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final DateTimeFormatter EXACT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS xxx");
    private final ZoneId zone;

    Format(ZoneId zone) {
      this.zone = zone;
    }

    public String str(Object v) {
      return v == null ? "" : v.toString();
    }

    public String when(Instant t) {
      return t == null ? "" : WHEN.format(t.atZone(zone));
    }

    public String when(Date d) {
      return d == null ? "" : when(d.toInstant());
    }

    public String watts(Object v) {
      return v instanceof Number n && Double.isFinite(n.doubleValue()) ? String.format("%.1f W", n.doubleValue())
          : "";
    }

    public String number(Object v, String fmt) {
      return v instanceof Number n && Double.isFinite(n.doubleValue()) ? String.format(fmt, n.doubleValue()) : "—";
    }

    /** The full instant for a tooltip: ISO in UTC and the local time with its zone. */
    public String exact(Instant t) {
      return t == null ? "" : DateTimeFormatter.ISO_INSTANT.format(t) + " (UTC)\n"
          + EXACT.format(t.atZone(zone)) + " (" + zone.getId() + ")";
    }

    /** Human durations: "0.4 s", "1.6 s", "42 s", "2 min 5 s", "1 h 3 min". */
    public String duration(Object ms) {
      if (!(ms instanceof Number n) || !Double.isFinite(n.doubleValue()) || n.doubleValue() < 0) {
        return "";
      }
      double seconds = n.doubleValue() / 1000;
      if (seconds < 10) {
        return String.format("%.1f s", seconds);
      }
      long s = Math.round(seconds);
      if (s < 60) {
        return s + " s";
      }
      if (s < 3600) {
        return s % 60 == 0 ? s / 60 + " min" : s / 60 + " min " + s % 60 + " s";
      }
      long min = Math.round(s / 60.0);
      return min % 60 == 0 ? min / 60 + " h" : min / 60 + " h " + min % 60 + " min";
    }
  }
}
