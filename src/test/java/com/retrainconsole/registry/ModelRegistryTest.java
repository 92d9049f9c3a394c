package com.retrainconsole.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.retrainconsole.audit.MongoAuditLog;
import com.retrainconsole.audit.PointerMove;
import com.retrainconsole.common.Json;
import com.retrainconsole.common.UserException;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import com.retrainconsole.testing.SettableClock;
import com.retrainconsole.testing.TestModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.impl.ArrayExample;
import org.tribuo.regression.Regressor;

class ModelRegistryTest {
  private static final String DEVICE = "tracker-07";
  private static Store store;
  private static Model<Regressor> modelA;
  private static Model<Regressor> modelB;
  private static Model<Regressor> modelC;

  @TempDir Path temp;
  private Path modelsDir;
  private SettableClock clock;
  private MongoAuditLog audit;
  private ModelRegistry registry;

  @BeforeAll
  static void startStoreAndTrainModels() {
    store = Store.openInMemory();
    modelA = TestModels.train(1);
    modelB = TestModels.train(2);
    modelC = TestModels.train(3);
  }

  @AfterAll
  static void stopStore() {
    store.close();
  }

  @BeforeEach
  void freshRegistry() {
    store.collection(Collections.AUDIT).deleteMany(new Document());
    modelsDir = temp.resolve("models");
    clock = new SettableClock(Instant.parse("2026-11-22T18:30:00Z"));
    audit = new MongoAuditLog(store, clock);
    registry = new ModelRegistry(modelsDir, audit, clock);
  }

  private ModelMeta save(Model<Regressor> model, String runId) {
    clock.advance(Duration.ofMinutes(1));
    return registry.saveCandidate(DEVICE, model, TestModels.draft(DEVICE, runId, 40.5));
  }

  @Test
  void saves_candidate_in_contract_layout_with_sha256_and_size() throws Exception {
    ModelMeta meta = save(modelA, "run-1");

    Path versions = modelsDir.resolve(DEVICE).resolve("versions");
    Path modelFile = versions.resolve(meta.version() + ".tribuo");
    Path metaFile = versions.resolve(meta.version() + ".meta.json");
    assertTrue(Files.isRegularFile(modelFile));
    assertTrue(Files.isRegularFile(metaFile));
    assertTrue(ModelVersions.isVersionId(meta.version()), meta.version());
    assertTrue(meta.version().startsWith("20261122T183100Z-"), meta.version());
    byte[] bytes = Files.readAllBytes(modelFile);
    String sha = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    assertEquals(sha, meta.sha256());
    assertEquals(bytes.length, meta.sizeBytes());
    assertEquals(Stage.CANDIDATE, meta.stage());
    assertEquals(DEVICE, meta.deviceId());
    assertEquals(Instant.parse("2026-11-22T18:31:00Z"), meta.createdAt());
    assertFalse(Files.exists(modelsDir.resolve(DEVICE).resolve("current_model.json")));
    try (Stream<Path> files = Files.list(versions)) {
      assertEquals(2, files.count(), "only the model and its meta");
    }
  }

  @Test
  void meta_file_uses_snake_case_fields_and_reads_back_equal() throws Exception {
    ModelMeta meta = save(modelA, "run-1");

    JsonNode json = Json.MAPPER.readTree(registry.metaFile(DEVICE, meta.version()).toFile());
    Set<String> fields = new TreeSet<>();
    json.fieldNames().forEachRemaining(fields::add);
    assertEquals(
        new TreeSet<>(
            List.of(
                "version", "device_id", "run_id", "created_at", "trainer", "params", "feature_spec",
                "data", "metrics", "champion_metrics", "champion_source", "champion_version",
                "mae_by_hour", "sha256", "size_bytes", "stage", "stage_history")),
        fields);
    assertEquals("candidate", json.get("stage").asText());
    assertEquals("2026-11-22T18:31:00Z", json.get("created_at").asText());
    assertEquals(384, json.get("data").get("train_rows").asInt());
    assertEquals(96, json.get("data").get("test_rows").asInt());
    assertEquals(40.5, json.get("metrics").get("mae").asDouble());
    assertEquals(24, json.get("mae_by_hour").size());
    assertEquals("1,24", json.get("feature_spec").get("lags_h").asText());
    assertEquals("naive_baseline", json.get("champion_source").asText());

    ModelMeta read = registry.meta(DEVICE, meta.version());
    assertEquals(meta.sha256(), read.sha256());
    assertEquals(meta.metrics(), read.metrics());
    assertEquals(meta.data(), read.data());
    assertEquals(meta.featureSpec(), read.featureSpec());
    assertArrayEquals(meta.maeByHour(), read.maeByHour());
    assertTrue(Double.isNaN(read.maeByHour()[0]), "hours without rows stay NaN");
    assertEquals(4, ((Number) read.params().get("max_depth")).intValue());
  }

