package com.retrainconsole.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.access.Actor;
import com.retrainconsole.access.Role;
import com.retrainconsole.audit.PointerMove;
import com.retrainconsole.registry.ModelMeta;
import com.retrainconsole.registry.ModelRegistry.FileCheck;
import com.retrainconsole.registry.Pointer;
import com.retrainconsole.registry.VersionNotes;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.retrain.RetrainRequest;
import com.retrainconsole.training.TrainerKind;
import com.retrainconsole.ui.versions.VersionItem;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Versions view over tracker01 with two real versions: the fixture's model in service and a second one
 * trained here and kept out of service (rolled back in the fixture if the policy promoted it).
 */
class VersionsViewTest extends ConsoleFxTest {
  static String first;
  static String second;

  @BeforeAll
  static void train_a_second_version_kept_out_of_service() {
    first = ctx.registry().current("tracker01").orElseThrow().version();
    var outcome = ctx.retrain().run(new RetrainRequest("tracker01", 5, null, TrainerKind.CART, false, "manual",
        "second version for the versions view", "test"), (s, f) -> {});
    if (!outcome.completed()) {
      throw new IllegalStateException("second version did not train: " + outcome.run().stored().toJson());
    }
    second = ctx.registry().list("tracker01").get(0).version();
    if (!ctx.registry().current("tracker01").orElseThrow().version().equals(first)) {
      ctx.registry().rollback("tracker01", Optional.of(first), "test", "fixture: keep the first in service");
    }
  }

  @Test
  void promote_with_a_reason_moves_the_pointer_verifies_and_shows_in_the_ledger_and_rollback_restores_it()
      throws Exception {
    openVersions("tracker01");
    selectVersion(second);
    clickOn("#versions-promote");
    waitUntil(5, () -> lookup("#change-reason").tryQuery().isPresent());
    assertEquals(first, this.<Label>node("#change-from").getText());
    assertEquals(second, this.<Label>node("#change-to").getText());
    clickOn("#change-reason").write("beats champion");
    dialogScreenshot("versions-promote-dialog-light");
    clickOn("#change-ok");

    waitUntil(15, () -> second.equals(pointer().version()));
    Pointer p = ctx.registry().current("tracker01").orElseThrow();
    assertEquals(second, p.version());
    assertEquals(first, p.previousVersion());
    assertEquals(second, ctx.registry().loadCurrent("tracker01").meta().version()); // sha256 verified on load
    waitUntil(10, () -> !ledger().getItems().isEmpty() && second.equals(ledger().getItems().get(0).toVersion()));
    PointerMove top = ledger().getItems().get(0);
    assertEquals(PointerMove.PROMOTE, top.action());
    assertEquals(first, top.fromVersion());
    assertEquals(model.actor().user(), top.actor());
    assertEquals("beats champion", top.reason());
    waitUntil(10, () -> item(second) != null && item(second).inService());
    screenshot("versions-light");

    clickOn("#versions-rollback");
    waitUntil(5, () -> lookup("#change-reason").tryQuery().isPresent());
    assertEquals(first, this.<Label>node("#change-to").getText());
    clickOn("#change-reason").write("prefer old");
    clickOn("#change-ok");

    waitUntil(15, () -> first.equals(pointer().version()));
    assertEquals(first, ctx.registry().loadCurrent("tracker01").meta().version());
    waitUntil(10, () -> PointerMove.ROLLBACK.equals(ledger().getItems().get(0).action()));
    assertEquals(first, ledger().getItems().get(0).toVersion());
    assertEquals("prefer old", ledger().getItems().get(0).reason());
    interact(() -> window.applyTheme(Theme.DARK));
    screenshot("versions-dark");
  }

