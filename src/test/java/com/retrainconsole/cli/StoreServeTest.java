package com.retrainconsole.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.retrainconsole.access.Role;
import com.retrainconsole.access.UserDirectory;
import com.retrainconsole.common.Json;
import com.retrainconsole.store.EmbeddedStore;
import com.retrainconsole.store.Store;
import com.retrainconsole.store.StoreConfig;
import com.retrainconsole.store.StorePortFile;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreServeTest {
  @TempDir Path dir;

  private Path data() {
    return dir.resolve("data");
  }

  private static void waitFor(String what, java.util.function.BooleanSupplier condition, Process child, Path log)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (child != null && !child.isAlive()) {
        throw new AssertionError(what + ": child exited " + child.exitValue() + ": " + Files.readString(log));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + (log != null ? ": " + Files.readString(log) : ""));
      }
      Thread.sleep(50);
    }
  }

  @Test
  void another_process_reaches_the_data_through_store_serve_and_sigterm_removes_the_port_file() throws Exception {
    Path log = dir.resolve("serve.log");
    Process server = ChildJvm.start(log, com.retrainconsole.app.Launcher.class, "store", "serve", "--data-dir", data().toString());
    try {
      waitFor("the port file", () -> StorePortFile.read(data()).isPresent(), server, log);
      StorePortFile.Entry entry = StorePortFile.read(data()).orElseThrow();
      assertEquals(server.pid(), entry.pid());

      try (Store client = Store.open(StoreConfig.embedded(data()))) {
        assertEquals("embedded via store serve on 127.0.0.1:" + entry.port() + " (pid " + server.pid() + ")",
            client.describe());
        client.collection("probe").insertOne(new Document("from", "parent"));
      }
      server.destroy(); // SIGTERM
      assertTrue(server.waitFor(30, TimeUnit.SECONDS), "server stops on SIGTERM");
      assertFalse(Files.exists(StorePortFile.path(data())), "clean exit removes the port file");
      assertTrue(Files.readString(log).contains("serving "), Files.readString(log));
    } finally {
      server.toHandle().destroyForcibly();
      server.waitFor(10, TimeUnit.SECONDS);
    }
    // the server committed what the client wrote; now this process opens the file itself
    try (Store owner = Store.open(StoreConfig.embedded(data()))) {
      assertTrue(owner.describe().startsWith("embedded ("), owner.describe());
      assertEquals(1, owner.collection("probe").countDocuments(new Document("from", "parent")));
    }
  }

  @Test
  void a_process_that_opened_the_file_lets_a_child_in_with_serve_on_loopback() throws Exception {
    try (Store owner = Store.open(StoreConfig.embedded(data())).serveOnLoopback()) {
      owner.collection("probe").insertOne(new Document("from", "owner"));
      int port = owner.embeddedPort().orElseThrow();
      assertEquals(port, StorePortFile.read(data()).orElseThrow().port());

      Path log = dir.resolve("child.log");
      Process child = ChildJvm.start(log, ReadThroughPortFile.class, data().toString());
      assertTrue(child.waitFor(60, TimeUnit.SECONDS));
      String output = Files.readString(log);
      assertEquals(0, child.exitValue(), output);
      assertTrue(output.contains("describe=embedded via store serve on 127.0.0.1:" + port + " (pid "
          + ProcessHandle.current().pid() + ")"), output);
      assertTrue(output.contains("seen=1"), output);
      // the laptop's user reaching its own data folder through the scheduler's port file stays admin
      assertTrue(output.contains("local=true") && output.contains("default_role=admin"), output);
      assertEquals(1, owner.collection("probe").countDocuments(new Document("from", "child")));
    }
    assertFalse(Files.exists(StorePortFile.path(data())), "close removes the port file");
  }

  @Test
  void a_uri_to_the_served_port_is_a_remote_store_where_users_start_as_analysts() {
    try (Store owner = Store.open(StoreConfig.embedded(data())).serveOnLoopback()) {
      assertTrue(owner.isLocal());
      // the served port with the login the owner hands its children (RETRAIN_MONGO_URI)
      try (Store remote = Store.open(StoreConfig.remote(owner.connectionUri()))) {
        assertFalse(remote.isLocal(), "a URI names a shared store, even on loopback");
        assertEquals(Role.ANALYST, new UserDirectory(remote, Clock.systemUTC()).defaultRole());
      }
    }
  }

  @Test
  void a_stale_port_file_is_ignored_and_removed() throws Exception {
    Files.createDirectories(data());
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    // a live process (our parent) that does not serve anything on that port, then a process that is gone
    long livePid = ProcessHandle.current().parent().orElseThrow().pid();
    for (long pid : new long[] {livePid, finishedPid()}) {
      Files.writeString(StorePortFile.path(data()), Json.MAPPER.writeValueAsString(
          new StorePortFile.Entry(deadPort, pid, Instant.now(), "x")));
      try (Store store = Store.open(StoreConfig.embedded(data()))) {
        assertTrue(store.describe().startsWith("embedded ("), store.describe());
        assertFalse(Files.exists(StorePortFile.path(data())), "stale port file removed");
      }
    }
  }

  private static long finishedPid() throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    p.waitFor(30, TimeUnit.SECONDS);
    return p.pid();
  }

  @Test
  void store_compact_shrinks_the_file_and_refuses_while_the_store_is_served() throws IOException {
    Path models = dir.resolve("models");
    try (Store store = Store.open(StoreConfig.embedded(data()))) {
      for (int i = 0; i < 300; i++) {
        store.collection("probe").insertOne(new Document("i", i).append("pad", "x".repeat(200)));
      }
      store.serveOnLoopback();
      Cli.Result refused = new Cli(data(), models).run("store", "compact");
      assertEquals(2, refused.code(), refused.err());
      assertTrue(refused.errorLine().contains("served by process " + ProcessHandle.current().pid()), refused.err());
    }
    long before = Files.size(EmbeddedStore.dataFile(data()));
    JsonNode json = new Cli(data(), models).run("store", "compact", "--json").json();
    assertEquals(before, json.get("bytes_before").asLong());
    assertTrue(json.get("bytes_after").asLong() < before / 2, json.toString());
    try (Store store = Store.open(StoreConfig.embedded(data()))) {
      assertEquals(300, store.collection("probe").countDocuments());
    }
    List<String> text = new ArrayList<>(new Cli(data(), models).run("store", "compact").expect(0).out().lines().toList());
    assertTrue(text.get(0).startsWith("compacted "), text.toString());
  }
}
