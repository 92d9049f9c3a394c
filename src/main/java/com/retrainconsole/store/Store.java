package com.retrainconsole.store;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.bson.Document;

/**
 * The one door to MongoDB. Embedded or remote, everything above this class uses the same driver code.
 * (Skeleton: the store package owner replaces the plain H2 backend with the hardened one.)
 */
public final class Store implements AutoCloseable {
  public static final String DATABASE = "retrain";

  private final MongoServer server; // null when remote
  private final MongoClient client;
  private final MongoDatabase db;
  private final String description;

  private Store(MongoServer server, MongoClient client, String database, String description) {
    this.server = server;
    this.client = client;
    this.db = client.getDatabase(database);
    this.description = description;
  }

  public static Store open(StoreConfig config) {
    if (config.inMemory()) {
      MongoServer server = new MongoServer(new MemoryBackend());
      server.bind("127.0.0.1", 0);
      InetSocketAddress address = server.getLocalAddress();
      MongoClient client = MongoClients.create(settings("mongodb://127.0.0.1:" + address.getPort()));
      Store store = new Store(server, client, DATABASE, "embedded (in memory)");
      store.ensureIndexes();
      return store;
    }
    throw new UnsupportedOperationException("skeleton: store package implements file and remote stores");
  }

  public static Store openInMemory() {
    return open(StoreConfig.memory());
  }

  static MongoClientSettings settings(String uri) {
    return MongoClientSettings.builder()
        .applyConnectionString(new ConnectionString(uri))
        .applyToClusterSettings(b -> b.serverSelectionTimeout(5, TimeUnit.SECONDS))
        .build();
  }

  public void ensureIndexes() {
    Indexes.ensure(db);
  }

  public MongoDatabase db() {
    return db;
  }

  public MongoCollection<Document> collection(String name) {
    return db.getCollection(name);
  }

  /** Human description without credentials: "embedded (/path/to/file)" or "mongodb://host:port". */
  public String describe() {
    return description;
  }

  public boolean isEmbedded() {
    return server != null;
  }

  @Override
  public void close() {
    client.close();
    if (server != null) {
      server.shutdownNow();
    }
  }
}
