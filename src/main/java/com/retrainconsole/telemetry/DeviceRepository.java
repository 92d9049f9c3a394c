package com.retrainconsole.telemetry;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.UpdateOptions;
import com.retrainconsole.common.ConflictException;
import com.retrainconsole.common.UserException;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Device configurations in {@code devices}, keyed by device id. */
public final class DeviceRepository {
  private static final int DUPLICATE_KEY = 11000;
  private static final String REMOVED = "removed";
  private static final Logger log = LoggerFactory.getLogger(DeviceRepository.class);
  private final MongoCollection<Document> devices;

  public DeviceRepository(Store store) {
    this.devices = store.collection(Collections.DEVICES);
  }

  public Optional<DeviceConfig> find(String id) {
    return Optional.ofNullable(devices.find(new Document("_id", id)).first())
        .filter(d -> !isRemoved(d))
        .map(DeviceConfig::fromDocument);
  }

  /**
   * True when someone configured the device (added, imported, simulated): not for a bare document holding
   * only a telemetry summary of readings written straight to the store, nor for a removed device.
   */
  public boolean isConfigured(String id) {
    return isConfigured(devices.find(new Document("_id", id)).first());
  }

  private static boolean isConfigured(Document d) {
    return d != null && !isRemoved(d) && d.containsKey("target");
  }

  /** All devices, sorted by id. */
  public List<DeviceConfig> list() {
    List<DeviceConfig> out = new ArrayList<>();
    for (Document d : devices.find()) {
      if (isRemoved(d)) {
        continue;
      }
      try {
        out.add(DeviceConfig.fromDocument(d));
      } catch (UserException | IllegalArgumentException e) {
        // decision: one unreadable document (an id written before ids were checked) must not hide the rest
        log.warn("skipping device document {}: {}", d.get("_id"), e.getMessage());
      }
    }
    out.sort(Comparator.comparing(DeviceConfig::id));
    return out;
  }

  /**
   * The site of every device document, removed ones and bare telemetry summaries included (their history
   * still belongs to a site): what access checks and filtered reads use.
   */
  public Map<String, String> sitesById() {
    Map<String, String> out = new HashMap<>();
    for (Document d : devices.find().projection(new Document("site", 1))) {
      String site = d.getString("site");
      out.put(String.valueOf(d.get("_id")), site == null || site.isBlank() ? DeviceConfig.DEFAULT_SITE : site);
    }
    return out;
  }

  /** The site of {@code id} (also of a removed device); the default site for an id with no document. */
  public String siteOf(String id) {
    Document d = devices.find(new Document("_id", id)).projection(new Document("site", 1)).first();
    String site = d == null ? null : d.getString("site");
    return site == null || site.isBlank() ? DeviceConfig.DEFAULT_SITE : site;
  }

  /** The ids of all devices, sorted: what the views' device pickers list. */
  public List<String> ids() {
    return list().stream().map(DeviceConfig::id).toList();
  }

  /**
   * Makes sure the device exists. decision: an existing device keeps every field it has (a second
   * CSV import must not undo a target or location someone set); only fields it lacks are filled in
   * from {@code config}.
   */
  /**
   * {@link #upsert} for many devices in a few round trips (one query and one insert per thousand):
   * an import of 200,000 devices must not cost four round trips per device.
   */
  public void upsertAll(List<DeviceConfig> configs) {
    for (int from = 0; from < configs.size(); from += 1000) {
      List<DeviceConfig> batch = configs.subList(from, Math.min(configs.size(), from + 1000));
      java.util.Map<Object, Document> existing = new java.util.HashMap<>();
      for (Document d : devices.find(new Document("_id", new Document("$in",
          batch.stream().map(DeviceConfig::id).toList())))) {
        existing.put(d.get("_id"), d);
      }
      List<Document> inserts = new ArrayList<>();
      List<DeviceConfig> insertConfigs = new ArrayList<>();
      for (DeviceConfig config : batch) {
        Document have = existing.get(config.id());
        if (have == null) {
          inserts.add(config.toDocument());
          insertConfigs.add(config);
          continue;
        }
        completeExisting(have, config);
      }
      if (!inserts.isEmpty()) {
        try {
          devices.insertMany(inserts, new com.mongodb.client.model.InsertManyOptions().ordered(false));
        } catch (com.mongodb.MongoBulkWriteException e) {
          for (com.mongodb.bulk.BulkWriteError error : e.getWriteErrors()) {
            if (error.getCode() != DUPLICATE_KEY) {
              throw e;
            }
            upsert(insertConfigs.get(error.getIndex())); // created meanwhile: fill what it lacks
          }
        }
      }
    }
  }