  @Test
  void pointer_file_has_exactly_the_contract_field_names() throws Exception {
    ModelMeta a = save(modelA, "run-1");
    ModelMeta b = save(modelB, "run-2");
    registry.promote(DEVICE, a.version(), "alice", "first model");
    clock.advance(Duration.ofMinutes(5));
    registry.promote(DEVICE, b.version(), "bob", "beats champion");

    JsonNode json = Json.MAPPER.readTree(modelsDir.resolve(DEVICE).resolve("current_model.json").toFile());
    List<String> fields = new ArrayList<>();
    json.fieldNames().forEachRemaining(fields::add);
    assertEquals(
        List.of("version", "file", "sha256", "promoted_at", "promoted_by", "reason", "previous_version"),
        fields);
    assertEquals(b.version(), json.get("version").asText());
    assertEquals("versions/" + b.version() + ".tribuo", json.get("file").asText());
    assertEquals(b.sha256(), json.get("sha256").asText());
    assertEquals("2026-11-22T18:37:00Z", json.get("promoted_at").asText());
    assertEquals("bob", json.get("promoted_by").asText());
    assertEquals("beats champion", json.get("reason").asText());
    assertEquals(a.version(), json.get("previous_version").asText());
  }

  @Test
  void loads_current_model_that_predicts_like_the_saved_one() {
    ModelMeta a = save(modelA, "run-1");
    registry.promote(DEVICE, a.version(), "alice", "first model");

    LoadedModel loaded = registry.loadCurrent(DEVICE);

    assertEquals(a.version(), loaded.meta().version());
    assertEquals(a.version(), loaded.pointer().version());
    ArrayExample<Regressor> x =
        new ArrayExample<>(new Regressor("power_w", Double.NaN), new String[] {"a", "b"}, new double[] {4, 5});
    assertEquals(
        modelA.predict(x).getOutput().getValues()[0], loaded.model().predict(x).getOutput().getValues()[0]);
  }

  @Test
  void load_refuses_a_model_file_whose_sha256_does_not_match() throws Exception {
    ModelMeta a = save(modelA, "run-1");
    registry.promote(DEVICE, a.version(), "alice", "first model");
    Path file = registry.modelFile(DEVICE, a.version());
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(file, bytes);

    UserException current = assertThrows(UserException.class, () -> registry.loadCurrent(DEVICE));
    assertTrue(current.getMessage().contains("sha256 mismatch"), current.getMessage());
    assertTrue(current.getMessage().contains("modified or corrupted"), current.getMessage());
    assertTrue(current.getMessage().contains("rollback --device " + DEVICE), current.getMessage());
    UserException byVersion =
        assertThrows(UserException.class, () -> registry.load(DEVICE, a.version()));
    assertTrue(byVersion.getMessage().contains("sha256 mismatch"), byVersion.getMessage());
  }

  @Test
  void load_current_refuses_a_missing_model_file_and_suggests_rollback() throws Exception {
    ModelMeta a = save(modelA, "run-1");
    registry.promote(DEVICE, a.version(), "alice", "first model");
    Files.delete(registry.modelFile(DEVICE, a.version()));

    UserException e = assertThrows(UserException.class, () -> registry.loadCurrent(DEVICE));

    assertTrue(
        e.getMessage().contains("for version " + a.version() + " of device " + DEVICE + " is missing"),
        e.getMessage());
    assertTrue(e.getMessage().contains("current_model.json"), e.getMessage());
    assertTrue(e.getMessage().contains("`rollback --device " + DEVICE + "`"), e.getMessage());
  }