  @Test
  void ok_stays_disabled_without_a_reason_and_cancel_changes_nothing() throws Exception {
    openVersions("tracker01");
    Pointer before = pointer();
    int moves = ctx.audit().history("tracker01").size();
    selectVersion(nonServing());
    clickOn("#versions-promote");
    waitUntil(5, () -> lookup("#change-ok").tryQuery().isPresent());
    Button ok = node("#change-ok");
    assertTrue(ok.isDisabled(), "OK is enabled with an empty reason");
    clickOn("#change-reason").write("   ");
    assertTrue(ok.isDisabled(), "OK is enabled with a blank reason");
    clickOn("#change-reason").write("x");
    assertFalse(ok.isDisabled(), "OK stays disabled with a reason");
    clickOn("#change-cancel");
    waitUntil(5, () -> "Nothing changed.".equals(this.<Label>node("#versions-message").getText()));
    assertEquals(before, pointer());
    assertEquals(moves, ctx.audit().history("tracker01").size());
  }

  @Test
  void a_promotion_the_registry_refuses_shows_its_message_and_leaves_the_pointer() throws Exception {
    openVersions("tracker01");
    Pointer before = pointer();
    String target = nonServing();
    selectVersion(target);
    clickOn("#versions-promote");
    waitUntil(5, () -> lookup("#change-reason").tryQuery().isPresent());
    clickOn("#change-reason").write("try it");
    java.nio.file.Path file = ctx.registry().modelFile("tracker01", target);
    byte[] good = java.nio.file.Files.readAllBytes(file);
    try {
      // tampered after the view checked it: the registry's own sha256 check must refuse the move
      java.nio.file.Files.write(file, new byte[] {9}, java.nio.file.StandardOpenOption.APPEND);
      clickOn("#change-ok");
      waitUntil(15, () -> this.<Label>node("#versions-message").getText().contains("sha256"));
      assertTrue(this.<Label>node("#versions-message").getStyleClass().contains("rc-error"));
      assertEquals(before, pointer());
    } finally {
      java.nio.file.Files.write(file, good);
    }
  }

  @Test
  void an_analyst_sees_versions_and_the_ledger_but_no_promote_or_rollback() throws Exception {
    Stage stage = FxToolkit.registerPrimaryStage();
    ConsoleModel analyst = new ConsoleModel(ctx, SMALL, new Actor("anna", Role.ANALYST));
    try {
      FxToolkit.setupFixture(() -> window = new MainWindow(stage, analyst, prefs).show());
      WaitForAsyncUtils.waitForFxEvents();
      openVersions("tracker01");
      waitUntil(10, () -> item(first) != null);
      assertFalse(this.<Node>node("#versions-promote").isVisible());
      assertFalse(this.<Node>node("#versions-rollback").isVisible());
      assertFalse(this.<Node>node("#versions-rollback-to").isVisible());
      assertTrue(this.<Node>node("#versions-open-run").isVisible());
      assertFalse(ledger().getItems().isEmpty());
    } finally {
      analyst.close();
    }
  }

  @Test
  void in_service_at_a_time_between_two_promotions_shows_and_selects_the_version_then_in_service()
      throws Exception {
    String other = nonServing();
    String serving = pointer().version();
    ctx.operations().promote(model.actor(), "tracker01", other, "lookup test: promote");
    Instant promotedAt = ctx.registry().current("tracker01").orElseThrow().promotedAt();
    Thread.sleep(20); // setup only: the two moves need distinct milliseconds to put a time between them
    ctx.operations().rollback(model.actor(), "tracker01", Optional.of(serving), "lookup test: restore");
    Instant restoredAt = ctx.registry().current("tracker01").orElseThrow().promotedAt();
    Instant between = promotedAt.plusMillis((restoredAt.toEpochMilli() - promotedAt.toEpochMilli()) / 2);
    assertTrue(between.isAfter(promotedAt.minusMillis(1)) && between.isBefore(restoredAt));

    openVersions("tracker01");
    clickOn("#versions-at").write("22/11/2026 14:30").type(javafx.scene.input.KeyCode.ENTER);
    waitUntil(5, () -> this.<Label>node("#versions-at-error").getText().contains("yyyy-MM-dd HH:mm"));

    String local = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
        .format(between.atZone(ZoneId.systemDefault()));
    interact(() -> this.<javafx.scene.control.TextField>node("#versions-at").clear());
    clickOn("#versions-at").write(local);
    clickOn("#versions-at-lookup");
    try {
      waitUntil(10, () -> this.<Label>node("#versions-at-result").getText().startsWith(other));
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("looked up " + this.<javafx.scene.control.TextField>node("#versions-at").getText()
          + ": result '" + this.<Label>node("#versions-at-result").getText() + "', error '"
          + this.<Label>node("#versions-at-error").getText() + "'; expected " + other, e);
    }
    assertEquals("", this.<Label>node("#versions-at-error").getText());
    waitUntil(5, () -> {
      VersionItem sel = versions().getSelectionModel().getSelectedItem();
      return sel != null && sel.version().equals(other);
    });
    assertNotEquals(other, pointer().version());
  }

