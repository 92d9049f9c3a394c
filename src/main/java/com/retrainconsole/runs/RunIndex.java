package com.retrainconsole.runs;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.bson.Document;

/**
 * The run history's table fields held in memory, so filtering, sorting and paging 100k runs costs
 * milliseconds instead of a scan and a server-side sort per click. decision: the embedded server has no
 * secondary indexes; every query scans, and sorting by a number took 20 s for 100k runs in memory and
 * minutes on the H2 file (RunsViewBench). This reads the collection once, then {@link #refresh} re-reads
 * only what can have changed. About 1 KB per run (99 MB for 100k, RunsViewUiBench).
 */
public final class RunIndex {
  /** A run as the table shows it. */
  record Entry(String runId, String deviceId, RunStatus status, String triggerType, String triggerReason,
      Long queuedAt, Long startedAt, Long finishedAt, Long durationMs, Integer attempt, String retryOf,
      RunRecord.Progress progress, Double mae, Double rmse, Double r2, Double championMae, Boolean promoted,
      String modelVersion, String error, boolean dryRun) {

    static Entry of(Document d) {
      RunRecord r = RunCodec.read(d);
      RunRecord.Trigger t = r.trigger();
      String error = r.error();
      return new Entry(r.runId(), intern(r.deviceId()), r.status(),
          t == null ? null : intern(t.type()), t == null ? null : t.reason(),
          millis(r.queuedAt()), millis(r.startedAt()), millis(r.finishedAt()), r.durationMs(),
          r.attempt(), r.retryOf(), r.progress(), r.mae(), metric(r, MetricCondition.Metric.RMSE),
          metric(r, MetricCondition.Metric.R2), r.championMae(),
          r.decision() == null ? null : r.decision().promoted(), r.modelVersion(),
          // the table shows one line of the error; the detail pane reads the whole record
          error == null || error.length() <= 300 ? error : error.substring(0, 300) + "…", r.dryRun());
    }

    private static Double metric(RunRecord r, MetricCondition.Metric m) {
      return m.of(r.metrics());
    }

    Double metric(MetricCondition.Metric m) {
      return switch (m) {
        case MAE -> mae;
        case RMSE -> rmse;
        case R2 -> r2;
      };
    }

    /** The same shape as a {@link RunRepository#TABLE_FIELDS} projection, for the rows of one page. */
    RunRecord toRecord() {
      Document d = new Document(RunCodec.RUN_ID, runId).append(RunCodec.DEVICE_ID, deviceId)
          .append(RunCodec.STATUS, status == null ? null : status.wire());
      if (triggerType != null || triggerReason != null) {
        d.append(RunCodec.TRIGGER, new Document("type", triggerType).append("reason", triggerReason));
      }
      putDate(d, RunCodec.QUEUED_AT, queuedAt);
      putDate(d, RunCodec.STARTED_AT, startedAt);
      putDate(d, RunCodec.FINISHED_AT, finishedAt);
      putIf(d, RunCodec.DURATION_MS, durationMs);
      putIf(d, RunCodec.ATTEMPT, attempt);
      putIf(d, RunCodec.RETRY_OF, retryOf);
      putIf(d, RunCodec.PROGRESS, RunCodec.progress(progress));
      if (mae != null || rmse != null || r2 != null) {
        Document m = new Document();
        putIf(m, "mae", mae);
        putIf(m, "rmse", rmse);
        putIf(m, "r2", r2);
        d.append(RunCodec.METRICS, m);
      }
      if (dryRun) {
        d.append(RunCodec.PARAMS, new Document("dry_run", true));
      }
      if (championMae != null) {
        d.append(RunCodec.CHAMPION_METRICS, new Document("mae", championMae));
      }
      if (promoted != null) {
        d.append(RunCodec.DECISION, new Document("promoted", promoted));
      }
      if (modelVersion != null) {
        d.append(RunCodec.MODEL, new Document("version", modelVersion));
      }
      putIf(d, RunCodec.ERROR, error);
      return RunCodec.read(d);
    }

    boolean isFinal() {
      return status != null && status.isFinal();
    }

    boolean matches(RunFilter f) {
      return (f.deviceId() == null || f.deviceId().equals(deviceId))
          && (f.devicesIn() == null || f.devicesIn().contains(deviceId))
          && (f.status() == null || f.status() == status)
          && (f.triggerType() == null || f.triggerType().equals(triggerType))
          && (f.from() == null || queuedAt != null && queuedAt >= f.from().toEpochMilli())
          && (f.to() == null || queuedAt != null && queuedAt < f.to().toEpochMilli())
          && (f.promoted() == null || f.promoted() == Boolean.TRUE.equals(promoted))
          && RunFilter.textIn(f.text(), runId, deviceId, error, triggerType, triggerReason)
          && metricsMatch(f.metrics());
    }

    private boolean metricsMatch(List<MetricCondition> conditions) {
      for (MetricCondition c : conditions) {
        if (!c.matches(metric(c.metric()))) {
          return false;
        }
      }
      return true;
    }
  }

