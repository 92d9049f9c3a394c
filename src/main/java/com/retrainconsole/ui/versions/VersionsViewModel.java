package com.retrainconsole.ui.versions;

import com.retrainconsole.services.Services;
import com.retrainconsole.audit.PointerMove;
import com.retrainconsole.registry.MetricsDoc;
import com.retrainconsole.registry.ModelMeta;
import com.retrainconsole.registry.ModelRegistry.FileCheck;
import com.retrainconsole.registry.Pointer;
import com.retrainconsole.registry.Stage;
import com.retrainconsole.runs.RunRecord;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads one device's versions, pointer and pointer ledger ({@link #load}, background thread) and formats
 * them for the Versions view. No JavaFX here: the formatting is plain functions the tests can call too.
 */
public final class VersionsViewModel {
  public static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
  /** What the "in service at" field accepts (local time); shown in its prompt and in parse errors. */
  public static final String AT_FORMAT = "yyyy-MM-dd HH:mm[:ss[.SSS]]";
  private static final DateTimeFormatter AT_PARSER = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd")
      .optionalStart().appendLiteral('T').optionalEnd()
      .optionalStart().appendLiteral(' ').optionalEnd()
      .appendPattern("HH:mm")
      .optionalStart().appendPattern(":ss")
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
      .optionalEnd()
      .toFormatter(Locale.ROOT);

  /** Everything the view shows for one device, read at once. */
  public record Snapshot(String deviceId, Pointer pointer, List<VersionItem> versions, List<PointerMove> ledger) {
    public Optional<VersionItem> find(String version) {
      return versions.stream().filter(v -> v.version().equals(version)).findFirst();
    }
  }

  private VersionsViewModel() {}

  /**
   * Versions newest first, each file checked against its sha256, and the ledger newest first. Blocking:
   * reads every model file, never on the FX thread.
   */
  public static Snapshot load(Services ctx, String deviceId) {
    Pointer pointer = ctx.registry().current(deviceId).orElse(null);
    List<VersionItem> items = new ArrayList<>();
    List<ModelMeta> metas = ctx.registry().list(deviceId);
    // the runs of every candidate in one query: refused retrains leave many candidates behind
    Map<String, RunRecord> runs = ctx.runs().findRecords(metas.stream()
        .filter(m -> m.stage() == Stage.CANDIDATE && m.runId() != null).map(ModelMeta::runId).toList());
    for (ModelMeta m : metas) {
      FileCheck file = ctx.registry().checkFile(deviceId, m.version(), m.sha256());
      boolean inService = pointer != null && pointer.version().equals(m.version());
      boolean previous = pointer != null && m.version().equals(pointer.previousVersion());
      items.add(new VersionItem(m, file, inService, previous, rejection(m, runs.get(m.runId()))));
    }
    List<PointerMove> ledger = new ArrayList<>(ctx.audit().history(deviceId));
    Collections.reverse(ledger);
    return new Snapshot(deviceId, pointer, List.copyOf(items), List.copyOf(ledger));
  }

  /**
   * Why the run that saved {@code m} did not promote it, or null. decision: derived from the run record's
   * decision rather than stored as a stage, so versions saved before this view knew about rejections show it
   * too; only a version still a candidate counts (one promoted or staged by hand since has moved on). A run
   * deleted from history leaves its version a plain candidate.
   */
  static String rejection(ModelMeta m, RunRecord run) {
    if (m.stage() != Stage.CANDIDATE || run == null) {
      return null;
    }
    RunRecord.Decision d = run.decision();
    if (d == null || d.isPromoted() || d.promoted() == null) {
      return null;
    }
    return d.reason() == null || d.reason().isBlank() ? "not promoted by its run" : d.reason();
  }

  /** The stage as the table shows it: "rejected" for a candidate its run's promotion rule turned down. */
  public static String stageName(VersionItem v) {
    if (v.rejected()) {
      return "rejected";
    }
    return v.meta().stage() == null ? "" : v.meta().stage().json();
  }

  /** Tags as a comma list for the table ("winter, baseline"). */
  public static String tags(ModelMeta m) {
    return String.join(", ", m.tags());
  }

  /** Label, tags and note in full, for a tooltip. */
  public static String notesDetail(ModelMeta m) {
    StringBuilder b = new StringBuilder();
    if (m.label() != null) {
      b.append(m.label());
    }
    if (!m.tags().isEmpty()) {
      b.append(b.length() > 0 ? "\n" : "").append("Tags: ").append(tags(m));
    }
    if (m.note() != null) {
      b.append(b.length() > 0 ? "\n\n" : "").append(m.note());
    }
    return b.toString();
  }