  @Test
  void a_tampered_model_file_shows_sha256_mismatch_a_deleted_one_file_missing_and_neither_can_be_promoted()
      throws Exception {
    var loaded = ctx.registry().load("tracker01", first);
    ModelMeta m = loaded.meta();
    ModelMeta saved = ctx.registry().saveCandidate("tracker03", loaded.model(), ModelMeta.draft("tracker03", null,
        m.trainer(), m.params(), m.featureSpec(), m.data(), m.metrics(), null, null, null, m.maeByHour()));
    java.nio.file.Path file = ctx.registry().modelFile("tracker03", saved.version());
    java.nio.file.Files.write(file, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);

    clickOn("#nav-VERSIONS");
    interact(() -> model.selectedDeviceProperty().set("tracker03"));
    waitUntil(10, () -> item(saved.version()) != null);
    assertEquals(FileCheck.MISMATCH, item(saved.version()).file());
    assertTrue(lookup(".table-cell").match(n -> n instanceof javafx.scene.control.Labeled l
        && "sha256 mismatch".equals(l.getText())).tryQuery().isPresent(), "no mismatch shown");
    selectVersion(saved.version());
    assertTrue(this.<Button>node("#versions-promote").isDisabled(), "a tampered version can be promoted");

    java.nio.file.Files.delete(file);
    interact(model::requestRefresh);
    waitUntil(10, () -> item(saved.version()) != null && item(saved.version()).file() == FileCheck.MISSING);
    assertTrue(this.<Button>node("#versions-promote").isDisabled());
  }

  @Test
  void label_and_tags_edited_in_the_dialog_show_in_the_table_a_bad_tag_is_named_and_esc_cancels() throws Exception {
    openVersions("tracker01");
    selectVersion(second);
    clickOn("#versions-label");
    waitUntil(5, () -> lookup("#label-text").tryQuery().isPresent());
    clickOn("#label-text").write("after soiling clean");
    clickOn("#label-tags").write("winter, Bad!").type(KeyCode.ENTER); // Enter saves, but the tag is refused
    waitUntil(5, () -> this.<Label>node("#label-error").getText().contains("'Bad!' is not a tag"));
    assertTrue(lookup("#label-dialog").tryQuery().isPresent(), "the dialog closed on a bad tag");
    interact(() -> this.<TextField>node("#label-tags").setText("winter baseline"));
    clickOn("#label-note").write("panels washed on the 3rd");
    assertTrue(this.<TextArea>node("#label-note").isWrapText());
    dialogScreenshot("#label-dialog", "versions-label-dialog-light");
    type(KeyCode.ENTER); // Enter in the note saves too

    waitUntil(10, () -> lookup("#label-dialog").tryQuery().isEmpty());
    waitUntil(15, () -> "after soiling clean".equals(item(second).meta().label()));
    assertTrue(lookup(".table-cell").match(n -> n instanceof Labeled l && "after soiling clean".equals(l.getText()))
        .tryQuery().isPresent(), "label not shown in the table");
    assertEquals(List.of("winter", "baseline"), lookup(".rc-tag").queryAll().stream()
        .filter(n -> n.isVisible() && n.getScene() == window.scene()).map(n -> ((Labeled) n).getText()).toList(),
        "tags not shown as chips in the table");
    var notes = ctx.registry().meta("tracker01", second).notes();
    assertEquals(new VersionNotes("after soiling clean", "panels washed on the 3rd", List.of("winter", "baseline")),
        notes);
    var audited = ctx.store().collection(com.retrainconsole.store.Collections.AUDIT)
        .find(new org.bson.Document("action", "label_version")).first();
    assertEquals(model.actor().user(), audited.getString("actor"));
    screenshot("versions-labels-light");

    selectVersion(second);
    clickOn("#versions-label");
    waitUntil(5, () -> lookup("#label-text").tryQuery().isPresent());
    assertEquals("winter, baseline", this.<TextField>node("#label-tags").getText());
    clickOn("#label-text").write(" and more");
    type(KeyCode.ESCAPE);
    waitUntil(5, () -> "Nothing changed.".equals(this.<Label>node("#versions-message").getText()));
    assertEquals(notes, ctx.registry().meta("tracker01", second).notes());
  }