  @Test
  void unparseable_pointer_file_gives_an_error_naming_the_file_and_the_fix() throws Exception {
    ModelMeta a = save(modelA, "run-1");
    registry.promote(DEVICE, a.version(), "alice", "first model");
    Files.writeString(registry.pointerFile(DEVICE), "{\"version\": \"2026");

    UserException e = assertThrows(UserException.class, () -> registry.loadCurrent(DEVICE));

    assertTrue(e.getMessage().contains("current_model.json is not valid JSON"), e.getMessage());
    assertTrue(e.getMessage().contains("rollback --device " + DEVICE + " --to"), e.getMessage());
    assertTrue(e.getMessage().contains(a.version()), "lists known versions: " + e.getMessage());
  }

  @Test
  void pointer_naming_a_file_outside_the_layout_is_refused() throws Exception {
    ModelMeta a = save(modelA, "run-1");
    registry.promote(DEVICE, a.version(), "alice", "first model");
    String json = Files.readString(registry.pointerFile(DEVICE));
    Files.writeString(
        registry.pointerFile(DEVICE), json.replace("versions/" + a.version(), "../../etc/" + a.version()));

    UserException e = assertThrows(UserException.class, () -> registry.loadCurrent(DEVICE));
    assertTrue(e.getMessage().contains("names file \"../../etc/"), e.getMessage());
  }

  @Test
  void promote_repoints_and_archives_the_previous_production_version() {
    ModelMeta a = save(modelA, "run-1");
    ModelMeta b = save(modelB, "run-2");
    Pointer first = registry.promote(DEVICE, a.version(), "alice", "first model");
    assertNull(first.previousVersion());
    assertEquals(Stage.PRODUCTION, registry.meta(DEVICE, a.version()).stage());

    clock.advance(Duration.ofHours(1));
    Pointer second = registry.promote(DEVICE, b.version(), "bob", "MAE 38 <= 40 x 1.1");

    assertEquals(b.version(), second.version());
    assertEquals(a.version(), second.previousVersion());
    assertEquals(b.version(), registry.current(DEVICE).orElseThrow().version());
    ModelMeta archived = registry.meta(DEVICE, a.version());
    assertEquals(Stage.ARCHIVED, archived.stage());
    assertEquals(
        List.of(Stage.CANDIDATE, Stage.PRODUCTION, Stage.ARCHIVED),
        archived.stageHistory().stream().map(StageChange::stage).collect(Collectors.toList()));
    assertEquals(Stage.PRODUCTION, registry.meta(DEVICE, b.version()).stage());

    List<PointerMove> moves = audit.history(DEVICE);
    assertEquals(2, moves.size());
    PointerMove last = moves.get(1);
    assertEquals("promote", last.action());
    assertEquals(a.version(), last.fromVersion());
    assertEquals(b.version(), last.toVersion());
    assertEquals("bob", last.actor());
    assertEquals("MAE 38 <= 40 x 1.1", last.reason());
    assertEquals(second.promotedAt(), last.at());
  }

  @Test
  void promote_requires_a_reason() {
    ModelMeta a = save(modelA, "run-1");
    UserException e =
        assertThrows(UserException.class, () -> registry.promote(DEVICE, a.version(), "alice", "  "));
    assertTrue(e.getMessage().contains("reason is required"), e.getMessage());
    assertTrue(registry.current(DEVICE).isEmpty());
  }

