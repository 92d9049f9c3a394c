package com.retrainconsole.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.retrainconsole.common.Json;
import com.retrainconsole.registry.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline through the real CLI, in-process: embedded H2 store in a temp data folder, real
 * XGBoost models in a temp models folder, JSON output parsed as a script would.
 */
class PipelineEndToEndTest {
  // decision: the default trainer, so the path users take is the one tested. Measured on these ~1k rows:
  // xgboost trains in 0.5-0.7 s, cart in 0.3-0.4 s; the saving is small against the class's ~7 s total.
  static final String TRAINER = "xgboost";
  static final int DAYS = 12;
  static final int READINGS_PER_DAY = 96; // 15-minute interval

  @TempDir static Path root;
  static Path modelsDir;
  static Cli cli;

  @BeforeAll
  static void simulate_two_trackers() {
    modelsDir = root.resolve("models");
    cli = new Cli(root.resolve("data"), modelsDir);
    JsonNode sim = cli.run("simulate", "--devices", "tracker01,tracker02", "--days", String.valueOf(DAYS),
        "--interval", "15m", "--seed", "7", "--end", "2026-06-01T00:00:00Z", "--json").json();
    long written = sim.get("written").asLong();
    // the simulator leaves occasional gaps, so at most (not exactly) every slot is written
    assertTrue(written > 0.9 * 2 * DAYS * READINGS_PER_DAY && written <= 2 * DAYS * READINGS_PER_DAY,
        "written " + written);
  }

  @Test
  void first_train_beats_the_naive_baseline_the_second_is_judged_against_it_and_rollback_restores_the_first()
      throws Exception {
    // --- first model: no champion, must beat "same time yesterday"
    JsonNode first = cli.run("train", "--device", "tracker01", "--trainer", TRAINER, "--json").json();
    assertEquals("completed", first.get("status").asText());
    String firstRunId = first.get("run_id").asText();
    assertTrue(firstRunId.startsWith("run-"), firstRunId);
    JsonNode data = first.get("data");
    // the window clears the gate's 100-row minimum and the policy's 24 test rows by a wide margin
    assertTrue(data.get("train_rows").asInt() >= 100, data.toString());
    assertTrue(data.get("test_rows").asInt() >= 24, data.toString());
    assertEquals(data.get("rows").asInt(), data.get("train_rows").asInt() + data.get("test_rows").asInt());
    assertFiniteMetrics(first.get("metrics"));
    assertTrue(first.get("champion_metrics").isNull(), "no champion yet: " + first.get("champion_metrics"));
    String v1 = assertModelOnDisk(first.get("model"), "tracker01");
    assertTrue(first.at("/decision/promoted").asBoolean(), first.get("decision").toString());
    assertTrue(first.at("/decision/reason").asText().contains("naive baseline"), first.get("decision").toString());
    Pointer p1 = pointer("tracker01");
    assertEquals(v1, p1.version());
    assertEquals(null, p1.previousVersion());

    // --- second model on the same data: scored against the first on the same rows
    JsonNode second = cli.runGlobalFirst("train", "--device", "tracker01", "--trainer", TRAINER, "--json").json();
    assertEquals("completed", second.get("status").asText());
    assertEquals(v1, second.get("champion_version").asText());
    assertFiniteMetrics(second.get("champion_metrics"));
    assertTrue(second.get("champion_error").isNull(), second.get("champion_error").toString());
    String v2 = assertModelOnDisk(second.get("model"), "tracker01");
    assertNotEquals(v1, v2);
    double candidateMae = second.at("/metrics/mae").asDouble();
    double championMae = second.at("/champion_metrics/mae").asDouble();
    // same data, same seeded trainer: the candidate ties the champion, well within the 10% tolerance
    assertTrue(candidateMae <= championMae * 1.10, candidateMae + " vs " + championMae);
    assertTrue(second.at("/decision/promoted").asBoolean(), second.get("decision").toString());
    assertTrue(second.at("/decision/reason").asText().contains("champion MAE"), second.get("decision").toString());
    Pointer p2 = pointer("tracker01");
    assertEquals(v2, p2.version());
    assertEquals(v1, p2.previousVersion());

    // --- model list / current
    JsonNode list = cli.run("model", "list", "--device", "tracker01", "--json").json();
    assertEquals(v2, list.get("current").asText());
    assertEquals(List.of(v2, v1), texts(list.get("versions"), "version"));
    assertEquals(List.of("production", "archived"), texts(list.get("versions"), "stage"));
    JsonNode current = cli.run("model", "current", "--device", "tracker01", "--json").json();
    assertTrue(current.get("verified").asBoolean());
    assertEquals(v2, current.at("/pointer/version").asText());
    assertEquals(sha256(modelsDir.resolve("tracker01/versions/" + v2 + ".tribuo")),
        current.at("/meta/sha256").asText());

    // --- rollback
    JsonNode rollback = cli.run("rollback", "--device", "tracker01", "--reason", "x", "--json").json();
    assertEquals(v1, rollback.at("/pointer/version").asText());
    assertEquals(v2, rollback.at("/pointer/previous_version").asText());
    Pointer p3 = pointer("tracker01");
    assertEquals(v1, p3.version());
    assertEquals("x", p3.reason());
    assertEquals(p1.sha256(), p3.sha256());
    assertEquals(v1, cli.run("model", "current", "--device", "tracker01", "--json").json()
        .at("/pointer/version").asText());

    // --- which version served when, from the ledger's own timestamps
    Duration ms = Duration.ofMillis(1);
    assertEquals(null, versionAt(p1.promotedAt().minus(ms)));
    assertEquals(v1, versionAt(p1.promotedAt()));
    assertEquals(v1, versionAt(p2.promotedAt().minus(ms)));
    assertEquals(v2, versionAt(p2.promotedAt()));
    assertEquals(v2, versionAt(p3.promotedAt().minus(ms)));
    assertEquals(v1, versionAt(p3.promotedAt().plus(Duration.ofDays(1))));

    // --- run history, newest first, with the contract fields (docs/ARCHITECTURE.md §6)
    JsonNode runs = cli.run("runs", "--device", "tracker01", "--json").json();
    assertEquals(2, runs.get("count").asInt());
    assertEquals(List.of(second.get("run_id").asText(), firstRunId), texts(runs.get("runs"), "run_id"));
    for (JsonNode run : runs.get("runs")) {
      assertRunContract(run);
    }
    assertEquals(v1, runs.at("/runs/1/model/version").asText());
    assertEquals(v2, runs.at("/runs/0/model/version").asText());

    // --- the contract layout on disk
    Path device = modelsDir.resolve("tracker01");
    assertEquals(Set.of("current_model.json", "versions"), visibleNames(device));
    assertEquals(Set.of(v1 + ".tribuo", v1 + ".meta.json", v2 + ".tribuo", v2 + ".meta.json"),
        visibleNames(device.resolve("versions")));
    JsonNode pointerJson = Json.MAPPER.readTree(device.resolve("current_model.json").toFile());
    List<String> pointerFields = new ArrayList<>();
    pointerJson.fieldNames().forEachRemaining(pointerFields::add);
    assertEquals(List.of("version", "file", "sha256", "promoted_at", "promoted_by", "reason", "previous_version"),
        pointerFields);
    assertEquals("versions/" + v1 + ".tribuo", pointerJson.get("file").asText());
    assertEquals(sha256(device.resolve(pointerJson.get("file").asText())), pointerJson.get("sha256").asText());
    JsonNode meta = Json.MAPPER.readTree(device.resolve("versions/" + v1 + ".meta.json").toFile());
    assertEquals(v1, meta.get("version").asText());
    assertEquals("tracker01", meta.get("device_id").asText());
    assertEquals(firstRunId, meta.get("run_id").asText());
    assertEquals(p1.sha256(), meta.get("sha256").asText());
    assertEquals(Files.size(device.resolve("versions/" + v1 + ".tribuo")), meta.get("size_bytes").asLong());
    assertEquals(data.get("rows").asInt(), meta.at("/data/rows").asInt());
  }

