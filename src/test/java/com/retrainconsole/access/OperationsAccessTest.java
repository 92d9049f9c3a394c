package com.retrainconsole.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.app.AppContext;
import com.retrainconsole.common.UserException;
import com.retrainconsole.registry.ModelMeta;
import com.retrainconsole.registry.VersionNotes;
import com.retrainconsole.retrain.RetrainRequest;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import com.retrainconsole.testing.TestModels;
import com.retrainconsole.triggers.TriggerType;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperationsAccessTest {
  @TempDir Path dir;
  AppContext ctx;
  Operations ops;
  final Actor admin = new Actor("ada", Role.ADMIN);
  final Actor operator = new Actor("otto", Role.OPERATOR);
  final Actor analyst = new Actor("anna", Role.ANALYST);
  ModelMeta v1;
  ModelMeta v2;

  @BeforeEach
  void open() {
    ctx = AppContext.open(new AppConfig(null, dir.resolve("data"), dir.resolve("models")), Store.openInMemory(),
        Clock.systemUTC());
    ops = ctx.operations();
    v1 = ctx.registry().saveCandidate("t1", TestModels.train(1), TestModels.draft("t1", "run-1", 10));
    v2 = ctx.registry().saveCandidate("t1", TestModels.train(2), TestModels.draft("t1", "run-2", 9));
    ctx.registry().promote("t1", v1.version(), "ada", "first");
  }

  @AfterEach
  void close() {
    ctx.close();
  }

  @Test
  void an_analyst_may_not_promote_and_the_pointer_stays_where_it_was() {
    AccessDeniedException e = assertThrows(AccessDeniedException.class,
        () -> ops.promote(analyst, "t1", v2.version(), "looks better"));
    assertTrue(e.getMessage().contains("anna has the analyst role and may not promote model versions"),
        e.getMessage());
    assertTrue(e.getMessage().contains("needs the admin role"), e.getMessage());
    assertEquals(v1.version(), ctx.registry().current("t1").orElseThrow().version());
  }

  @Test
  void an_operator_may_not_promote_or_roll_back_or_edit_triggers_but_an_admin_may() {
    assertThrows(AccessDeniedException.class, () -> ops.promote(operator, "t1", v2.version(), "x"));
    assertThrows(AccessDeniedException.class, () -> ops.rollback(operator, "t1", Optional.empty(), "x"));
    assertThrows(AccessDeniedException.class, () -> ops.addTrigger(operator, "t1", TriggerType.INTERVAL,
        new Document("every", "PT6H"), null));
    assertEquals(0, ctx.store().collection(Collections.TRIGGERS).countDocuments());

    assertEquals(v2.version(), ops.promote(admin, "t1", v2.version(), "lower MAE").version());
    assertEquals(v1.version(), ops.rollback(admin, "t1", Optional.empty(), "customer complaint").version());
  }

  @Test
  void promote_without_a_reason_is_refused_with_a_message_naming_the_reason() {
    UserException e = assertThrows(UserException.class, () -> ops.promote(admin, "t1", v2.version(), "  "));
    assertTrue(e.getMessage().contains("a reason is required"), e.getMessage());
    assertEquals(v1.version(), ctx.registry().current("t1").orElseThrow().version());
  }

  @Test
  void an_analyst_may_not_queue_a_retrain_and_nothing_is_queued() {
    RetrainRequest req = new RetrainRequest("t1", 7, null, com.retrainconsole.training.TrainerKind.CART, false,
        "manual", "test", "otto");
    assertThrows(AccessDeniedException.class, () -> ops.enqueueRetrain(analyst, req));
    assertEquals(0, ctx.store().collection(Collections.RUN_QUEUE).countDocuments());
    assertEquals(0, ctx.store().collection(Collections.MODEL_RUNS).countDocuments());
    ops.enqueueRetrain(operator, req);
    assertEquals(1, ctx.store().collection(Collections.RUN_QUEUE).countDocuments());
  }

  @Test
  void retry_queues_a_linked_run_for_a_failed_one_and_refuses_a_completed_one() {
    Document failed = ctx.runs().startInline("t1", new Document("type", "manual"), new Document("days", 7));
    String failedId = failed.getString("run_id");
    ctx.runs().finish(failedId, RunStatus.FAILED, new Document("error", "boom"));
    assertThrows(AccessDeniedException.class, () -> ops.retryRun(analyst, failedId));

    var retry = ops.retryRun(operator, failedId);
    Document queued = ctx.runs().require(retry.runId());
    assertEquals(failedId, queued.getString("retry_of"));
    assertEquals("pending", queued.getString("status"));
    assertEquals(7, queued.get("params", Document.class).getInteger("days"));

    Document done = ctx.runs().startInline("t1", new Document("type", "manual"), new Document("days", 7));
    ctx.runs().finish(done.getString("run_id"), RunStatus.COMPLETED, new Document());
    UserException e = assertThrows(UserException.class, () -> ops.retryRun(operator, done.getString("run_id")));
    assertTrue(e.getMessage().contains("only failed or timed-out runs can be retried"), e.getMessage());
  }

  @Test
  void the_local_user_is_admin_on_the_embedded_store_until_an_admin_changes_the_stored_role() {
    UserDirectory users = ctx.users();
    assertEquals(Role.ADMIN, users.resolve("someone").role());
    users.grant(admin, "someone", Role.ANALYST);
    assertEquals(Role.ANALYST, users.resolve("someone").role());
    assertThrows(AccessDeniedException.class, () -> users.grant(operator, "someone", Role.ADMIN));
    UserException self = assertThrows(UserException.class, () -> users.grant(admin, "ada", Role.OPERATOR));
    assertTrue(self.getMessage().contains("own admin role"), self.getMessage());
  }

  @Test
  void an_operator_labels_a_version_of_their_site_an_analyst_may_not_and_another_sites_device_is_not_found() {
    ops.addDevice(admin, "n1", com.retrainconsole.devices.DeviceChanges.none().withSite("north"));
    ops.addDevice(admin, "s1", com.retrainconsole.devices.DeviceChanges.none().withSite("south"));
    ModelMeta north = ctx.registry().saveCandidate("n1", TestModels.train(1), TestModels.draft("n1", "run-n", 10));
    ModelMeta south = ctx.registry().saveCandidate("s1", TestModels.train(1), TestModels.draft("s1", "run-s", 10));
    Actor northOperator = new Actor("olaf", null, java.util.Map.of("north", Role.OPERATOR));
    Actor northAnalyst = new Actor("ann", null, java.util.Map.of("north", Role.ANALYST));
    VersionNotes notes = new VersionNotes("after soiling clean", "washed", java.util.List.of("winter", "Baseline"));

    ModelMeta saved = ops.labelVersion(northOperator, "n1", north.version(), notes);
    assertEquals(new VersionNotes("after soiling clean", "washed", java.util.List.of("winter", "baseline")),
        saved.notes());
    assertEquals(saved.notes(), ctx.registry().meta("n1", north.version()).notes());
    Document entry = ctx.store().collection(Collections.AUDIT).find(new Document("action", "label_version")).first();
    assertEquals("olaf", entry.getString("actor"));
    assertEquals("n1", entry.getString("device_id"));
    assertEquals(north.version(), entry.get("details", Document.class).getString("version"));
    assertEquals(java.util.List.of("winter", "baseline"), entry.get("details", Document.class).getList("tags",
        String.class));

    AccessDeniedException denied = assertThrows(AccessDeniedException.class,
        () -> ops.labelVersion(northAnalyst, "n1", north.version(), VersionNotes.NONE));
    assertTrue(denied.getMessage().contains("may not label, annotate or tag model versions"), denied.getMessage());
    com.retrainconsole.common.NotFoundException hidden = assertThrows(com.retrainconsole.common.NotFoundException.class,
        () -> ops.labelVersion(northOperator, "s1", south.version(), notes));
    assertTrue(hidden.getMessage().contains("Unknown device 's1'"), hidden.getMessage());
    assertEquals(VersionNotes.NONE, ctx.registry().meta("s1", south.version()).notes());
    assertEquals(saved.notes(), ctx.registry().meta("n1", north.version()).notes(), "a refusal changes nothing");

    com.retrainconsole.common.FieldException bad = assertThrows(com.retrainconsole.common.FieldException.class,
        () -> ops.labelVersion(northOperator, "n1", north.version(),
            new VersionNotes("x", null, java.util.List.of("summer sale!"))));
    assertEquals("tags", bad.field());
    assertTrue(bad.getMessage().startsWith("tags: 'summer sale!' is not a tag"), bad.getMessage());
    assertEquals(saved.notes(), ctx.registry().meta("n1", north.version()).notes());
    assertEquals(1, ctx.store().collection(Collections.AUDIT).countDocuments(new Document("action", "label_version")));

    UserException unknown = assertThrows(UserException.class,
        () -> ops.labelVersion(northOperator, "n1", "20200101T000000Z-abcdef", notes));
    assertTrue(unknown.getMessage().contains("has no model version 20200101T000000Z-abcdef"), unknown.getMessage());
  }
}