  @Test
  void promote_refuses_a_tampered_version_and_keeps_the_model_in_service() throws Exception {
    ModelMeta a = save(modelA, "run-1");
    ModelMeta b = save(modelB, "run-2");
    registry.promote(DEVICE, a.version(), "alice", "first model");
    Files.write(registry.modelFile(DEVICE, b.version()), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);

    UserException e =
        assertThrows(UserException.class, () -> registry.promote(DEVICE, b.version(), "bob", "better"));

    assertTrue(e.getMessage().contains("sha256 mismatch"), e.getMessage());
    assertEquals(a.version(), registry.current(DEVICE).orElseThrow().version());
    assertEquals(a.version(), registry.loadCurrent(DEVICE).meta().version());
    assertEquals(Stage.CANDIDATE, registry.meta(DEVICE, b.version()).stage());
    assertEquals(1, audit.history(DEVICE).size());
  }

  @Test
  void rollback_returns_to_the_previous_production_version() {
    ModelMeta a = save(modelA, "run-1");
    ModelMeta b = save(modelB, "run-2");
    registry.promote(DEVICE, a.version(), "alice", "first model");
    registry.promote(DEVICE, b.version(), "alice", "better");
    clock.advance(Duration.ofHours(2));

    Pointer back = registry.rollback(DEVICE, Optional.empty(), "carol", "b underpredicts at noon");

    assertEquals(a.version(), back.version());
    assertEquals(b.version(), back.previousVersion());
    assertEquals("carol", back.promotedBy());
    assertEquals(a.version(), registry.loadCurrent(DEVICE).meta().version());
    assertEquals(Stage.PRODUCTION, registry.meta(DEVICE, a.version()).stage());
    assertEquals(Stage.ARCHIVED, registry.meta(DEVICE, b.version()).stage());
    PointerMove last = audit.history(DEVICE).get(2);
    assertEquals("rollback", last.action());
    assertEquals(b.version(), last.fromVersion());
    assertEquals(a.version(), last.toVersion());
    assertEquals("b underpredicts at noon", last.reason());
  }

  @Test
  void rollback_to_a_chosen_version_verifies_it_first() throws Exception {
    ModelMeta a = save(modelA, "run-1");
    ModelMeta b = save(modelB, "run-2");
    ModelMeta c = save(modelC, "run-3");
    registry.promote(DEVICE, a.version(), "alice", "first");
    registry.promote(DEVICE, b.version(), "alice", "second");
    registry.promote(DEVICE, c.version(), "alice", "third");
    Files.delete(registry.modelFile(DEVICE, b.version()));

    UserException missing =
        assertThrows(
            UserException.class,
            () -> registry.rollback(DEVICE, Optional.of(b.version()), "carol", "go back"));
    assertTrue(missing.getMessage().contains("is missing"), missing.getMessage());
    assertEquals(c.version(), registry.current(DEVICE).orElseThrow().version());

    Pointer back = registry.rollback(DEVICE, Optional.of(a.version()), "carol", "go back to a");
    assertEquals(a.version(), back.version());
    assertEquals(c.version(), back.previousVersion());
  }

  @Test
  void rollback_without_a_previous_version_names_the_known_versions() {
    ModelMeta a = save(modelA, "run-1");
    ModelMeta b = save(modelB, "run-2");
    registry.promote(DEVICE, a.version(), "alice", "first model");

    UserException e =
        assertThrows(
            UserException.class, () -> registry.rollback(DEVICE, Optional.empty(), "carol", "oops"));

    assertTrue(
        e.getMessage().contains("no previous production version to roll back to; pick one with --to"),
        e.getMessage());
    assertTrue(e.getMessage().contains(a.version()) && e.getMessage().contains(b.version()), e.getMessage());
  }

  @Test
  void rollback_with_nothing_in_service_is_refused() {
    save(modelA, "run-1");
    UserException e =
        assertThrows(
            UserException.class, () -> registry.rollback(DEVICE, Optional.empty(), "carol", "oops"));
    assertTrue(e.getMessage().contains("no model in service"), e.getMessage());
  }

