package com.retrainconsole.ui.versions;

import com.retrainconsole.ui.Dialogs;
import static com.retrainconsole.ui.versions.VersionsViewModel.mae;
import static com.retrainconsole.ui.versions.VersionsViewModel.r2;
import static com.retrainconsole.ui.versions.VersionsViewModel.rmse;

import com.retrainconsole.registry.ModelMeta;
import java.time.ZoneId;
import javafx.beans.binding.Bindings;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.controlsfx.validation.ValidationSupport;
import org.controlsfx.validation.Validator;

/**
 * Confirms a pointer move: shows what changes (from → to, metrics of both) and requires a reason, which
 * goes into the audit ledger. OK stays disabled until a reason is typed. The result is the trimmed reason,
 * or null when cancelled.
 */
final class ChangeDialog extends Dialog<String> {
  static final ButtonType CONFIRM_PROMOTE = new ButtonType("Promote", ButtonBar.ButtonData.OK_DONE);
  static final ButtonType CONFIRM_ROLLBACK = new ButtonType("Roll back", ButtonBar.ButtonData.OK_DONE);

  /** The comparison grid's width: label column, two value columns and the gaps. */
  private static final double CONTENT_WIDTH = 110 + 230 + 230 + 2 * 16;

  private final TextArea reason = new TextArea();

  /**
   * @param action "promote" or "rollback"
   * @param from the version in service now (null when none)
   * @param to the version that will be in service
   * @param rejection why the run that saved {@code to} did not promote it (null when it did not refuse it)
   */
  ChangeDialog(Window owner, String action, String device, ModelMeta from, ModelMeta to, String rejection,
      ZoneId zone) {
    boolean promote = "promote".equals(action);
    ButtonType confirm = promote ? CONFIRM_PROMOTE : CONFIRM_ROLLBACK;
    Dialogs.own(this, owner); // the owner's window and theme
    setTitle(promote ? "Promote a model version" : "Roll back the model in service");
    setHeaderText((promote ? "Promote " : "Roll back ") + device + " to " + to.version() + "?");
    getDialogPane().setId("change-dialog");
    getDialogPane().getStyleClass().add("rc-change-dialog");
    getDialogPane().getButtonTypes().setAll(confirm, ButtonType.CANCEL);

    GridPane grid = new GridPane();
    grid.getStyleClass().add("rc-change-grid");
    grid.setHgap(16);
    grid.setVgap(6);
    grid.getColumnConstraints().addAll(new ColumnConstraints(110), new ColumnConstraints(230),
        new ColumnConstraints(230));
    grid.addRow(0, label(""), heading("In service now"), heading(promote ? "After promotion" : "After rollback"));
    grid.addRow(1, label("Version"), value(from == null ? "none" : from.version(), "change-from"),
        value(to.version(), "change-to"));
    grid.addRow(2, label("Created"), value(from == null ? "" : VersionsViewModel.when(from.createdAt(), zone), null),
        value(VersionsViewModel.when(to.createdAt(), zone), null));
    grid.addRow(3, label("Trainer"), value(from == null ? "" : from.trainer(), null), value(to.trainer(), null));
    grid.addRow(4, label("MAE"), value(from == null ? "" : mae(from.metrics()), null), value(mae(to.metrics()), null));
    grid.addRow(5, label("RMSE"), value(from == null ? "" : rmse(from.metrics()), null),
        value(rmse(to.metrics()), null));
    grid.addRow(6, label("R²"), value(from == null ? "" : r2(from.metrics()), null), value(r2(to.metrics()), null));
    Label note = new Label("Metrics are each version's own holdout at training time; the file of "
        + to.version() + " is checked (sha256) before the pointer moves.");
    note.setId("change-explanation");
    note.getStyleClass().add("rc-muted");
    wrap(note);

    reason.setId("change-reason");
    reason.setPromptText("Why? (required; recorded in the audit ledger with your name)");
    reason.setPrefRowCount(3);
    reason.setWrapText(true);
    Label reasonLabel = new Label("Reason");
    reasonLabel.setLabelFor(reason);
    reasonLabel.getStyleClass().add("rc-field-label");
    VBox content = new VBox(12, grid, note, reasonLabel, reason);
    if (rejection != null) {
      Label refused = new Label("Its run did not promote it: " + rejection);
      refused.setId("change-rejection");
      wrap(refused);
      content.getChildren().add(2, refused);
    }
    // decision: the content has a fixed width (the grid's) so wrapped labels get their height for that width;
    // left to the dialog, the pane could size them for one long line and cut the text with "…"
    content.setPrefWidth(CONTENT_WIDTH);
    content.setMaxWidth(CONTENT_WIDTH);
    getDialogPane().setContent(content);

    Button ok = (Button) getDialogPane().lookupButton(confirm);
    ok.setId("change-ok");
    ok.disableProperty().bind(Bindings.createBooleanBinding(
        () -> reason.getText() == null || reason.getText().isBlank(), reason.textProperty()));
    ((Button) getDialogPane().lookupButton(ButtonType.CANCEL)).setId("change-cancel");
    ValidationSupport validation = new ValidationSupport();
    validation.registerValidator(reason, Validator.createEmptyValidator("A reason is required: it goes into the audit ledger"));
    setResultConverter(b -> b == confirm && !reason.getText().isBlank() ? reason.getText().trim() : null);
    setOnShown(e -> reason.requestFocus());
  }

  private static void wrap(Label l) {
    l.setWrapText(true);
    l.setMaxWidth(CONTENT_WIDTH);
    l.setMinHeight(Region.USE_PREF_SIZE); // never shorter than its wrapped lines
  }

  private static Label label(String text) {
    Label l = new Label(text);
    l.getStyleClass().add("rc-field-label");
    return l;
  }

  private static Label heading(String text) {
    Label l = new Label(text);
    l.getStyleClass().add("rc-change-heading");
    return l;
  }

  private static Node value(String text, String id) {
    Label l = new Label(text == null ? "" : text);
    if (id != null) {
      l.setId(id);
    }
    return l;
  }
}