  /** Parses the local date-time of the lookup field; the message names the expected format. */
  public static Instant parseLocal(String text, ZoneId zone) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("Enter a local date and time as " + AT_FORMAT + ", e.g. "
          + LocalDateTime.now(zone).withNano(0).format(WHEN));
    }
    try {
      return LocalDateTime.parse(text.trim(), AT_PARSER).atZone(zone).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + text.trim() + "' is not a local date and time; expected "
          + AT_FORMAT + ", e.g. 2026-11-22 14:30");
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("'" + text.trim() + "': " + e.getMessage());
    }
  }

  public static String when(Instant t, ZoneId zone) {
    return t == null ? "" : WHEN.format(t.atZone(zone));
  }

  public static String minute(Instant t, ZoneId zone) {
    return t == null ? "" : MINUTE.format(t.atZone(zone));
  }

  public static String watts(Double v) {
    return v == null || v.isNaN() ? "–" : String.format(Locale.ROOT, "%.1f W", v);
  }

  public static String mae(MetricsDoc m) {
    return m == null ? "–" : watts(m.mae());
  }

  public static String rmse(MetricsDoc m) {
    return m == null ? "–" : watts(m.rmse());
  }

  public static String r2(MetricsDoc m) {
    return m == null || Double.isNaN(m.r2()) ? "–" : String.format(Locale.ROOT, "%.3f", m.r2());
  }

  /**
   * The champion comparison recorded at training: candidate MAE against the champion's on the same holdout,
   * e.g. "−4.1 % vs 12.3 W (model)". Negative is better.
   */
  public static String versusChampion(ModelMeta m) {
    if (m.metrics() == null || m.championMetrics() == null) {
      return "no champion";
    }
    double mine = m.metrics().mae();
    double theirs = m.championMetrics().mae();
    String who = ModelMeta.CHAMPION_NAIVE.equals(m.championSource()) ? "naive" : "model";
    if (!(theirs > 0) || Double.isNaN(mine)) {
      return "vs " + watts(theirs) + " (" + who + ")";
    }
    double pct = (mine - theirs) / theirs * 100;
    return String.format(Locale.ROOT, "%s%.1f %% vs %s (%s)", pct < 0 ? "−" : "+", Math.abs(pct), watts(theirs), who);
  }

  /** What the version was scored against at training: "model" (the one in service) or "naive". */
  public static String championKind(ModelMeta m) {
    if (m.championMetrics() == null) {
      return "none";
    }
    return ModelMeta.CHAMPION_NAIVE.equals(m.championSource()) ? "naive" : "model";
  }

  /** Relative MAE change against the champion, "−4.1 %" (negative is better). */
  public static String deltaMae(ModelMeta m) {
    if (m.metrics() == null || m.championMetrics() == null || !(m.championMetrics().mae() > 0)
        || Double.isNaN(m.metrics().mae())) {
      return "–";
    }
    double pct = (m.metrics().mae() - m.championMetrics().mae()) / m.championMetrics().mae() * 100;
    return String.format(Locale.ROOT, "%s%.1f %%", pct < 0 ? "−" : "+", Math.abs(pct));
  }

  /** The full comparison for a tooltip or the dialog. */
  public static String championDetail(ModelMeta m) {
    if (m.championMetrics() == null) {
      return "No champion was scored when this version was trained.";
    }
    String who = ModelMeta.CHAMPION_NAIVE.equals(m.championSource())
        ? "the naive baseline (same time yesterday)"
        : "version " + m.championVersion();
    int n = m.metrics() == null ? 0 : m.metrics().n();
    return "Scored against " + who + " on the same " + n + " holdout rows:\n"
        + "  this version  MAE " + mae(m.metrics()) + "   RMSE " + rmse(m.metrics()) + "   R² " + r2(m.metrics()) + "\n"
        + "  champion      MAE " + mae(m.championMetrics()) + "   RMSE " + rmse(m.championMetrics()) + "   R² "
        + r2(m.championMetrics());
  }

  public static String fileStatus(FileCheck check) {
    return switch (check) {
      case VERIFIED -> "verified";
      case MISMATCH -> "sha256 mismatch";
      case MISSING -> "file missing";
      case UNREADABLE -> "unreadable";
    };
  }

  public static String stage(VersionItem v) {
    String s = stageName(v);
    return v.inService() ? s + " · in service" : v.previous() ? s + " · previous" : s;
  }
}
