package com.retrainconsole.ui.overview;

import com.retrainconsole.ui.Dialogs;
import com.retrainconsole.access.Permission;
import com.retrainconsole.retrain.RetrainRequest;
import com.retrainconsole.training.TrainerKind;
import com.retrainconsole.ui.ConsoleModel;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import javafx.util.StringConverter;

/**
 * Retrain with options…: trainer, days of data, end of the window and dry run, starting from the defaults
 * of {@code retrain-console train} (so the console and the CLI agree on what "no options" means). OK stays
 * disabled while a field is wrong, and the message names the field and what it accepts.
 */
public final class RetrainOptionsDialog extends Dialog<RetrainOptionsDialog.Options> {
  static final ButtonType START = new ButtonType("Start", ButtonBar.ButtonData.OK_DONE);
  /** Longest window offered; training on more than ten years of 15-minute data is not what this is for. */
  static final int MAX_DAYS = 3650;
  static final DateTimeFormatter UNTIL_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

  /** What the user chose; {@code until} null means the device's newest reading. */
  public record Options(TrainerKind trainer, int days, Instant until, boolean dryRun) {}

  /** The fields' text read back: the options, or the problems to show (never both). */
  record Checked(Options options, List<String> problems) {}

  private final ComboBox<TrainerKind> trainer = new ComboBox<>();
  private final TextField days = new TextField(Integer.toString(RetrainRequest.DEFAULT_DAYS));
  private final TextField until = new TextField();
  private final CheckBox dryRun = new CheckBox("Dry run: train and evaluate, but keep no model and move no pointer");
  private final Label problems = new Label();

  RetrainOptionsDialog(Window owner, String deviceId, ZoneId zone) {
    Dialogs.own(this, owner); // the owner's window and theme
    setTitle("Retrain with options");
    setHeaderText("Retrain " + deviceId);
    getDialogPane().setId("retrain-options-dialog");
    getDialogPane().getButtonTypes().setAll(START, ButtonType.CANCEL);

    trainer.setId("retrain-options-trainer");
    trainer.getItems().setAll(TrainerKind.values());
    trainer.setValue(TrainerKind.DEFAULT);
    trainer.setConverter(new StringConverter<>() {
      @Override
      public String toString(TrainerKind k) {
        return k == null ? "" : k.id();
      }

      @Override
      public TrainerKind fromString(String s) {
        return TrainerKind.parse(s);
      }
    });
    days.setId("retrain-options-days");
    until.setId("retrain-options-until");
    until.setPromptText("empty: the newest reading");
    dryRun.setId("retrain-options-dry-run");
    problems.setId("retrain-options-problems");
    problems.getStyleClass().add("rc-field-error");
    problems.setWrapText(true);
    problems.setMaxWidth(460);
    problems.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);

    GridPane grid = new GridPane();
    grid.setHgap(12);
    grid.setVgap(8);
    grid.addRow(0, label("Trainer", trainer), trainer);
    grid.addRow(1, label("Days of data", days), days);
    grid.addRow(2, label("Until (" + zone.getId() + ")", until), until);
    Label untilHint = new Label("yyyy-MM-dd HH:mm or yyyy-MM-dd; the window is the days before this time");
    untilHint.getStyleClass().add("rc-muted");
    untilHint.setWrapText(true);
    untilHint.setMaxWidth(300);
    grid.add(untilHint, 1, 3);
    getDialogPane().setContent(new VBox(10, grid, dryRun, problems));

    Button start = (Button) getDialogPane().lookupButton(START);
    start.setId("retrain-options-start");
    ((Button) getDialogPane().lookupButton(ButtonType.CANCEL)).setId("retrain-options-cancel");
    var checked = Bindings.createObjectBinding(() -> check(days.getText(), until.getText(), zone),
        days.textProperty(), until.textProperty());
    problems.textProperty().bind(Bindings.createStringBinding(
        () -> String.join("\n", checked.get().problems()), checked));
    start.disableProperty().bind(Bindings.createBooleanBinding(() -> checked.get().options() == null, checked));
    setResultConverter(b -> {
      Checked c = check(days.getText(), until.getText(), zone);
      return b == START && c.options() != null
          ? new Options(trainer.getValue(), c.options().days(), c.options().until(), dryRun.isSelected()) : null;
    });
  }

  /**
   * Opens the dialog for {@code deviceId} and, when the user starts, retrains through the console's one
   * retrain path (progress and Cancel in the status bar). Call on the FX thread.
   */
  public static void open(ConsoleModel model, String deviceId, Window owner) {
    if (deviceId == null || !model.canOn(Permission.RETRAIN, deviceId)) {
      return;
    }
    RetrainOptionsDialog dialog = new RetrainOptionsDialog(owner, deviceId, ZoneId.systemDefault());
    dialog.showAndWait().ifPresent(o -> model.retrain(new RetrainRequest(deviceId, o.days(), o.until(),
        o.trainer(), o.dryRun(), "manual", "requested in the console with options by " + model.actor().user(),
        model.actor().user())));
  }

  /** Reads the two text fields; each problem names its field and what it accepts. */
  static Checked check(String daysText, String untilText, ZoneId zone) {
    List<String> out = new ArrayList<>();
    int n = 0;
    String d = daysText == null ? "" : daysText.trim();
    if (d.isEmpty()) {
      out.add("Days of data: enter a whole number of days from 1 to " + MAX_DAYS + " (the CLI's default is "
          + RetrainRequest.DEFAULT_DAYS + ").");
    } else {
      try {
        n = Integer.parseInt(d);
        if (n < 1 || n > MAX_DAYS) {
          out.add("Days of data: " + n + " is out of range; enter 1 to " + MAX_DAYS + ".");
        }
      } catch (NumberFormatException e) {
        out.add("Days of data: '" + d + "' is not a whole number; enter e.g. " + RetrainRequest.DEFAULT_DAYS + ".");
      }
    }
    Instant end = null;
    String u = untilText == null ? "" : untilText.trim();
    if (!u.isEmpty()) {
      try {
        end = u.length() <= 10 ? LocalDate.parse(u).atStartOfDay(zone).toInstant()
            : LocalDateTime.parse(u, UNTIL_FORMAT).atZone(zone).toInstant();
      } catch (DateTimeParseException e) {
        out.add("Until: '" + u + "' is not a date like 2026-06-01 or a time like 2026-06-01 14:30; "
            + "leave it empty for the newest reading.");
      }
    }
    return out.isEmpty() ? new Checked(new Options(null, n, end, false), List.of()) : new Checked(null, out);
  }

  private static Label label(String text, javafx.scene.Node field) {
    Label l = new Label(text);
    l.setLabelFor(field);
    l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
    return l;
  }
}