  public void upsert(DeviceConfig config) {
    Document wanted = config.toDocument();
    Document byId = new Document("_id", config.id());
    Document existing = devices.find(byId).first();
    if (existing == null) {
      try {
        devices.insertOne(wanted);
        return;
      } catch (MongoWriteException e) {
        if (e.getError().getCode() != DUPLICATE_KEY) {
          throw e;
        }
        existing = devices.find(byId).first(); // someone else created it meanwhile
      }
    }
    completeExisting(existing, config);
  }

  /** Fills in only what {@code existing} lacks; a removed device starts again from {@code config}. */
  private void completeExisting(Document existing, DeviceConfig config) {
    if (isRemoved(existing)) {
      replace(config);
      return;
    }
    Document wanted = config.toDocument();
    Document missing = new Document();
    for (String key : wanted.keySet()) {
      if (!key.equals("_id") && existing.get(key) == null) {
        missing.append(key, wanted.get(key));
      }
    }
    if (!missing.isEmpty()) {
      devices.updateOne(new Document("_id", config.id()), new Document("$set", missing));
    }
  }

  /**
   * Creates the device; a ConflictException when the id is taken. decision: the bucket store may already
   * have made a bare document holding only a telemetry summary (readings imported before the device was
   * added): such a document is completed, not treated as a duplicate.
   */
  public void insertNew(DeviceConfig config) {
    Document wanted = config.toDocument();
    Document existing = devices.find(new Document("_id", config.id())).first();
    if (isConfigured(existing)) {
      throw new ConflictException("device '" + config.id() + "' already exists; change it with `devices edit "
          + config.id() + "` or pick another id");
    }
    if (existing == null) {
      try {
        devices.insertOne(wanted);
        return;
      } catch (MongoWriteException e) {
        if (e.getError().getCode() != DUPLICATE_KEY) {
          throw e;
        }
        throw new ConflictException("device '" + config.id() + "' was created by someone else just now");
      }
    }
    replace(config);
  }

  /**
   * Forgets the device's configuration. decision: the document stays as a tombstone holding only the
   * telemetry summary, because the readings stay too; adding or importing the id again revives it with a
   * summary that still counts the old readings.
   */
  public boolean markRemoved(String id) {
    Document unset = new Document();
    for (String f : List.of("target", "zone", "source", "forecast", "enabled", "created_at")) {
      unset.append(f, "");
    }
    // the site stays: the readings, runs and versions kept after removal still belong to it
    DeviceConfig.OPTIONAL_FIELDS.stream().filter(f -> !f.equals("site")).forEach(f -> unset.append(f, ""));
    return devices.updateOne(new Document("_id", id).append(REMOVED, new Document("$ne", true)),
        new Document("$set", new Document(REMOVED, true)).append("$unset", unset)).getModifiedCount() > 0;
  }

  private static boolean isRemoved(Document d) {
    return Boolean.TRUE.equals(d.get(REMOVED));
  }

  /**
   * Stores {@code config} as given, replacing its fields (an explicit edit). The telemetry summary
   * kept by {@link BucketTelemetryStore} on the same document is left alone.
   */
  public void replace(DeviceConfig config) {
    Document fields = config.toDocument();
    fields.remove("_id");
    Document unset = new Document(REMOVED, "");
    for (String optional : DeviceConfig.OPTIONAL_FIELDS) {
      if (!fields.containsKey(optional)) {
        unset.append(optional, "");
      }
    }
    Document update = new Document("$set", fields);
    if (!unset.isEmpty()) {
      update.append("$unset", unset);
    }
    devices.updateOne(new Document("_id", config.id()), update, new UpdateOptions().upsert(true));
  }

  /** The device, or a UserException listing the devices that exist. */
  public DeviceConfig require(String id) {
    Optional<DeviceConfig> found = find(id);
    if (found.isPresent()) {
      return found.get();
    }
    List<String> known = list().stream().map(DeviceConfig::id).toList();
    if (known.isEmpty()) {
      throw new UserException(
          "Unknown device '" + id + "'. No devices yet: run simulate or import-csv first");
    }
    throw new UserException(
        "Unknown device '" + id + "'. Known devices: " + String.join(", ", known));
  }
}
