package com.retrainconsole.ui.triggers;

import com.retrainconsole.services.Services;
import com.retrainconsole.common.Durations;
import com.retrainconsole.common.UserException;
import com.retrainconsole.telemetry.DeviceConfig;
import com.retrainconsole.triggers.Trigger;
import com.retrainconsole.triggers.TriggerEvents;
import com.retrainconsole.triggers.TriggerPreview;
import com.retrainconsole.triggers.TriggerType;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.bson.Document;

/**
 * The Triggers view's data: the device's triggers as rows updated in place, and the pure formatting of
 * previews, evaluation events and replay results (static, so tests and background tasks can use them).
 */
public final class TriggersViewModel {
  static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm z", Locale.ROOT);
  static final DateTimeFormatter SHORT_LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT);
  static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
      .withZone(ZoneId.of("UTC"));

  private final ObservableList<TriggerRow> rows = FXCollections.observableArrayList();

  /** Appended to an enabled trigger's next fire while no scheduler runs on the store. */
  public static final String SCHEDULER_OFF = "(scheduler off — will not fire)";

  /**
   * What one background load read: the devices to pick from, the chosen device's triggers, and whether any
   * scheduler is running on the store (without one, no trigger fires).
   */
  public record Loaded(List<String> devices, String deviceId, ZoneId deviceZone, List<Trigger> triggers,
      boolean schedulerAlive) {}

  /** One upcoming fire as shown: local time in the trigger's zone, UTC, and a DST flag on change days. */
  public record PreviewRow(int n, String local, String utc, String dst, String note) {}

  /** One evaluation from {@code trigger_events}. */
  public record EventRow(String at, String slot, boolean fired, String value, String threshold, String reason,
      String runId) {}

  public ObservableList<TriggerRow> rows() {
    return rows;
  }

  /** Runs off the FX thread. {@code deviceId} null: the first device. */
  public static Loaded load(Services ctx, String deviceId) {
    return load(ctx, ctx.devices().list(), deviceId);
  }

  /** {@link #load(Services, String)} choosing among {@code devices} (those of the sites shown). */
  public static Loaded load(Services ctx, List<DeviceConfig> devices, String deviceId) {
    List<String> ids = devices.stream().map(DeviceConfig::id).toList();
    String chosen = deviceId != null && ids.contains(deviceId) ? deviceId : ids.isEmpty() ? null : ids.get(0);
    ZoneId zone = devices.stream().filter(d -> d.id().equals(chosen)).map(DeviceConfig::zone).findFirst()
        .orElse(ZoneId.of("UTC"));
    List<Trigger> triggers = chosen == null ? List.of() : ctx.triggers().list(chosen);
    return new Loaded(ids, chosen, zone, triggers, ctx.schedulerPresence().anyAlive());
  }

  /** Updates rows in place: same trigger, same row object; new ones appended, removed ones dropped. */
  public void apply(Loaded loaded) {
    Map<String, TriggerRow> existing = new HashMap<>();
    rows.forEach(r -> existing.put(r.getTriggerId(), r));
    List<TriggerRow> next = new ArrayList<>();
    for (Trigger t : loaded.triggers()) {
      TriggerRow row = existing.computeIfAbsent(t.triggerId(), TriggerRow::new);
      update(row, t, loaded.deviceZone(), loaded.schedulerAlive());
      next.add(row);
    }
    if (!next.equals(rows)) {
      rows.removeIf(r -> !next.contains(r));
      for (int i = 0; i < next.size(); i++) {
        if (i >= rows.size() || rows.get(i) != next.get(i)) {
          rows.remove(next.get(i));
          rows.add(i, next.get(i));
        }
      }
    }
  }

  private static void update(TriggerRow row, Trigger t, ZoneId deviceZone, boolean schedulerAlive) {
    ZoneId zone = zoneOf(t, deviceZone);
    row.triggerProperty().set(t);
    row.typeProperty().set(t.type().wire());
    row.summaryProperty().set(summary(t));
    row.enabledProperty().set(t.enabled());
    row.nextFireProperty().set(!t.enabled() ? "disabled" : t.nextFireAt() == null ? "-"
        : schedulerAlive ? local(t.nextFireAt(), zone)
        : local(t.nextFireAt(), zone) + "\n" + SCHEDULER_OFF); // decision: the time is still due, nothing takes it
    row.lastFiredProperty().set(t.lastFiredAt() == null ? "never" : local(t.lastFiredAt(), zone));
    row.circuitProperty().set(t.circuit().open() ? "open (" + t.circuit().consecutiveFailures() + " failures)"
        : "closed");
  }

  /** The zone a trigger's times are shown in: the cron's own zone, else the device's. */
  public static ZoneId zoneOf(Trigger t, ZoneId deviceZone) {
    return t.type() == TriggerType.CRON ? ZoneId.of(t.spec().getString("zone")) : deviceZone;
  }

  /** The spec in words, with durations as 6h rather than PT6H. */
  static String summary(Trigger t) {
    Document s = t.spec();
    return switch (t.type()) {
      case CRON -> s.getString("cron") + "  (" + s.getString("zone") + ")";
      case INTERVAL -> "every " + duration(s.getString("every")) + " from "
          + UTC.format(((java.util.Date) s.get("anchor")).toInstant());
      case NEW_DATA -> "≥ " + s.get("min_rows") + " new readings, every " + duration(s.getString("check_every"));
      case DRIFT -> "KS drift on " + String.join(", ", t.features()) + ", α " + s.get("alpha") + ", D ≥ "
          + s.get("min_effect") + ", " + s.get("persistence_m") + " of " + s.get("persistence_n") + " checks";
      case PERFORMANCE -> "MAE > promotion MAE + " + num(((Number) s.get("threshold_pct")).doubleValue()) + " % over "
          + duration(s.getString("window"));
    };
  }

  static String local(Instant at, ZoneId zone) {
    return LOCAL.format(at.atZone(zone));
  }

  /** The next {@code count} fires; a day whose offset changes is flagged "DST starts" or "DST ends". */
  public static List<PreviewRow> preview(Trigger t, ZoneId deviceZone, Instant now, int count) {
    TriggerPreview.Preview p = TriggerPreview.preview(t, deviceZone, now, count);
    ZoneId zone = ZoneId.of(p.zone());
    List<PreviewRow> out = new ArrayList<>();
    int n = 0;
    for (TriggerPreview.PreviewFire f : p.next()) {
      String dst = "";
      String note = f.dstNote() == null ? "" : f.dstNote();
      if (f.dstDay() != null) {
        // the core names the transition "DST gap ..." (clocks forward) or "DST overlap ..." (clocks back)
        dst = (f.dstDay().startsWith("DST gap") ? "DST starts " : "DST ends ")
            + f.dstDay().replaceFirst("^DST (gap|overlap) ", "").replaceFirst(" \\(.*", "").replace("->", "→");
        note = note.isEmpty() ? f.dstDay() : note;
      }
      out.add(new PreviewRow(++n, local(f.utc(), zone), UTC.format(f.utc()), dst, note));
    }
    return out;
  }

  /** Newest first, as {@link TriggerEvents#recent} returns them. */
  public static List<EventRow> events(List<Document> docs, ZoneId zone) {
    List<EventRow> out = new ArrayList<>();
    for (Document e : docs) {
      java.util.Date at = e.getDate("at");
      java.util.Date slot = e.getDate("scheduled_for");
      out.add(new EventRow(at == null ? "" : SHORT_LOCAL.format(at.toInstant().atZone(zone)),
          slot == null ? "" : local(slot.toInstant(), zone),
          Boolean.TRUE.equals(e.getBoolean("fired")), num(e.get("value")), num(e.get("threshold")),
          e.getString("reason") == null ? "" : e.getString("reason"), e.getString("run_id") == null ? "" : e.getString("run_id")));
    }
    return out;
  }

  static String num(Object v) {
    if (!(v instanceof Number n)) {
      return "";
    }
    double d = n.doubleValue();
    if (d == Math.rint(d) && Math.abs(d) < 1e12) {
      return String.valueOf((long) d);
    }
    return String.format(Locale.ROOT, "%.4g", d);
  }

  /** "6h", "30m", "1d", "1h30m" for a duration; ISO text is accepted too. */
  static String duration(String iso) {
    return iso == null ? "" : duration(Duration.parse(iso));
  }

  static String duration(Duration d) {
    if (d.isZero()) {
      return "0m";
    }
    if (d.toSeconds() % 86_400 == 0) {
      return d.toDays() + "d";
    }
    StringBuilder b = new StringBuilder();
    if (d.toHours() > 0) {
      b.append(d.toHours()).append('h');
    }
    if (d.toMinutesPart() > 0) {
      b.append(d.toMinutesPart()).append('m');
    }
    if (d.toSecondsPart() > 0) {
      b.append(d.toSecondsPart()).append('s');
    }
    return b.toString();
  }

  /** Parses 90s, 30m, 6h, 2d or ISO-8601 (PT6H); IllegalArgumentException with a message in words. */
  static Duration parseDuration(String text) {
    try {
      return Durations.parse(text);
    } catch (UserException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

}