  private static final Map<String, String> INTERNED = new java.util.concurrent.ConcurrentHashMap<>();
  // unfinished runs move; runs queued this close to the newest may still be arriving from another clock
  private static final long SKEW_MS = 60_000;

  /** How often a refresh scans for what the count cannot show. */
  static final java.time.Duration FULL_PASS = java.time.Duration.ofMinutes(5);

  private final MongoCollection<Document> runs;
  private long lastScanNanos;
  private final Map<String, Entry> entries = new HashMap<>();
  private List<Entry> sorted;
  private RunFilter sortedFilter;
  private RunSort sortedBy;
  private volatile boolean loaded;
  private long fullReads;

  public RunIndex(Store store) {
    this.runs = store.collection(Collections.MODEL_RUNS);
  }

  /**
   * Reads what changed since the last refresh (everything the first time). Blocking. decision: a refresh
   * must not scan: on the H2 file a scan of 100k runs costs ~4 s of CPU, every 5-second poll. Unfinished
   * runs are re-read by {@code run_id} (the unique index answers {@code $in} without a scan); new runs are
   * looked for only when the collection's count moved; every {@link #FULL_PASS} a scan from the watermark
   * catches what a count cannot see (a delete and an insert between two polls), and a count that still
   * disagrees starts over.
   */
  public synchronized void refresh() {
    if (!loaded) {
      readAll();
      return;
    }
    boolean changed = false;
    List<String> open = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (!e.isFinal()) {
        open.add(e.runId());
      }
    }
    if (!open.isEmpty()) {
      for (Document d : runs.find(Filters.in(RunCodec.RUN_ID, open)).projection(RunRepository.TABLE_FIELDS)) {
        Entry e = Entry.of(d);
        changed |= !e.equals(entries.put(e.runId(), e));
      }
    }
    long count = runs.estimatedDocumentCount();
    boolean fullPassDue = System.nanoTime() - lastScanNanos > FULL_PASS.toNanos();
    if (count != entries.size() || fullPassDue) {
      changed |= scanFromWatermark();
      if (runs.estimatedDocumentCount() != entries.size()) {
        readAll(); // a run was deleted, or inserted with an old queued_at (an import): start over
        return;
      }
    }
    if (changed) {
      sorted = null;
    }
  }

  /** Reads every run queued since the newest known one (less a clock skew). */
  private boolean scanFromWatermark() {
    long newest = Long.MIN_VALUE;
    for (Entry e : entries.values()) {
      if (e.queuedAt() != null) {
        newest = Math.max(newest, e.queuedAt());
      }
    }
    long since = newest == Long.MIN_VALUE ? 0 : newest - SKEW_MS;
    boolean changed = false;
    for (Document d : runs.find(Filters.gte(RunCodec.QUEUED_AT, new Date(since))).projection(RunRepository.TABLE_FIELDS)) {
      Entry e = Entry.of(d);
      changed |= !e.equals(entries.put(e.runId(), e));
    }
    lastScanNanos = System.nanoTime();
    return changed;
  }

  private void readAll() {
    entries.clear();
    for (Document d : runs.find().projection(RunRepository.TABLE_FIELDS)) {
      Entry e = Entry.of(d);
      entries.put(e.runId(), e);
    }
    loaded = true;
    fullReads++;
    lastScanNanos = System.nanoTime();
    sorted = null;
  }

  /** True once the first full read is done; until then the history pages straight from the store. */
  public boolean loaded() {
    return loaded;
  }

  /** Full reads of the collection so far (the first load and every start-over). */
  public synchronized long fullReads() {
    return fullReads;
  }

  /** A page in {@code sort} order with the total; {@code offset} is clamped to the last page. */
  public synchronized RunPage query(RunFilter filter, RunSort sort, int offset, int limit) {
    if (!loaded) {
      readAll();
    }
    List<Entry> all = view(filter, sort);
    int total = all.size();
    int lastStart = total == 0 ? 0 : (total - 1) / limit * limit;
    int start = Math.max(0, Math.min(offset, lastStart));
    List<RunRecord> rows = new ArrayList<>(Math.min(limit, total - start));
    for (Entry e : all.subList(start, Math.min(total, start + limit))) {
      rows.add(e.toRecord());
    }
    return new RunPage(rows, start, total);
  }

  /** True when run {@code runId} is in the index and matches {@code filter}. */
  public synchronized boolean matches(RunFilter filter, String runId) {
    Entry e = entries.get(runId);
    return e != null && e.matches(filter);
  }

  /** How many runs come before {@code runId} under {@code filter} and {@code sort}; empty if it does not match. */
  public synchronized Optional<Long> positionOf(RunFilter filter, RunSort sort, String runId) {
    List<Entry> all = view(filter, sort);
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).runId().equals(runId)) {
        return Optional.of((long) i);
      }
    }
    return Optional.empty();
  }

  private List<Entry> view(RunFilter filter, RunSort sort) {
    if (sorted == null || !filter.equals(sortedFilter) || !sort.equals(sortedBy)) {
      List<Entry> out = new ArrayList<>();
      for (Entry e : entries.values()) {
        if (e.matches(filter)) {
          out.add(e);
        }
      }
      out.sort(comparator(sort));
      sorted = out;
      sortedFilter = filter;
      sortedBy = sort;
    }
    return sorted;
  }

  /** The store's order: missing values first when ascending, run id breaking ties the same way. */
  static Comparator<Entry> comparator(RunSort sort) {
    Comparator<Entry> key = switch (sort.field()) {
      case QUEUED_AT -> nullsFirst(Entry::queuedAt);
      case STARTED_AT -> nullsFirst(Entry::startedAt);
      case FINISHED_AT -> nullsFirst(Entry::finishedAt);
      case DEVICE -> nullsFirst(Entry::deviceId);
      case STATUS -> nullsFirst(e -> e.status() == null ? null : e.status().wire()); // the store sorts by name
      case TRIGGER -> nullsFirst(Entry::triggerType);
      case MAE -> nullsFirst(Entry::mae);
      case CHAMPION_MAE -> nullsFirst(Entry::championMae);
      case DURATION -> nullsFirst(Entry::durationMs);
      case RUN_ID -> nullsFirst(Entry::runId);
    };
    Comparator<Entry> withTie = sort.field() == RunSort.Field.RUN_ID ? key
        : key.thenComparing(nullsFirst(Entry::runId));
    return sort.ascending() ? withTie : withTie.reversed();
  }

  private static <T extends Comparable<? super T>> Comparator<Entry> nullsFirst(Function<Entry, T> f) {
    return Comparator.comparing(f, Comparator.nullsFirst(Comparator.naturalOrder()));
  }

  private static String intern(String s) {
    return s == null ? null : INTERNED.computeIfAbsent(s, k -> k);
  }

  private static Long millis(java.time.Instant i) {
    return i == null ? null : i.toEpochMilli();
  }

  private static void putDate(Document d, String key, Long millis) {
    if (millis != null) {
      d.append(key, new Date(millis));
    }
  }

  private static void putIf(Document d, String key, Object v) {
    if (v != null) {
      d.append(key, v);
    }
  }
}
