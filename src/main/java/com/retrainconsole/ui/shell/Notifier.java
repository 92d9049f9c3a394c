package com.retrainconsole.ui.shell;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.retrainconsole.audit.PointerMove;
import com.retrainconsole.runs.RunCodec;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;
import javafx.stage.Window;
import javafx.util.Duration;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.controlsfx.control.Notifications;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Desktop notifications for what happens while the console is open: finished runs (completed, failed,
 * cancelled), pointer moves (promotions, rollbacks) and new alerts, by whoever caused them (this console,
 * the scheduler, the CLI). Polls the store every {@link #INTERVAL_MS} ms on its own daemon thread for
 * records newer than the last seen, starting at the moment the console started; shows one popup per event,
 * or one summary per kind when more than {@link #GROUP_OVER} arrive in one poll ("12 runs finished").
 * decision: reads model_runs, audit and alerts directly (read-only, three small range queries) because no
 * core service answers "what finished since t"; a failed poll is skipped silently (the store banner
 * already says the store is down) and retried with the same watermarks, so nothing is lost.
 */
public final class Notifier implements AutoCloseable {
  public static final long INTERVAL_MS = 5_000;
  static final int GROUP_OVER = 3;
  static final int BATCH = 500;
  static final int KEEP_SHOWN = 50;
  /** Style class of the console's popups (css/console.css: theme colours). */
  static final String TOAST = "rc-toast";
  /** The longest line of a popup, and what the popup adds around its text (icon, close button, padding). */
  static final double MAX_LINE = 380;
  static final double CHROME = 190;
  static final double TOAST_FONT_PX = 18;

  private static final Logger log = LoggerFactory.getLogger("console");

  /** One thing worth telling: {@code runId} is set for runs and alerts linked to one run. */
  public record Event(Kind kind, String deviceId, String title, String text, String runId, boolean bad) {
    @Override
    public String toString() {
      return title + " — " + text;
    }
  }

  public enum Kind { RUN, POINTER, ALERT }

  private final Store store;
  private final Supplier<Window> owner;
  private final BooleanSupplier enabled;
  private final BooleanSupplier dark;
  private final Consumer<Event> onClick;
  private final ObservableList<String> shown = FXCollections.observableArrayList();
  private final Watermark runs;
  private final Watermark moves;
  private final Watermark alerts;
  private final ScheduledExecutorService timer;
  private final java.util.concurrent.atomic.AtomicLong polls = new java.util.concurrent.atomic.AtomicLong();
  private volatile Predicate<String> shownDevice = deviceId -> true;

  /**
   * @param since only records after this moment are told (the console's start)
   * @param owner the window the popups belong to (null: the screen)
   * @param enabled read before each show; when false, events are still consumed but not shown
   * @param onClick what a click on a single-event popup does (e.g. open the run)
   */
  public Notifier(Store store, Instant since, Supplier<Window> owner, BooleanSupplier enabled,
      BooleanSupplier dark, Consumer<Event> onClick) {
    this.store = store;
    this.owner = owner;
    this.enabled = enabled;
    this.dark = dark;
    this.onClick = onClick;
    this.runs = new Watermark(since);
    this.moves = new Watermark(since);
    this.alerts = new Watermark(since);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "console-notifier");
      t.setDaemon(true);
      return t;
    });
  }

  public Notifier start() {
    timer.scheduleWithFixedDelay(this::pollQuietly, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * Tells only about these devices (called on the notifier's thread, may read the store); {@code null} is
   * something about no device. Events about other devices are consumed unseen.
   */
  public Notifier showOnly(Predicate<String> deviceShown) {
    this.shownDevice = deviceShown;
    return this;
  }

  /** Texts of the popups shown so far, newest last (FX thread; the last {@link #KEEP_SHOWN}). */
  public ObservableList<String> shown() {
    return shown;
  }

  /** Polls that read the store without error so far (tests wait on this instead of sleeping). */
  public long polls() {
    return polls.get();
  }

  private void pollQuietly() {
    try {
      List<Event> events = new ArrayList<>(poll());
      Predicate<String> shown = shownDevice;
      events.removeIf(e -> !shown.test(e.deviceId()));
      polls.incrementAndGet();
      if (!events.isEmpty()) {
        Platform.runLater(() -> show(events));
      }
    } catch (RuntimeException e) {
      log.debug("notification poll failed: {}", e.toString());
    }
  }

  /** Reads what happened since the last poll; moves the watermarks only past what it returns. */
  List<Event> poll() {
    List<Document> finished = runs.fetch(store.collection(Collections.MODEL_RUNS), "finished_at", "run_id",
        Filters.in(RunCodec.STATUS, RunStatus.COMPLETED.wire(), RunStatus.FAILED.wire(), RunStatus.CANCELLED.wire()));
    List<Document> moved = moves.fetch(store.collection(Collections.AUDIT), "at", "_id",
        Filters.in("action", PointerMove.PROMOTE, PointerMove.ROLLBACK));
    List<Document> raised = alerts.fetch(store.collection(Collections.ALERTS), "first_seen", "alert_id", null);
    // all three read: only now move the marks, so a poll that failed half-way is repeated whole
    runs.commit();
    moves.commit();
    alerts.commit();

    List<Event> events = new ArrayList<>();
    Set<String> promotedByRun = new HashSet<>();
    for (Document d : finished) {
      RunRecord run = RunCodec.read(d);
      events.add(runEvent(run));
      if (run.promoted() && run.model() != null) {
        promotedByRun.add(run.deviceId() + "/" + run.modelVersion());
      }
    }
    for (Document move : moved) {
      // a retrain that promoted is already told by its run ("promoted"); one popup for one thing
      if (PointerMove.PROMOTE.equals(move.getString("action"))
          && promotedByRun.contains(move.getString("device_id") + "/" + move.getString("to_version"))) {
        continue;
      }
      events.add(moveEvent(move));
    }
    for (Document alert : raised) {
      events.add(new Event(Kind.ALERT, alert.getString("device_id"),
          "Alert · " + nz(alert.getString("device_id"), "all devices"),
          clip(nz(alert.getString("message"), alert.getString("type")), 140), firstRunId(alert), true));
    }
    return events;
  }

  /** The notification for a finished run record. */
  public static Event runEvent(RunRecord run) {
    String device = run.deviceId();
    RunStatus st = run.status();
    String status = st == null ? "finished" : st.wire();
    String version = run.modelVersion();
    StringBuilder text = new StringBuilder();
    if (version != null) {
      text.append("Version ").append(version);
    }
    if (st == RunStatus.COMPLETED && run.decision() != null) {
      text.append(text.length() > 0 ? " · " : "").append(run.promoted() ? "promoted" : "not promoted");
      String reason = run.decision().reason();
      if (reason != null && !reason.isBlank()) {
        text.append(": ").append(reason);
      }
    } else if (st == RunStatus.FAILED) {
      text.append(text.length() > 0 ? " · " : "").append(nz(run.error(), "no reason recorded"));
    } else if (st == RunStatus.CANCELLED) {
      text.append(text.length() > 0 ? " · " : "").append("stopped before it finished; no model was written");
    }
    return new Event(Kind.RUN, device, "Run " + status + " · " + device, clip(text.toString(), 160),
        run.runId(), st != RunStatus.COMPLETED);
  }

  static Event moveEvent(Document move) {
    String device = move.getString("device_id");
    boolean rollback = PointerMove.ROLLBACK.equals(move.getString("action"));
    String from = move.getString("from_version");
    String text = (rollback ? "Back to " : "Now in service: ") + move.getString("to_version")
        + (from == null ? "" : " (was " + from + ")")
        + (move.getString("actor") == null ? "" : " by " + move.getString("actor"))
        + (move.getString("reason") == null || move.getString("reason").isBlank() ? ""
            : ": " + move.getString("reason"));
    return new Event(Kind.POINTER, device, (rollback ? "Rolled back · " : "Promoted · ") + device,
        clip(text, 160), null, rollback);
  }

  /** Shows one notification now, as a poll would (FX thread; nothing when notifications are off). */
  public void showNow(Event event) {
    show(List.of(event));
  }

  /** Runs on the FX thread. */
  private void show(List<Event> events) {
    if (enabled.getAsBoolean()) {
      toShow(events).forEach(this::popup);
    }
  }

  /** One notification per event, or one summary per kind when more than {@link #GROUP_OVER} came at once. */
  public static List<Event> toShow(List<Event> events) {
    Map<Kind, List<Event>> byKind = events.stream()
        .collect(Collectors.groupingBy(Event::kind, LinkedHashMap::new, Collectors.toList()));
    List<Event> out = new ArrayList<>();
    byKind.forEach((kind, list) -> {
      if (list.size() > GROUP_OVER) {
        out.add(summary(kind, list));
      } else {
        out.addAll(list);
      }
    });
    return out;
  }

  static Event summary(Kind kind, List<Event> list) {
    String title = switch (kind) {
      case RUN -> list.size() + " runs finished";
      case POINTER -> list.size() + " models re-pointed";
      case ALERT -> list.size() + " new alerts";
    };
    // e.g. "9 completed, 2 failed, 1 cancelled" or "tracker01, tracker02 and 3 more"
    String text = kind == Kind.RUN
        ? list.stream().collect(Collectors.groupingBy(e -> e.title().substring(4, e.title().indexOf(" · ")),
            LinkedHashMap::new, Collectors.counting())).entrySet().stream()
            .map(en -> en.getValue() + " " + en.getKey()).collect(Collectors.joining(", "))
        : devicesText(list);
    boolean bad = list.stream().anyMatch(Event::bad);
    return new Event(kind, null, title, text + ". See " + (kind == Kind.ALERT ? "Alerts" : "Runs") + ".", null, bad);
  }

  private static String devicesText(List<Event> list) {
    List<String> devices = list.stream().map(Event::deviceId).filter(d -> d != null).distinct().toList();
    return devices.size() <= 3 ? String.join(", ", devices)
        : String.join(", ", devices.subList(0, 3)) + " and " + (devices.size() - 3) + " more";
  }

  private void popup(Event e) {
    shown.add(e.toString());
    if (shown.size() > KEEP_SHOWN) {
      shown.remove(0);
    }
    log.info("notification: {}", e);
    try {
      Window w = owner.get();
      boolean owned = w != null && w.isShowing();
      // the popup is as wide as its longest line and anchored to the window's right edge: a long line
      // would push it past the window's left edge, so lines are broken to fit the window
      double lineWidth = Math.min(MAX_LINE, (owned ? w.getWidth() : 1024) - CHROME);
      Notifications n = Notifications.create().title(wrap(e.title(), lineWidth, true))
          .text(wrap(e.text(), lineWidth, false)).styleClass(TOAST)
          .position(Pos.BOTTOM_RIGHT).hideAfter(Duration.seconds(8));
      if (owned) {
        n.owner(w);
      }
      if (dark.getAsBoolean()) {
        n.darkStyle();
      }
      if (e.runId() != null || e.kind() == Kind.ALERT && e.deviceId() != null) {
        n.onAction(a -> onClick.accept(e)); // a summary has no single target
      }
      if (e.bad()) {
        n.showWarning();
      } else {
        n.showInformation();
      }
    } catch (RuntimeException ex) {
      // a popup the toolkit cannot place must not stop the feed; the text is recorded above
      log.debug("notification popup failed: {}", ex.toString());
    }
  }

  /**
   * {@code text} with line breaks so no line is wider than {@code width} px in the popup's font (15 px
   * × ControlsFX's 1.17 em), breaking between words (inside a word only when the word alone is too wide).
   */
  static String wrap(String text, double width, boolean bold) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    Font font = Font.font(null, bold ? FontWeight.BOLD : FontWeight.NORMAL, TOAST_FONT_PX);
    StringBuilder out = new StringBuilder();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      String candidate = line.length() == 0 ? word : line + " " + word;
      if (width(candidate, font) <= width) {
        line.setLength(0);
        line.append(candidate);
        continue;
      }
      if (line.length() > 0) {
        out.append(line).append('\n');
        line.setLength(0);
      }
      // a single word wider than a line: cut it where it fills the line
      String rest = word;
      while (width(rest, font) > width && rest.length() > 1) {
        int cut = rest.length() - 1;
        while (cut > 1 && width(rest.substring(0, cut), font) > width) {
          cut--;
        }
        out.append(rest, 0, cut).append('\n');
        rest = rest.substring(cut);
      }
      line.append(rest);
    }
    return out.append(line).toString();
  }

  private static double width(String s, Font font) {
    Text t = new Text(s);
    t.setFont(font);
    return t.getLayoutBounds().getWidth();
  }

  private static String firstRunId(Document alert) {
    List<?> ids = alert.getList("run_ids", Object.class);
    return ids == null || ids.isEmpty() ? null : String.valueOf(ids.get(ids.size() - 1));
  }

  private static String nz(String s, String fallback) {
    return s == null || s.isBlank() ? fallback : s;
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  /**
   * "Newer than the last seen" on a time field: documents at or after {@code at}, minus the keys already
   * returned at exactly {@code at} (several records can share a millisecond).
   */
  private static final class Watermark {
    private Date at;
    private Set<Object> keysAtMark = new HashSet<>();
    private Date pendingAt;
    private Set<Object> pendingKeys;

    Watermark(Instant since) {
      this.at = Date.from(since);
    }

    List<Document> fetch(MongoCollection<Document> collection, String field, String key, Bson extra) {
      Bson range = Filters.gte(field, at);
      Bson filter = extra == null ? range : Filters.and(range, extra);
      List<Document> found = collection.find(filter).sort(Sorts.ascending(field)).limit(BATCH)
          .into(new ArrayList<>());
      List<Document> fresh = new ArrayList<>();
      Date mark = at;
      Set<Object> keys = new HashSet<>(keysAtMark);
      for (Document d : found) {
        Date when = d.getDate(field);
        Object id = d.get(key);
        if (when == null || when.equals(at) && keysAtMark.contains(id)) {
          continue;
        }
        if (when.after(mark)) {
          mark = when;
          keys.clear();
        }
        keys.add(id);
        fresh.add(d);
      }
      pendingAt = mark;
      pendingKeys = keys;
      return fresh;
    }

    void commit() {
      if (pendingAt != null) {
        at = pendingAt;
        keysAtMark = pendingKeys;
        pendingAt = null;
        pendingKeys = null;
      }
    }
  }
}