  @Test
  void dry_run_scores_against_the_champion_but_writes_no_model_and_leaves_the_pointer() throws Exception {
    JsonNode real = cli.run("train", "--device", "tracker02", "--trainer", TRAINER, "--json").json();
    String champion = real.at("/model/version").asText();
    Path device = modelsDir.resolve("tracker02");
    byte[] pointerBefore = Files.readAllBytes(device.resolve("current_model.json"));
    Set<String> filesBefore = allFiles(device);

    JsonNode dry = cli.run("train", "--device", "tracker02", "--trainer", TRAINER, "--dry-run", "--json").json();
    assertEquals("completed", dry.get("status").asText());
    assertTrue(dry.get("model").isNull(), dry.get("model").toString());
    assertTrue(dry.at("/params/dry_run").asBoolean());
    assertEquals(champion, dry.get("champion_version").asText());
    assertFiniteMetrics(dry.get("metrics"));
    assertFalse(dry.at("/decision/promoted").asBoolean());
    assertTrue(dry.at("/decision/would_promote").isBoolean(), dry.get("decision").toString());
    assertTrue(dry.at("/decision/reason").asText().startsWith("dry run, nothing written"),
        dry.get("decision").toString());

    assertEquals(filesBefore, allFiles(device));
    assertEquals(new String(pointerBefore), new String(Files.readAllBytes(device.resolve("current_model.json"))));
    assertEquals(2, cli.run("runs", "--device", "tracker02", "--json").json().get("count").asInt());
  }