  @Test
  void label_note_and_tags_round_trip_through_the_meta_file_and_leave_the_model_file_alone() throws Exception {
    ModelMeta a = save(modelA, "run-1");
    ModelMeta b = save(modelB, "run-2");
    Path modelFile = registry.modelFile(DEVICE, a.version());
    byte[] modelBytes = Files.readAllBytes(modelFile);
    assertEquals(VersionNotes.NONE, a.notes());

    VersionNotes notes = VersionNotes.of(" after soiling clean ", "panels washed on the 3rd\nsecond line",
        List.of("Winter", "baseline", "winter"));
    ModelMeta saved = registry.setNotes(DEVICE, a.version(), notes);

    VersionNotes expected = new VersionNotes("after soiling clean", "panels washed on the 3rd\nsecond line",
        List.of("winter", "baseline"));
    assertEquals(expected, saved.notes());
    // a fresh registry reads them from disk, a stage change and a promotion keep them
    ModelRegistry reopened = new ModelRegistry(modelsDir, audit, clock);
    assertEquals(expected, reopened.meta(DEVICE, a.version()).notes());
    reopened.setStage(DEVICE, a.version(), Stage.STAGING, "dave", "shadow test");
    reopened.promote(DEVICE, a.version(), "dave", "first");
    assertEquals(expected, registry.meta(DEVICE, a.version()).notes());
    assertEquals(expected, registry.list(DEVICE).stream().filter(m -> m.version().equals(a.version())).findFirst()
        .orElseThrow().notes());
    assertEquals(VersionNotes.NONE, registry.meta(DEVICE, b.version()).notes(), "only the named version changes");
    assertArrayEquals(modelBytes, Files.readAllBytes(modelFile));
    assertEquals(a.version(), registry.loadCurrent(DEVICE).meta().version()); // sha256 still verifies

    registry.setNotes(DEVICE, a.version(), VersionNotes.NONE);
    assertEquals(VersionNotes.NONE, registry.meta(DEVICE, a.version()).notes());
  }

  @Test
  void a_meta_file_written_before_labels_existed_reads_as_no_label_and_no_tags() throws Exception {
    ModelMeta a = save(modelA, "run-1");
    Path metaFile = registry.metaFile(DEVICE, a.version());
    com.fasterxml.jackson.databind.node.ObjectNode json =
        (com.fasterxml.jackson.databind.node.ObjectNode) com.retrainconsole.common.Json.MAPPER.readTree(
            Files.readAllBytes(metaFile));
    json.remove(List.of("label", "note", "tags"));
    Files.write(metaFile, com.retrainconsole.common.Json.MAPPER.writeValueAsBytes(json));

    ModelMeta old = registry.meta(DEVICE, a.version());
    assertEquals(VersionNotes.NONE, old.notes());
    assertEquals(List.of("winter"), registry.setNotes(DEVICE, a.version(), VersionNotes.of(null, null,
        List.of("winter"))).tags());
  }

  @Test
  void bad_labels_notes_and_tags_are_refused_naming_the_field_and_the_rule() {
    com.retrainconsole.common.FieldException label = assertThrows(com.retrainconsole.common.FieldException.class,
        () -> VersionNotes.of("x".repeat(81), null, List.of()));
    assertEquals("label", label.field());
    assertTrue(label.getMessage().contains("at most 80"), label.getMessage());
    com.retrainconsole.common.FieldException note = assertThrows(com.retrainconsole.common.FieldException.class,
        () -> VersionNotes.of(null, "y".repeat(2001), List.of()));
    assertEquals("note", note.field());
    assertTrue(note.getMessage().contains("at most 2000"), note.getMessage());
    com.retrainconsole.common.FieldException tag = assertThrows(com.retrainconsole.common.FieldException.class,
        () -> VersionNotes.of(null, null, List.of("ok", "not ok!")));
    assertEquals("tags", tag.field());
    assertTrue(tag.getMessage().contains("'not ok!' is not a tag"), tag.getMessage());
    com.retrainconsole.common.FieldException many = assertThrows(com.retrainconsole.common.FieldException.class,
        () -> VersionNotes.of(null, null, java.util.stream.IntStream.range(0, 11).mapToObj(i -> "t" + i).toList()));
    assertTrue(many.getMessage().contains("at most 10"), many.getMessage());
    assertThrows(com.retrainconsole.common.FieldException.class,
        () -> VersionNotes.of(null, null, List.of("x".repeat(33))));
    assertEquals(32, VersionNotes.of(null, null, List.of("x".repeat(32))).tags().get(0).length());
  }

