package com.retrainconsole.ui.versions;

import com.retrainconsole.ui.Dialogs;
import com.retrainconsole.common.FieldException;
import com.retrainconsole.registry.ModelMeta;
import com.retrainconsole.registry.VersionNotes;
import java.util.Arrays;
import java.util.List;
import javafx.event.ActionEvent;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * Edits the label, note and tags of one version. Enter saves from any field (Shift+Enter breaks a line in
 * the note), Esc cancels. The input is judged by {@link VersionNotes#of} before the dialog closes, so a bad
 * tag is named under the fields instead of after a round trip; the result is the checked notes, or null
 * when cancelled.
 */
final class LabelDialog extends Dialog<VersionNotes> {
  static final ButtonType SAVE = new ButtonType("Save", ButtonBar.ButtonData.OK_DONE);
  private static final double CONTENT_WIDTH = 520;

  private final TextField label = new TextField();
  private final TextArea note = new TextArea();
  private final TextField tags = new TextField();
  private final Label error = new Label();

  LabelDialog(Window owner, String device, VersionItem item) {
    ModelMeta meta = item.meta();
    Dialogs.own(this, owner); // the owner's window and theme
    setTitle("Label and tags");
    setHeaderText("Label, note and tags of " + device + " " + meta.version());
    getDialogPane().setId("label-dialog");
    getDialogPane().getStyleClass().add("rc-change-dialog");
    getDialogPane().getButtonTypes().setAll(SAVE, ButtonType.CANCEL);

    VersionNotes now = meta.notes();
    label.setId("label-text");
    label.setText(now.label() == null ? "" : now.label());
    label.setPromptText("e.g. after soiling clean (at most " + VersionNotes.MAX_LABEL + " characters)");
    note.setId("label-note");
    note.setText(now.note() == null ? "" : now.note());
    note.setWrapText(true);
    note.setPrefRowCount(4);
    note.setPromptText("Anything worth knowing about this version (Shift+Enter for a new line)");
    tags.setId("label-tags");
    tags.setText(String.join(", ", now.tags()));
    tags.setPromptText("e.g. winter, baseline");
    Label tagsHelp = wrapped("Lowercase words of letters, digits, '_' or '-', separated by commas or spaces; at"
        + " most " + VersionNotes.MAX_TAGS + ".");
    tagsHelp.getStyleClass().add("rc-muted");
    error.setId("label-error");
    error.getStyleClass().add("rc-error");
    error.setWrapText(true);
    error.setMinHeight(Region.USE_PREF_SIZE);
    error.managedProperty().bind(error.textProperty().isNotEmpty());

    VBox content = new VBox(6, field("Label", label), label, field("Note", note), note, field("Tags", tags), tags,
        tagsHelp, error);
    if (item.rejected()) {
      Label why = wrapped("Its run did not promote it: " + item.rejection());
      why.setId("label-rejection");
      why.getStyleClass().add("rc-muted");
      content.getChildren().add(0, why);
    }
    content.setPrefWidth(CONTENT_WIDTH);
    content.setMaxWidth(CONTENT_WIDTH);
    getDialogPane().setContent(content);

    Button save = (Button) getDialogPane().lookupButton(SAVE);
    save.setId("label-save");
    ((Button) getDialogPane().lookupButton(ButtonType.CANCEL)).setId("label-cancel");
    save.addEventFilter(ActionEvent.ACTION, e -> {
      try {
        checked();
        error.setText("");
      } catch (FieldException ex) {
        error.setText(ex.getMessage());
        e.consume(); // keeps the dialog open with the fields as typed
      }
    });
    note.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
      if (e.getCode() == KeyCode.ENTER) {
        e.consume();
        if (e.isShiftDown()) {
          note.replaceSelection("\n");
        } else {
          save.fire();
        }
      }
    });
    label.textProperty().addListener((o, was, text) -> error.setText(""));
    tags.textProperty().addListener((o, was, text) -> error.setText(""));
    setResultConverter(b -> b == SAVE ? checked() : null);
    setOnShown(e -> label.requestFocus());
  }

  private VersionNotes checked() {
    return VersionNotes.of(label.getText(), note.getText(), splitTags(tags.getText()));
  }

  static List<String> splitTags(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    return Arrays.stream(text.trim().split("[,\\s]+")).filter(t -> !t.isEmpty()).toList();
  }

  private static Label field(String text, javafx.scene.Node target) {
    Label l = new Label(text);
    l.setLabelFor(target);
    l.getStyleClass().add("rc-field-label");
    return l;
  }

  private static Label wrapped(String text) {
    Label l = new Label(text);
    l.setWrapText(true);
    l.setMinHeight(Region.USE_PREF_SIZE); // a dialog sized to its content must not cut the last line
    return l;
  }
}