  @Test
  void a_candidate_its_retrain_refused_shows_as_rejected_with_the_reason_in_the_table_and_the_promote_dialog()
      throws Exception {
    // the champion: boosted trees over all 5 days; the candidate: binned CART over the 3 days before the last,
    // whose holdout the champion trained on, so the promotion rule refuses it on the same rows
    var champion = ctx.retrain().run(new RetrainRequest("tracker02", 5, null, TrainerKind.XGBOOST, false, "manual",
        "champion", "test"), (st, f) -> {});
    assertTrue(champion.completed() && champion.run().decision().isPromoted(), "champion: " + champion.run());
    Instant dayBefore = ctx.clock().instant().truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS);
    var worse = ctx.retrain().run(new RetrainRequest("tracker02", 3, dayBefore, TrainerKind.CART, false, "manual",
        "worse candidate", "test"), (st, f) -> {});
    assertTrue(worse.completed(), "candidate run: " + worse.run());
    RunRecord.Decision decision = worse.run().decision();
    assertFalse(decision.isPromoted(), "the promotion rule accepted the candidate: " + decision.reason());
    String rejected = worse.run().model().version();
    String reason = decision.reason();
    assertTrue(reason.contains("> champion MAE"), reason);

    clickOn("#nav-VERSIONS");
    interact(() -> model.selectedDeviceProperty().set("tracker02"));
    waitUntil(15, () -> item(rejected) != null && item(rejected).rejected());
    assertEquals(reason, item(rejected).rejection());
    String championVersion = champion.run().model().version();
    assertFalse(item(championVersion).rejected(), "the champion is not rejected");
    Labeled stageCell = lookup(".table-cell").match(n -> n instanceof Labeled l && "rejected".equals(l.getText()))
        .query();
    assertTrue(stageCell.getTooltip().getText().contains(reason), stageCell.getTooltip().getText());
    assertEquals(1L, versions().getItems().stream().filter(VersionItem::rejected).count());
    screenshot("versions-rejected-light");