  @Test
  void set_stage_moves_a_candidate_to_staging_but_never_to_production() {
    ModelMeta a = save(modelA, "run-1");
    ModelMeta b = save(modelB, "run-2");
    registry.promote(DEVICE, a.version(), "alice", "first");

    ModelMeta staged = registry.setStage(DEVICE, b.version(), Stage.STAGING, "dave", "shadow test");

    assertEquals(Stage.STAGING, staged.stage());
    assertEquals(Stage.STAGING, registry.meta(DEVICE, b.version()).stage());
    assertThrows(
        UserException.class, () -> registry.setStage(DEVICE, b.version(), Stage.PRODUCTION, "dave", "x"));
    UserException inService =
        assertThrows(
            UserException.class,
            () -> registry.setStage(DEVICE, a.version(), Stage.ARCHIVED, "dave", "x"));
    assertTrue(inService.getMessage().contains("is in service"), inService.getMessage());
    Document entry =
        store.collection(Collections.AUDIT).find(new Document("action", "set_stage")).first();
    assertNotNull(entry);
    assertEquals("dave", entry.getString("actor"));
    assertEquals("staging", entry.get("details", Document.class).getString("to_stage"));
    assertEquals(1 /* the promote */, audit.history(DEVICE).size(), "stage changes are not pointer moves");
  }

  @Test
  void version_at_answers_which_version_served_at_each_moment() {
    ModelMeta a = save(modelA, "run-1");
    ModelMeta b = save(modelB, "run-2");
    ModelMeta c = save(modelC, "run-3");
    Instant beforeAll = clock.instant();
    Instant t1 = clock.advance(Duration.ofHours(1));
    registry.promote(DEVICE, a.version(), "alice", "first");
    Instant t2 = clock.advance(Duration.ofHours(1));
    registry.promote(DEVICE, b.version(), "alice", "second");
    Instant t3 = clock.advance(Duration.ofHours(1));
    registry.rollback(DEVICE, Optional.empty(), "carol", "back to a");
    Instant t4 = clock.advance(Duration.ofHours(1));
    registry.promote(DEVICE, c.version(), "alice", "third");

    assertEquals(Optional.empty(), registry.versionAt(DEVICE, beforeAll));
    assertEquals(Optional.of(a.version()), registry.versionAt(DEVICE, t1));
    assertEquals(Optional.of(a.version()), registry.versionAt(DEVICE, t2.minusMillis(1)));
    assertEquals(Optional.of(b.version()), registry.versionAt(DEVICE, t2));
    assertEquals(Optional.of(b.version()), registry.versionAt(DEVICE, t3.minusSeconds(60)));
    assertEquals(Optional.of(a.version()), registry.versionAt(DEVICE, t3.plusSeconds(60)));
    assertEquals(Optional.of(c.version()), registry.versionAt(DEVICE, t4));
    assertEquals(Optional.of(c.version()), registry.versionAt(DEVICE, t4.plus(Duration.ofDays(30))));
  }