  @Test
  void imported_history_for_a_new_device_trains_with_until_in_the_past(@TempDir Path tmp) throws Exception {
    int rows = 8 * READINGS_PER_DAY;
    Path csv = TelemetryCsv.write(tmp.resolve("site-a.csv"), LocalDateTime.parse("2020-05-10T00:00:00"), rows, 15,
        11, TelemetryCsv.ALL_FIELDS, null);
    JsonNode imported = cli.run("import-csv", csv.toString(), "--device", "site-a", "--json").json();
    assertEquals(rows, imported.get("imported").asInt());
    assertEquals(0, imported.get("rejected").asInt());
    assertEquals(List.of("site-a"), texts(imported.get("devices"), null));

    JsonNode run = cli.run("train", "--device", "site-a", "--until", "2020-05-20T00:00:00Z", "--days", "14",
        "--trainer", TRAINER, "--json").json();
    assertEquals("completed", run.get("status").asText(), run.toString());
    // the window is the imported history: its last reading, six years back
    Instant lastReading = Instant.parse("2020-05-10T00:00:00Z").plus(Duration.ofMinutes(15L * (rows - 1)));
    assertEquals(lastReading, Instant.parse(run.at("/data/to").asText()));
    assertEquals(Instant.parse("2020-05-10T00:00:00Z"), Instant.parse(run.at("/data/from").asText()));
    assertFiniteMetrics(run.get("metrics"));
    String version = assertModelOnDisk(run.get("model"), "site-a");
    assertTrue(run.at("/decision/promoted").asBoolean(), run.get("decision").toString());
    assertEquals(version, pointer("site-a").version());
  }

  // ---- helpers

  private static String versionAt(Instant t) {
    JsonNode at = cli.run("model", "at", "--device", "tracker01", "--time", t.toString(), "--json").json();
    return at.get("version").isNull() ? null : at.get("version").asText();
  }

  /** Checks the run's model block against the file on disk; returns the version. */
  private static String assertModelOnDisk(JsonNode model, String device) throws IOException {
    String version = model.get("version").asText();
    Path file = Path.of(model.get("file").asText());
    assertTrue(Files.isRegularFile(file), file.toString());
    assertTrue(Files.isSameFile(modelsDir.resolve(device).resolve("versions").resolve(version + ".tribuo"), file));
    assertEquals(sha256(file), model.get("sha256").asText());
    return version;
  }

  private static void assertRunContract(JsonNode run) {
    for (String field : List.of("run_id", "device_id", "status", "trigger", "queued_at", "started_at",
        "finished_at", "params", "data", "metrics", "champion_metrics", "model", "decision", "duration_ms")) {
      assertTrue(run.has(field), "run lacks " + field + ": " + run);
    }
    assertEquals("tracker01", run.get("device_id").asText());
    assertEquals("completed", run.get("status").asText());
    assertEquals("manual", run.at("/trigger/type").asText());
    for (String field : List.of("trigger_id", "reason", "actor")) {
      assertTrue(run.get("trigger").has(field), "trigger lacks " + field + ": " + run.get("trigger"));
    }
    Instant queued = Instant.parse(run.get("queued_at").asText());
    Instant started = Instant.parse(run.get("started_at").asText());
    Instant finished = Instant.parse(run.get("finished_at").asText());
    assertFalse(started.isBefore(queued));
    assertFalse(finished.isBefore(started));
    assertEquals(TRAINER, run.at("/params/trainer").asText());
    assertEquals(30, run.at("/params/days").asInt());
    for (String field : List.of("from", "to", "rows", "train_rows", "test_rows")) {
      assertTrue(run.get("data").has(field), "data lacks " + field + ": " + run.get("data"));
    }
    assertFiniteMetrics(run.get("metrics"));
    for (String field : List.of("version", "file", "sha256")) {
      assertTrue(run.get("model").hasNonNull(field), "model lacks " + field + ": " + run.get("model"));
    }
    assertTrue(run.at("/decision/promoted").isBoolean());
    assertFalse(run.at("/decision/reason").asText().isBlank());
    assertTrue(run.get("duration_ms").asLong() >= 0);
  }

  static void assertFiniteMetrics(JsonNode metrics) {
    for (String m : List.of("mae", "rmse", "r2")) {
      assertTrue(metrics.get(m).isNumber() && Double.isFinite(metrics.get(m).asDouble()), m + " in " + metrics);
    }
    assertTrue(metrics.get("mae").asDouble() >= 0);
    assertTrue(metrics.get("n").asInt() >= 24, metrics.toString());
  }

  static Pointer pointer(String device) throws IOException {
    return Json.MAPPER.readValue(modelsDir.resolve(device).resolve("current_model.json").toFile(), Pointer.class);
  }

  static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static List<String> texts(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(field == null ? n.asText() : n.get(field).asText()));
    return out;
  }

  /** Names in a folder, without dot files (the registry's lock file is not part of the contract). */
  static Set<String> visibleNames(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** Every regular file under a folder, relative, including dot files and temp files. */
  static Set<String> allFiles(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return Set.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }
}
