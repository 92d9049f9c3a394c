package com.retrainconsole.cli;

import com.retrainconsole.access.UserDirectory;
import com.retrainconsole.store.Store;
import com.retrainconsole.store.StoreConfig;
import java.nio.file.Path;
import java.time.Clock;
import org.bson.Document;

/** Child process: opens the data folder like any CLI command would, reports what it sees, writes one doc. */
public final class ReadThroughPortFile {
  public static void main(String[] args) {
    try (Store store = Store.open(StoreConfig.embedded(Path.of(args[0])))) {
      long seen = store.collection("probe").countDocuments();
      store.collection("probe").insertOne(new Document("from", "child"));
      System.out.println("describe=" + store.describe());
      System.out.println("seen=" + seen);
      System.out.println("local=" + store.isLocal());
      System.out.println("default_role=" + new UserDirectory(store, Clock.systemUTC()).defaultRole().wire());
    }
  }
}