  @Test
  void reconciles_the_audit_trail_after_a_crash_between_pointer_and_ledger() throws Exception {
    ModelMeta a = save(modelA, "run-1");
    ModelMeta b = save(modelB, "run-2");
    ModelMeta c = save(modelC, "run-3");
    registry.promote(DEVICE, a.version(), "alice", "first");
    Instant t2 = clock.advance(Duration.ofHours(1));
    registry.promote(DEVICE, b.version(), "alice", "second");
    // What a promote of c that died right after the pointer rename leaves behind: the new pointer, no
    // ledger entry, stale stages in the meta files.
    Instant crashAt = Instant.parse("2026-11-23T09:15:00.123Z");
    Pointer crashed =
        new Pointer(
            c.version(), "versions/" + c.version() + ".tribuo", c.sha256(), crashAt, "scheduler",
            "candidate MAE 30.1 <= champion MAE 40.5 x 1.10 = 44.6", b.version());
    AtomicFiles.write(registry.pointerFile(DEVICE), Json.MAPPER.writeValueAsBytes(crashed));

    ModelRegistry restarted = new ModelRegistry(modelsDir, new MongoAuditLog(store, clock), clock);
    assertEquals(c.version(), restarted.loadCurrent(DEVICE).meta().version());

    List<PointerMove> moves = audit.history(DEVICE);
    assertEquals(3, moves.size());
    PointerMove reconciled = moves.get(2);
    assertEquals("reconciled", reconciled.action());
    assertEquals(b.version(), reconciled.fromVersion());
    assertEquals(c.version(), reconciled.toVersion());
    assertEquals("scheduler", reconciled.actor());
    assertEquals(crashAt, reconciled.at());
    assertEquals(Optional.of(b.version()), restarted.versionAt(DEVICE, crashAt.minusMillis(1)));
    assertEquals(Optional.of(c.version()), restarted.versionAt(DEVICE, crashAt));
    assertEquals(Optional.of(b.version()), restarted.versionAt(DEVICE, t2));
    assertEquals(Stage.PRODUCTION, restarted.meta(DEVICE, c.version()).stage());
    assertEquals(Stage.ARCHIVED, restarted.meta(DEVICE, b.version()).stage());

    // A second registry (another process) must not append the entry again.
    new ModelRegistry(modelsDir, new MongoAuditLog(store, clock), clock).current(DEVICE);
    assertEquals(3, audit.history(DEVICE).size());
  }

  @Test
  void promote_succeeds_when_the_audit_store_is_down_and_the_entry_is_reconciled_later() {
    ModelMeta a = save(modelA, "run-1");
    Store downStore = Store.openInMemory();
    ModelRegistry withDownAudit = new ModelRegistry(modelsDir, new MongoAuditLog(downStore, clock), clock);
    downStore.close();

    Pointer p = withDownAudit.promote(DEVICE, a.version(), "alice", "first");

    assertEquals(a.version(), p.version());
    assertEquals(Optional.of(a.version()), registry.versionAt(DEVICE, p.promotedAt()));
    assertEquals("reconciled", audit.history(DEVICE).get(0).action());
  }

  @Test
  void retention_deletes_the_oldest_but_keeps_current_and_previous_production() throws Exception {
    List<ModelMeta> saved = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      saved.add(save(i % 2 == 0 ? modelA : modelB, "run-" + i));
    }
    // oldest two are in service and previous production
    registry.promote(DEVICE, saved.get(0).version(), "alice", "first");
    registry.promote(DEVICE, saved.get(1).version(), "alice", "second");

    List<String> deleted = registry.applyRetention(DEVICE, 2);

