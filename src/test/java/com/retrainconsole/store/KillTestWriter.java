package com.retrainconsole.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import java.io.PrintStream;
import java.nio.file.Path;
import org.bson.Document;

/**
 * Child-process main for {@link StoreKillTest}: opens the embedded store and writes until killed, printing
 * each acknowledged write as one line ending in {@code $} (so a line cut by the kill is recognisable).
 *
 * <p>Args: {@code <dataDir> <idPrefix> <durable|stock> <write|hold>}. {@code hold} opens the store, says
 * READY and waits for stdin to close (used to test the "in use" message across processes).
 */
public final class KillTestWriter {
  static final String WRITES = "kill_writes";
  static final String END = "$";

  private KillTestWriter() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    String prefix = args[1];
    boolean durable = args[2].equals("durable");
    boolean hold = args[3].equals("hold");
    PrintStream out = System.out;
    try (Store store = Store.openEmbedded(EmbeddedStore.onFile(dataDir, durable))) {
      out.println("READY" + END);
      out.flush();
      if (hold) {
        while (System.in.read() >= 0) {
          // wait for the parent to close our stdin
        }
        return;
      }
      MongoCollection<Document> writes = store.collection(WRITES);
      MongoCollection<Document> triggers = store.collection(Collections.TRIGGERS);
      String pad = "x".repeat(200);
      for (int i = 1; ; i++) {
        String id = prefix + "-" + i;
        writes.insertOne(new Document("_id", id).append("n", i).append("pad", pad));
        acknowledge(out, "I " + id);
        if (i % 5 == 0) {
          writes.updateOne(
              Filters.eq("_id", "counter-" + prefix), Updates.set("n", i), new UpdateOptions().upsert(true));
          acknowledge(out, "U " + prefix + " " + i);
        }
        if (i % 7 == 0) {
          String triggerId = prefix + "-t" + i;
          triggers.insertOne(new Document("trigger_id", triggerId).append("type", "manual"));
          acknowledge(out, "T " + triggerId);
        }
      }
    }
  }

  private static void acknowledge(PrintStream out, String line) {
    out.println(line + " " + END);
    out.flush();
  }
}
