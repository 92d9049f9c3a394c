package com.retrainconsole.ui.alerts;

import com.retrainconsole.alerts.AlertService.StatusFilter;
import com.retrainconsole.services.Services;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.bson.Document;

/**
 * The alerts table. {@link #load} reads the store (background thread); {@link #apply} merges by alert id on
 * the FX thread (rows updated, not replaced) and keeps the store's order (newest activity first).
 */
public final class AlertsViewModel {
  public static final int LIMIT = 500;
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
  private final ObservableList<AlertRow> rows = FXCollections.observableArrayList();
  private final ZoneId zone;

  public AlertsViewModel(ZoneId zone) {
    this.zone = zone;
  }

  public ObservableList<AlertRow> rows() {
    return rows;
  }

  /** What the filters ask for; {@code deviceId} null for all devices. */
  public record Query(StatusFilter status, String deviceId) {}

  public static List<Document> load(Services ctx, Query q) {
    return ctx.alerts().list(q.status(), q.deviceId(), LIMIT);
  }

  /** {@link #load(Services, Query)} within the devices of the sites shown (null: every device). */
  public static List<Document> load(Services ctx, Query q, Set<String> devicesIn) {
    return ctx.alerts().list(q.status(), q.deviceId(), devicesIn, LIMIT);
  }

  /** Merges a fresh read: updates rows by alert id, adds new ones, drops those no longer listed. */
  public void apply(List<Document> docs) {
    Map<String, AlertRow> byId = new HashMap<>();
    rows.forEach(r -> byId.put(r.getAlertId(), r));
    List<AlertRow> ordered = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Document d : docs) {
      String id = d.getString("alert_id");
      if (id == null || !seen.add(id)) {
        continue;
      }
      AlertRow row = byId.computeIfAbsent(id, AlertRow::new);
      update(row, d);
      ordered.add(row);
    }
    if (!ordered.equals(rows)) {
      // decision: only reorder when the order changed; removeIf + add keeps the selected row object
      rows.removeIf(r -> !seen.contains(r.getAlertId()));
      if (!ordered.equals(rows)) {
        rows.setAll(ordered);
      }
    }
  }

  private void update(AlertRow row, Document d) {
    if (d.equals(row.getDoc())) {
      return;
    }
    row.docProperty().set(d);
    row.typeProperty().set(str(d.getString("type")));
    row.deviceProperty().set(str(d.getString("device_id")));
    row.raisedProperty().set(when(d.getDate("first_seen")));
    row.lastSeenProperty().set(when(d.getDate("last_seen")));
    Number count = d.get("count", Number.class);
    row.countProperty().set(count == null ? 1 : count.intValue());
    row.messageProperty().set(str(d.getString("message")));
    row.statusProperty().set(str(d.getString("status")));
  }

  public String when(Date d) {
    return d == null ? "" : WHEN.format(d.toInstant().atZone(zone));
  }

  /** The runs behind an alert: its {@code run_ids}, plus any run id in its details. */
  public static List<String> runIds(Document alert) {
    Set<String> ids = new LinkedHashSet<>();
    if (alert.get("run_ids") instanceof Collection<?> c) {
      c.forEach(o -> ids.add(String.valueOf(o)));
    }
    Document details = alert.get("details", Document.class);
    if (details != null) {
      if (details.get("run_id") instanceof String s) {
        ids.add(s);
      }
      if (details.get("run_ids") instanceof Collection<?> c) {
        c.forEach(o -> ids.add(String.valueOf(o)));
      }
    }
    ids.remove("null");
    return new ArrayList<>(ids);
  }

  /** A details value as text: numbers rounded, lists joined, dates in local time. */
  public String value(Object v) {
    if (v == null) {
      return "–";
    }
    if (v instanceof Double x) {
      return Double.isNaN(x) ? "NaN" : String.format(java.util.Locale.ROOT, Math.abs(x) >= 100 ? "%.1f" : "%.4g", x);
    }
    if (v instanceof Date d) {
      return when(d);
    }
    if (v instanceof Collection<?> c) {
      List<String> parts = new ArrayList<>();
      c.forEach(o -> parts.add(value(o)));
      return String.join(", ", parts);
    }
    if (v instanceof Document doc) {
      List<String> parts = new ArrayList<>();
      doc.forEach((k, o) -> parts.add(k + " " + value(o)));
      return String.join(", ", parts);
    }
    return v.toString();
  }

  private static String str(String s) {
    return s == null ? "" : s;
  }
}
