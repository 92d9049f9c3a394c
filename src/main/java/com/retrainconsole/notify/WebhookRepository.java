package com.retrainconsole.notify;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Sorts;
import com.retrainconsole.access.Actor;
import com.retrainconsole.access.Permission;
import com.retrainconsole.common.UserException;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.bson.Document;

/** Webhook configurations in the {@code webhooks} collection; changing them needs EDIT_SETTINGS. */
public final class WebhookRepository {
  private final MongoCollection<Document> webhooks;
  private final Clock clock;

  public WebhookRepository(Store store, Clock clock) {
    this.webhooks = store.collection(Collections.WEBHOOKS);
    this.clock = clock;
    webhooks.createIndex(new Document("webhook_id", 1), new IndexOptions().unique(true));
  }

  public Webhook add(Actor actor, String url, String deviceId, WebhookFormat format, Set<WebhookEvent> events) {
    actor.require(Permission.EDIT_SETTINGS);
    validate(url);
    if (events == null || events.isEmpty()) {
      throw new UserException("A webhook needs at least one event");
    }
    Webhook w = new Webhook("wh-" + UUID.randomUUID().toString().substring(0, 8), url.trim(),
        deviceId == null || deviceId.isBlank() ? null : deviceId, format == null ? WebhookFormat.GENERIC : format,
        EnumSet.copyOf(events), clock.instant(), actor.user());
    List<String> ev = new ArrayList<>();
    w.events().forEach(e -> ev.add(e.wire()));
    webhooks.insertOne(new Document("webhook_id", w.id()).append("url", w.url()).append("device_id", w.deviceId())
        .append("format", w.format().wire()).append("events", ev)
        .append("created_at", Date.from(w.createdAt())).append("created_by", w.createdBy()));
    return w;
  }

  public List<Webhook> list() {
    List<Webhook> out = new ArrayList<>();
    for (Document d : webhooks.find().sort(Sorts.ascending("created_at", "webhook_id"))) {
      out.add(fromDocument(d));
    }
    return out;
  }

  /** Cheap check the notifier makes every tick before looking for events. */
  public boolean isEmpty() {
    return webhooks.find().limit(1).first() == null;
  }

  public Optional<Webhook> find(String id) {
    return Optional.ofNullable(webhooks.find(new Document("webhook_id", id)).first()).map(WebhookRepository::fromDocument);
  }

  public Webhook require(String id) {
    return find(id).orElseThrow(() -> new UserException("No webhook '" + id + "'. See: webhooks list"));
  }

  public boolean remove(Actor actor, String id) {
    actor.require(Permission.EDIT_SETTINGS);
    return webhooks.deleteOne(new Document("webhook_id", id)).getDeletedCount() > 0;
  }

  static void validate(String url) {
    if (url == null || url.isBlank()) {
      throw new UserException("A webhook needs a URL");
    }
    URI u;
    try {
      u = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      throw new UserException("Webhook URL is not a valid URL"); // decision: do not echo it, it may hold a secret
    }
    if (!"http".equalsIgnoreCase(u.getScheme()) && !"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
      throw new UserException("Webhook URL must be http:// or https:// with a host, got " + RedactedUrl.of(url));
    }
  }

  @SuppressWarnings("unchecked")
  static Webhook fromDocument(Document d) {
    Set<WebhookEvent> events = EnumSet.noneOf(WebhookEvent.class);
    for (Object e : d.get("events", List.class)) {
      events.add(WebhookEvent.parse(String.valueOf(e)));
    }
    Date created = d.getDate("created_at");
    return new Webhook(d.getString("webhook_id"), d.getString("url"), d.getString("device_id"),
        WebhookFormat.parse(d.getString("format")), events, created == null ? null : created.toInstant(),
        d.getString("created_by"));
  }
}
