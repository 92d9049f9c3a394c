package com.retrainconsole.scheduler;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.ReplaceOptions;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * Which schedulers are running on this store, wherever they run (the {@code scheduler} service or a
 * console's own): each running {@link Scheduler} keeps one document in {@code schedulers} and renews its
 * heartbeat every {@link #BEAT}. decision: per-run leases in the queue only exist while a run is claimed,
 * so an idle scheduler left no trace; faces need to know whether enabled triggers will fire at all.
 * A scheduler that dies without stopping leaves its document behind: it counts as gone once its heartbeat
 * is older than {@link #STALE_AFTER}.
 */
public final class SchedulerPresence {
  /** How often a running scheduler renews its heartbeat. */
  public static final Duration BEAT = Duration.ofSeconds(5);
  /** A heartbeat older than this is a scheduler that died without saying so (three missed beats). */
  public static final Duration STALE_AFTER = Duration.ofSeconds(20);

  /** One running scheduler as it last reported itself. */
  public record Entry(String owner, String host, long pid, Instant startedAt, Instant heartbeatAt) {}

  private final MongoCollection<Document> collection;
  private final Clock clock;
  private final Duration staleAfter;

  public SchedulerPresence(Store store, Clock clock) {
    this(store.collection(Collections.SCHEDULERS), clock, STALE_AFTER);
  }

  SchedulerPresence(MongoCollection<Document> collection, Clock clock, Duration staleAfter) {
    this.collection = collection;
    this.clock = clock;
    this.staleAfter = staleAfter;
  }

  /** Writes (or rewrites) {@code owner}'s document: started now, heartbeat now. */
  public void register(String owner) {
    Instant now = clock.instant();
    ProcessHandle self = ProcessHandle.current();
    String host = owner.contains(":") ? owner.substring(0, owner.indexOf(':')) : owner;
    collection.replaceOne(new Document("_id", owner), new Document("_id", owner)
        .append("host", host)
        .append("pid", self.pid())
        .append("started_at", Date.from(now))
        .append("heartbeat_at", Date.from(now)), new ReplaceOptions().upsert(true));
  }

  /** Renews {@code owner}'s heartbeat; re-registers it if its document went (deleted by hand, store reset). */
  public void beat(String owner) {
    long matched = collection.updateOne(new Document("_id", owner),
        new Document("$set", new Document("heartbeat_at", Date.from(clock.instant())))).getMatchedCount();
    if (matched == 0) {
      register(owner);
    }
  }

  /** {@code owner} stopped: it no longer counts. */
  public void remove(String owner) {
    collection.deleteOne(new Document("_id", owner));
  }

  /** Every scheduler whose heartbeat is fresher than the staleness limit. */
  public List<Entry> alive() {
    Date since = Date.from(clock.instant().minus(staleAfter));
    List<Entry> out = new ArrayList<>();
    for (Document d : collection.find(new Document("heartbeat_at", new Document("$gt", since)))) {
      Number pid = d.get("pid", Number.class);
      out.add(new Entry(d.getString("_id"), d.getString("host"), pid == null ? -1 : pid.longValue(),
          toInstant(d.getDate("started_at")), toInstant(d.getDate("heartbeat_at"))));
    }
    return out;
  }

  /** True when at least one scheduler is running on this store (heartbeat fresher than the limit). */
  public boolean anyAlive() {
    Date since = Date.from(clock.instant().minus(staleAfter));
    return collection.find(new Document("heartbeat_at", new Document("$gt", since))).limit(1).first() != null;
  }

  private static Instant toInstant(Date d) {
    return d == null ? null : d.toInstant();
  }
}
