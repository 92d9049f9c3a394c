package com.retrainconsole.ui.overview;

import com.retrainconsole.alerts.AlertService;
import com.retrainconsole.services.Services;
import com.retrainconsole.registry.ModelMeta;
import com.retrainconsole.registry.Pointer;
import com.retrainconsole.runs.RecentRuns;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.telemetry.DeviceConfig;
import com.retrainconsole.triggers.Trigger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.bson.Document;

/**
 * The overview's rows. {@link #load} reads the store (background thread); {@link #apply} merges the result
 * into the existing rows by device id on the FX thread — rows are updated, not replaced, so the table keeps
 * its selection and scroll position and does not flicker.
 */
public final class OverviewViewModel {
  /** Error values in each row's sparkline. */
  public static final int SPARKLINE_POINTS = 12;
  /** A device whose newest reading is older than this shows as stale. */
  public static final Duration STALE_AFTER = Duration.ofHours(2);
  private final ObservableList<DeviceRow> rows = FXCollections.observableArrayList();
  private final Clock clock;
  private final ZoneId zone;

  public OverviewViewModel(Clock clock, ZoneId zone) {
    this.clock = clock;
    this.zone = zone;
  }

  public ObservableList<DeviceRow> rows() {
    return rows;
  }

  /**
   * One poll's read: the rows, how many enabled triggers the shown devices have, whether any scheduler runs
   * on the store, and the fleet's median MAE of the models in service over recent runs (oldest first).
   */
  public record Loaded(List<DeviceSnapshot> devices, int enabledTriggers, boolean schedulerAlive,
      List<Double> fleetMae) {}

  /** Reads every device's model in service, last run and open alerts. Blocking: never on the FX thread. */
  public static Loaded load(Services ctx) {
    return load(ctx, ctx.devices().list());
  }

  /** {@link #load(Services)} for {@code devices} only (those of the sites the console shows). */
  public static Loaded load(Services ctx, List<DeviceConfig> devices) {
    List<DeviceSnapshot> out = new ArrayList<>();
    Map<String, Integer> alerts = new HashMap<>();
    for (Document a : ctx.alerts().list(AlertService.StatusFilter.OPEN, null, 10_000)) {
      alerts.merge(a.getString("device_id"), 1, Integer::sum);
    }
    Map<String, Instant> nextFire = new HashMap<>();
    Set<String> shown = new HashSet<>(devices.stream().map(DeviceConfig::id).toList());
    int enabledTriggers = 0;
    for (Trigger t : ctx.triggers().list(null)) {
      if (t.enabled() && shown.contains(t.deviceId())) {
        enabledTriggers++;
      }
      if (t.enabled() && t.nextFireAt() != null) {
        nextFire.merge(t.deviceId(), t.nextFireAt(), (a, b) -> a.isBefore(b) ? a : b);
      }
    }
    Map<String, RecentRuns.DeviceRuns> recent = new RecentRuns(ctx.store(), ctx.clock())
        .summarize(devices.stream().map(DeviceConfig::id).toList(), SPARKLINE_POINTS);
    for (DeviceConfig device : devices) {
      String id = device.id();
      String version = null;
      Instant created = null;
      Double mae = null;
      Optional<Pointer> pointer = ctx.registry().current(id);
      if (pointer.isPresent()) {
        version = pointer.get().version();
        try {
          ModelMeta meta = ctx.registry().meta(id, version);
          created = meta.createdAt();
          mae = meta.metrics() == null ? null : meta.metrics().mae();
        } catch (RuntimeException e) {
          // decision: a missing meta file still shows the version; the models view explains the damage
        }
      }
      RunRecord run = recent.get(id).latest();
      Instant at = run == null ? null : run.finishedAt() != null ? run.finishedAt() : run.queuedAt();
      out.add(new DeviceSnapshot(id, version, created, mae,
          run == null ? null : run.runId(),
          run == null || run.status() == null ? null : run.status().wire(),
          at,
          run == null ? null : run.triggerType(),
          alerts.getOrDefault(id, 0), nextFire.get(id), recent.get(id).recentMae(),
          // one read of the device's telemetry summary (no bucket scan)
          ctx.telemetry().newest(id).orElse(null)));
    }
    List<List<Double>> series = out.stream().map(DeviceSnapshot::recentMae).toList();
    return new Loaded(out, enabledTriggers, ctx.schedulerPresence().anyAlive(), fleetMedian(series));
  }