    assertEquals(List.of(saved.get(3).version(), saved.get(2).version()), deleted);
    List<String> left = registry.list(DEVICE).stream().map(ModelMeta::version).collect(Collectors.toList());
    assertEquals(
        List.of(saved.get(5).version(), saved.get(4).version(), saved.get(1).version(), saved.get(0).version()),
        left);
    for (String gone : deleted) {
      assertFalse(Files.exists(registry.modelFile(DEVICE, gone)));
      assertFalse(Files.exists(registry.metaFile(DEVICE, gone)));
    }
    assertEquals(saved.get(1).version(), registry.loadCurrent(DEVICE).meta().version());
    assertEquals(List.of(), registry.applyRetention(DEVICE, 2), "nothing more to delete");
    assertEquals(1, store.collection(Collections.AUDIT).countDocuments(new Document("action", "retention_delete")));
  }

  @Test
  void list_is_newest_first_and_unknown_version_names_known_ones() {
    ModelMeta a = save(modelA, "run-1");
    ModelMeta b = save(modelB, "run-2");

    assertEquals(
        List.of(b.version(), a.version()),
        registry.list(DEVICE).stream().map(ModelMeta::version).collect(Collectors.toList()));
    UserException e =
        assertThrows(UserException.class, () -> registry.meta(DEVICE, "20200101T000000Z-abcdef"));
    assertTrue(e.getMessage().contains("has no model version 20200101T000000Z-abcdef"), e.getMessage());
    assertTrue(e.getMessage().contains(b.version() + ", " + a.version()), e.getMessage());
    assertEquals(List.of(), registry.list("other-device"));
  }

  @Test
  void unwritable_models_folder_fails_before_training() throws Exception {
    // decision: tests run as root, where chmod does not stop writes; a regular file where the models
    // folder's parent should be makes creation fail for everyone.
    Path blocker = temp.resolve("not-a-folder");
    Files.writeString(blocker, "x");
    ModelRegistry blocked = new ModelRegistry(blocker.resolve("models"), audit, clock);

    UserException e = assertThrows(UserException.class, () -> blocked.checkWritable(DEVICE));

    assertTrue(e.getMessage().contains(blocker.resolve("models").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("cannot be written"), e.getMessage());
    assertTrue(e.getMessage().contains("--models-dir"), e.getMessage());
    assertThrows(
        UserException.class,
        () -> blocked.saveCandidate(DEVICE, modelA, TestModels.draft(DEVICE, "run-1", 40)));
  }

  @Test
  void failed_save_leaves_no_files_behind() throws Exception {
    Map<String, Object> params = new HashMap<>();
    params.put("unserializable", new Object()); // Jackson refuses: the meta write fails after the model
    ModelMeta good = TestModels.draft(DEVICE, "run-1", 40);
    ModelMeta bad =
        ModelMeta.draft(
            DEVICE, "run-1", "cart", params, good.featureSpec(), good.data(), good.metrics(), null,
            null, null, good.maeByHour());

    assertThrows(Exception.class, () -> registry.saveCandidate(DEVICE, modelA, bad));

    try (Stream<Path> files = Files.list(registry.versionsDir(DEVICE))) {
      assertEquals(List.of(), files.collect(Collectors.toList()));
    }
  }

  @Test
  void cleans_temp_files_and_models_without_meta_on_first_use() throws Exception {
    ModelMeta a = save(modelA, "run-1");
    registry.promote(DEVICE, a.version(), "alice", "first");
    Path versions = registry.versionsDir(DEVICE);
    Path strayTemp = versions.resolve(".20261122T190000Z-aaaaaa.tribuo.1234.tmp");
    Path strayPointerTemp = registry.deviceDir(DEVICE).resolve(".current_model.json.99.tmp");
    Path orphanModel = versions.resolve("20261122T190000Z-bbbbbb.tribuo");
    Files.writeString(strayTemp, "half");
    Files.writeString(strayPointerTemp, "{\"vers");
    Files.copy(registry.modelFile(DEVICE, a.version()), orphanModel);

    ModelRegistry restarted = new ModelRegistry(modelsDir, audit, clock);
    assertEquals(a.version(), restarted.current(DEVICE).orElseThrow().version());

    assertFalse(Files.exists(strayTemp));
    assertFalse(Files.exists(strayPointerTemp));
    assertFalse(Files.exists(orphanModel));
    assertTrue(Files.exists(registry.modelFile(DEVICE, a.version())));
  }

  @Test
  void device_ids_that_could_escape_the_models_folder_are_refused() {
    for (String bad : List.of("../etc", "a/b", "..", ".", ".hidden", "", "a b", "dev\\x")) {
      UserException e = assertThrows(UserException.class, () -> registry.checkWritable(bad), bad);
      assertTrue(e.getMessage().contains("is not valid"), e.getMessage());
    }
    assertThrows(UserException.class, () -> registry.load(DEVICE, "../../x"));
    registry.checkWritable("Site_3.tracker-12");
    assertTrue(Files.isDirectory(modelsDir.resolve("Site_3.tracker-12").resolve("versions")));
  }

  @Test
  void atomic_write_replaces_content_and_leaves_no_temp_file() throws IOException {
    Path target = temp.resolve("x.json");
    AtomicFiles.write(target, "one".getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(target, "two".getBytes(StandardCharsets.UTF_8));
    assertEquals("two", Files.readString(target));
    try (Stream<Path> files = Files.list(temp)) {
      Iterator<Path> it = files.iterator();
      assertEquals(target, it.next());
      assertFalse(it.hasNext());
    }
  }
}