    selectVersion(rejected);
    clickOn("#versions-promote");
    waitUntil(5, () -> lookup("#change-rejection").tryQuery().isPresent());
    Label why = node("#change-rejection");
    assertEquals("Its run did not promote it: " + reason, why.getText());
    waitUntil(5, () -> drawnText(why).equals(why.getText()));
    clickOn("#change-cancel");
  }

  @Test
  void the_promote_dialog_explanation_wraps_whole_at_1366x768_and_1024x600_and_in_a_clamped_dialog()
      throws Exception {
    for (double[] size : new double[][] {{1366, 768}, {1024, 600}}) {
      interact(() -> {
        javafx.stage.Stage s = (javafx.stage.Stage) window.scene().getWindow();
        s.setWidth(size[0]);
        s.setHeight(size[1]);
      });
      WaitForAsyncUtils.waitForFxEvents();
      openVersions("tracker01");
      selectVersion(nonServing());
      clickOn("#versions-promote");
      waitUntil(5, () -> lookup("#change-dialog").tryQuery().isPresent());
      Label explanation = lookup("#change-dialog .label").match(n -> n instanceof Label l
          && l.getText().startsWith("Metrics are each version's own holdout")).query();
      assertTrue(explanation.isWrapText());
      waitUntil(5, () -> explanation.getHeight() > 0 && drawnText(explanation).equals(explanation.getText()));
      javafx.geometry.Bounds b = explanation.localToScreen(explanation.getBoundsInLocal());
      javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
      assertTrue(b.getWidth() <= Math.min(size[0], screen.getWidth()), "explanation " + b);
      dialogScreenshot("#change-dialog", "versions-promote-dialog-" + (int) size[0] + "x" + (int) size[1]);
      // a short screen clamps the dialog below its preferred height: the reason box gives way, not the text
      interact(() -> explanation.getScene().getWindow().setHeight(360));
      WaitForAsyncUtils.waitForFxEvents();
      waitUntil(5, () -> explanation.getScene().getWindow().getHeight() <= 361);
      assertEquals(explanation.getText(), drawnText(explanation), "explanation cut in a dialog 360 px high");
      clickOn("#change-cancel");
      waitUntil(5, () -> lookup("#change-dialog").tryQuery().isEmpty());
    }
  }

  /** What the label draws: its LabeledText child's text ("…" when cut). */
  private static String drawnText(Labeled l) {
    return l.lookupAll(".text").stream().filter(n -> n instanceof javafx.scene.text.Text)
        .map(n -> ((javafx.scene.text.Text) n).getText()).findFirst().orElse("");
  }

  /** The confirmation dialog is its own window: snapshot its scene. */
  private void dialogScreenshot(String name) throws Exception {
    dialogScreenshot("#change-dialog", name);
  }

  private void dialogScreenshot(String query, String name) throws Exception {
    javafx.scene.image.WritableImage[] image = new javafx.scene.image.WritableImage[1];
    interact(() -> image[0] = this.<Node>node(query).getScene().snapshot(null));
    java.nio.file.Path dir = java.nio.file.Path.of("target", "screenshots");
    java.nio.file.Files.createDirectories(dir);
    javax.imageio.ImageIO.write(javafx.embed.swing.SwingFXUtils.fromFXImage(image[0], null), "png",
        dir.resolve(name + ".png").toFile());
  }

  private void openVersions(String device) throws Exception {
    clickOn("#nav-VERSIONS");
    interact(() -> model.selectedDeviceProperty().set(device));
    waitUntil(10, () -> item(first) != null && item(second) != null);
  }

  private void selectVersion(String version) throws Exception {
    waitUntil(10, () -> item(version) != null);
    Node cell = lookup(".table-cell").match(n -> n instanceof javafx.scene.control.Labeled l
        && version.equals(l.getText())).query();
    clickOn(cell);
    waitUntil(5, () -> {
      VersionItem sel = versions().getSelectionModel().getSelectedItem();
      return sel != null && sel.version().equals(version);
    });
  }

  private String nonServing() {
    String serving = pointer().version();
    return serving.equals(first) ? second : first;
  }

  private Pointer pointer() {
    return ctx.registry().current("tracker01").orElseThrow();
  }

  @SuppressWarnings("unchecked")
  private <T extends Node> T node(String query) {
    return (T) lookup(query).query();
  }

  private TableView<VersionItem> versions() {
    return node("#versions-table");
  }

  private TableView<PointerMove> ledger() {
    return node("#versions-ledger");
  }

  private VersionItem item(String version) {
    List<VersionItem> items = List.copyOf(versions().getItems());
    return items.stream().filter(v -> v.version().equals(version)).findFirst().orElse(null);
  }
}