  /**
   * The median across devices of each device's MAE at its k-th most recent run, oldest first. decision:
   * aligned at the newest run, not by date, so a device retrained rarely still counts at the right end;
   * median, not mean, so one bad device does not hide the fleet's trend.
   */
  static List<Double> fleetMedian(List<List<Double>> perDevice) {
    int longest = perDevice.stream().mapToInt(l -> l == null ? 0 : l.size()).max().orElse(0);
    List<Double> out = new ArrayList<>();
    for (int back = longest - 1; back >= 0; back--) {
      List<Double> at = new ArrayList<>();
      for (List<Double> l : perDevice) {
        if (l != null && l.size() > back && l.get(l.size() - 1 - back) != null) {
          at.add(l.get(l.size() - 1 - back));
        }
      }
      if (!at.isEmpty()) {
        at.sort(null);
        int n = at.size();
        out.add(n % 2 == 1 ? at.get(n / 2) : (at.get(n / 2 - 1) + at.get(n / 2)) / 2);
      }
    }
    return out;
  }

  /**
   * Merges snapshots into the rows by device id: updates, appends new devices, drops removed ones. With no
   * scheduler alive a scheduled fire shows "scheduler off" rather than a countdown to a run that will not
   * happen (the banner above the table says why).
   */
  public void apply(List<DeviceSnapshot> snapshots, boolean schedulerAlive) {
    Map<String, DeviceRow> byId = new HashMap<>();
    for (DeviceRow r : rows) {
      byId.put(r.getDeviceId(), r);
    }
    Set<String> seen = new HashSet<>();
    List<DeviceRow> added = new ArrayList<>();
    for (DeviceSnapshot s : snapshots) {
      seen.add(s.deviceId());
      DeviceRow row = byId.get(s.deviceId());
      if (row == null) {
        row = new DeviceRow(s.deviceId());
        added.add(row);
      }
      update(row, s, schedulerAlive);
    }
    rows.removeIf(r -> !seen.contains(r.getDeviceId()));
    rows.addAll(added);
  }

  private void update(DeviceRow row, DeviceSnapshot s, boolean schedulerAlive) {
    // relative times move with the clock, so they are set on every poll, changed or not
    row.modelAgeProperty().set(s.modelCreatedAt() == null ? "" : age(s.modelCreatedAt()));
    row.lastRunWhenProperty().set(s.lastRunAt() == null ? "" : ago(s.lastRunAt()));
    row.nextFireProperty().set(s.nextFire() == null ? "not scheduled"
        : schedulerAlive ? until(s.nextFire()) : "scheduler off");
    boolean stale = s.newestReading() == null
        || Duration.between(s.newestReading(), clock.instant()).compareTo(STALE_AFTER) > 0;
    row.staleProperty().set(stale);
    row.freshnessProperty().set(s.newestReading() == null ? "stale · no readings"
        : stale ? "stale · " + age(s.newestReading()) + " old" : "data " + ago(s.newestReading()));
    if (s.equals(row.getSnapshot())) {
      return; // unchanged: no property events, no repaint
    }
    row.snapshotProperty().set(s);
    row.modelProperty().set(s.modelVersion() == null ? "none" : s.modelVersion());
    row.maeProperty().set(s.modelMae() == null ? "" : String.format("%.1f W", s.modelMae()));
    row.lastRunStatusProperty().set(s.lastRunStatus() == null ? "never run" : s.lastRunStatus());
    row.lastRunTriggerProperty().set(s.lastRunTrigger() == null ? "" : s.lastRunTrigger());
    row.openAlertsProperty().set(s.openAlerts());
    row.recentMaeProperty().set(s.recentMae());
  }

  String ago(Instant t) {
    String a = age(t);
    return a.equals("just now") ? a : a + " ago";
  }

  /** "in 3 h" for a coming fire; a fire already due shows as "due now" until a scheduler takes it. */
  String until(Instant t) {
    Duration d = Duration.between(clock.instant(), t);
    if (d.toMinutes() < 1) {
      return "due now";
    }
    if (d.toHours() < 1) {
      return "in " + d.toMinutes() + " min";
    }
    if (d.toDays() < 1) {
      return "in " + d.toHours() + " h";
    }
    return "in " + d.toDays() + " d";
  }

  String age(Instant t) {
    Duration d = Duration.between(t, clock.instant());
    if (d.isNegative() || d.toMinutes() < 1) {
      return "just now";
    }
    if (d.toHours() < 1) {
      return d.toMinutes() + " min";
    }
    if (d.toDays() < 1) {
      return d.toHours() + " h";
    }
    return d.toDays() + " d";
  }
}
