package com.retrainconsole.ui.devices;

import com.retrainconsole.ui.Styles;
import com.retrainconsole.common.Durations;
import com.retrainconsole.common.FieldException;
import com.retrainconsole.common.UserException;
import com.retrainconsole.features.FeatureSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * Edits a device's feature spec: a checkbox per available field for the raw inputs, time features on or
 * off, lags and rolling windows as editable rows (field + duration such as {@code 1h}, checked as typed),
 * whether the spec is the derived default, and "Reset to default". Control ids start with a prefix
 * ({@code edit}, {@code add}) so the edit form and the add flow can be on screen together.
 */
final class FeatureSpecEditor {
  private final String prefix;
  private final VBox root = new VBox(6);
  private final FlowPane inputsBox = new FlowPane(14, 6);
  private final Map<String, CheckBox> inputs = new TreeMap<>();
  private final CheckBox timeBox = new CheckBox("Time of day and day of year (sin/cos in the site's zone)");
  private final VBox lagsBox = new VBox(4);
  private final VBox rollingBox = new VBox(4);
  private final List<DurationRow> lags = new ArrayList<>();
  private final List<DurationRow> rolling = new ArrayList<>();
  private final Label derivedLabel = new Label();
  private final Button resetButton = new Button("Reset to default");
  private final Label inputsError = errorLabel();
  private final Label lagsError = errorLabel();
  private final Label rollingError = errorLabel();
  private final Label specError = errorLabel();
  private final Label featuresLabel = new Label();
  private final BooleanProperty changed = new SimpleBooleanProperty(this, "changed");
  private List<String> fieldChoices = List.of();
  private FeatureSpec derivedDefault;
  private boolean storedSpec;
  private boolean resetRequested;
  private boolean filling;
  private Duration lagTolerance;
  private String target = "power_w";
  private Set<String> fields = Set.of();
  private boolean forecast;

  FeatureSpecEditor(String prefix) {
    this.prefix = prefix;
    inputsError.setId(prefix + "-inputs-error");
    lagsError.setId(prefix + "-lags-error");
    rollingError.setId(prefix + "-rolling-error");
    specError.setId(prefix + "-spec-error");
    root.getStyleClass().add("rc-spec-editor");
    root.setId(prefix + "-spec-editor");
    derivedLabel.setId(prefix + "-spec-derived");
    derivedLabel.getStyleClass().add("rc-spec-badge");
    derivedLabel.visibleProperty().bind(derivedLabel.textProperty().isNotEmpty()); // no empty badge before a device is chosen
    derivedLabel.setMinWidth(Region.USE_PREF_SIZE);
    resetButton.setId(prefix + "-spec-reset");
    resetButton.setMinWidth(Region.USE_PREF_SIZE);
    resetButton.setOnAction(e -> resetToDefault());
    timeBox.setId(prefix + "-time-features");
    timeBox.setMnemonicParsing(false);
    timeBox.setWrapText(true);
    timeBox.selectedProperty().addListener((o, was, now) -> edited());
    inputsBox.setId(prefix + "-inputs");
    featuresLabel.setId(prefix + "-spec-features");
    featuresLabel.getStyleClass().add("rc-muted");
    featuresLabel.setWrapText(true);
    featuresLabel.setMinHeight(Region.USE_PREF_SIZE);
    Button addLag = new Button("Add lag");
    addLag.setId(prefix + "-add-lag");
    addLag.setOnAction(e -> addRow(lags, lagsBox, "lag", defaultField(), "1h", true));
    Button addRolling = new Button("Add rolling window");
    addRolling.setId(prefix + "-add-rolling");
    addRolling.setOnAction(e -> addRow(rolling, rollingBox, "rolling", defaultField(), "1h", true));
    HBox head = new HBox(10, title("Feature spec"), derivedLabel, spacer(), resetButton);
    head.setAlignment(Pos.CENTER_LEFT);
    Label inputsHint = hint("Raw inputs: the fields the model reads as they are (the target is never one).");
    Label lagsHint = hint("Lags: a field's value this long before the row (e.g. 1h, 15m, 1d).");
    Label rollingHint = hint("Rolling windows: trailing mean and spread of a field over this long.");
    root.getChildren().addAll(head, inputsHint, inputsBox, inputsError, timeBox, lagsHint, lagsBox,
        new HBox(8, addLag), lagsError, rollingHint, rollingBox, new HBox(8, addRolling), rollingError, specError,
        featuresLabel);
  }

  VBox root() {
    return root;
  }

  BooleanProperty changedProperty() {
    return changed;
  }

  /**
   * Shows {@code spec}; {@code derived} when nobody stored one. {@code fields} are the device's fields with
   * readings (the input and lag choices); {@code forecast} shapes the derived default.
   */
  void load(FeatureSpec spec, boolean derived, Set<String> fields, boolean forecast) {
    filling = true;
    try {
      target = spec.target();
      this.fields = Set.copyOf(fields);
      this.forecast = forecast;
      storedSpec = !derived;
      resetRequested = false;
      lagTolerance = spec.lagTolerance();
      derivedDefault = FeatureSpec.derived(spec.target(), fields, forecast);
      Set<String> choices = new TreeSet<>(fields);
      choices.addAll(spec.requiredFields());
      fieldChoices = List.copyOf(choices);
      inputs.clear();
      inputsBox.getChildren().clear();
      Set<String> inputChoices = new TreeSet<>(fields);
      inputChoices.addAll(spec.inputs());
      inputChoices.remove(spec.target());
      for (String f : inputChoices) {
        CheckBox box = new CheckBox(f + (fields.contains(f) ? "" : " (no readings)"));
        box.setId(prefix + "-input-" + f);
        box.setMnemonicParsing(false); // field names have underscores
        box.setSelected(spec.inputs().contains(f));
        box.selectedProperty().addListener((o, was, now) -> edited());
        inputs.put(f, box);
        inputsBox.getChildren().add(box);
      }
      if (inputChoices.isEmpty()) {
        inputsBox.getChildren().add(hint("No fields with readings besides the target yet."));
      }
      timeBox.setSelected(spec.timeOfDay() || spec.dayOfYear());
      fill(lags, lagsBox, "lag", spec.lags().stream().map(l -> new String[] {l.field(), shortText(l.lag())}).toList());
      fill(rolling, rollingBox, "rolling",
          spec.rolling().stream().map(r -> new String[] {r.field(), shortText(r.window())}).toList());
      clearErrors();
      changed.set(false);
    } finally {
      filling = false;
    }
    updateState();
  }

  private static String shortText(Duration d) {
    return DevicesViewModel.shortText(d);
  }

  private void fill(List<DurationRow> rows, VBox box, String kind, List<String[]> values) {
    rows.clear();
    box.getChildren().clear();
    for (String[] v : values) {
      addRow(rows, box, kind, v[0], v[1], false);
    }
  }

  private String defaultField() {
    return fieldChoices.contains(target) ? target : fieldChoices.isEmpty() ? target : fieldChoices.get(0);
  }

  private void addRow(List<DurationRow> rows, VBox box, String kind, String field, String duration, boolean focus) {
    DurationRow row = new DurationRow(kind, rows.size(), field, duration);
    row.remove.setOnAction(e -> {
      rows.remove(row);
      box.getChildren().remove(row.root);
      edited();
    });
    rows.add(row);
    box.getChildren().add(row.root);
    if (focus) {
      row.duration.requestFocus();
      edited();
    }
  }

  private void resetToDefault() {
    if (derivedDefault == null) {
      return;
    }
    load(derivedDefault, true, fields, forecast);
    // load() treats the default as the device's own; remember that a stored spec is to be dropped
    resetRequested = true;
    storedSpec = false;
    changed.set(true);
    updateState();
  }

  private void edited() {
    if (filling) {
      return;
    }
    changed.set(true);
    updateState();
  }

  /** Refreshes the badge, the inline duration checks and the feature names the spec would produce. */
  private void updateState() {
    boolean isDefault = derivedDefault != null && sameAsDefault();
    if (resetRequested && isDefault) {
      derivedLabel.setText("Derived default (reset, not saved)");
    } else if (!storedSpec && !changed.get()) {
      derivedLabel.setText("Derived default");
    } else if (changed.get()) {
      derivedLabel.setText(storedSpec ? "Stored spec, edited" : "Custom (not saved)");
    } else {
      derivedLabel.setText("Stored spec");
    }
    derivedLabel.setTooltip(new Tooltip("Derived default: built from the fields with readings and follows them;"
        + " a stored spec stays as saved."));
    resetButton.setDisable(!storedSpec && !changed.get());
    lags.forEach(DurationRow::check);
    rolling.forEach(DurationRow::check);
    try {
      featuresLabel.setText("Features: " + DevicesViewModel.featuresText(build(target)));
      specError.setText("");
    } catch (RuntimeException e) {
      featuresLabel.setText("");
    }
  }

  private boolean sameAsDefault() {
    try {
      FeatureSpec now = build(target);
      return now.inputs().equals(derivedDefault.inputs()) && now.lags().equals(derivedDefault.lags())
          && now.rolling().equals(derivedDefault.rolling()) && now.timeOfDay() == derivedDefault.timeOfDay();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** True when nothing should be saved for the spec: a derived default left alone. */
  boolean untouchedDefault() {
    return !storedSpec && !changed.get();
  }

  /** True when the user asked for the derived default again (drop the stored spec on save). */
  boolean resetRequested() {
    return resetRequested && sameAsDefault();
  }

  /** The spec the editor shows, aimed at {@code newTarget}; FieldException naming the part that is wrong. */
  FeatureSpec build(String newTarget) {
    List<String> in = new ArrayList<>();
    inputs.forEach((f, box) -> {
      if (box.isSelected() && !f.equals(newTarget)) {
        in.add(f);
      }
    });
    List<FeatureSpec.Lag> lagList = new ArrayList<>();
    for (DurationRow r : lags) {
      lagList.add(new FeatureSpec.Lag(fieldOf(r, newTarget), parse(r, "feature_spec.lags")));
    }
    List<FeatureSpec.Rolling> rollList = new ArrayList<>();
    for (DurationRow r : rolling) {
      rollList.add(new FeatureSpec.Rolling(fieldOf(r, newTarget), parse(r, "feature_spec.rolling")));
    }
    try {
      boolean time = timeBox.isSelected();
      FeatureSpec spec = new FeatureSpec(newTarget, in, time, time, lagList, rollList, lagTolerance);
      List<String> names = spec.featureNames();
      if (new LinkedHashSet<>(names).size() != names.size()) {
        throw new FieldException("feature_spec", "the spec repeats a lag or rolling window; remove the duplicate");
      }
      return spec;
    } catch (FieldException e) {
      throw e;
    } catch (UserException e) {
      throw new FieldException("feature_spec", e.getMessage());
    }
  }

  /** A lag on the old target follows a new one, as the core does when the target changes. */
  private String fieldOf(DurationRow r, String newTarget) {
    String f = r.field.getValue();
    return f != null && f.equals(target) ? newTarget : f;
  }

  private static Duration parse(DurationRow r, String key) {
    try {
      Duration d = Durations.parse(r.duration.getText());
      if (d.isZero() || d.isNegative()) {
        throw new FieldException(key, "a duration must be longer than zero");
      }
      return d;
    } catch (FieldException e) {
      throw e;
    } catch (UserException e) {
      throw new FieldException(key, e.getMessage());
    }
  }

  void clearErrors() {
    for (Label l : List.of(inputsError, lagsError, rollingError, specError)) {
      show(l, "");
    }
  }

  /** Shows a save's FieldException beside its part of the editor; false when it is not about the spec. */
  boolean showError(String field, String message) {
    if (field == null || !field.startsWith("feature_spec")) {
      return false;
    }
    Label l = switch (field) {
      case "feature_spec.inputs" -> inputsError;
      case "feature_spec.lags" -> lagsError;
      case "feature_spec.rolling" -> rollingError;
      default -> specError;
    };
    show(l, message);
    return true;
  }

  void setEditable(boolean editable) {
    root.setDisable(!editable);
  }

  private static void show(Label l, String text) {
    l.setText(text);
    l.setVisible(!text.isEmpty());
    l.setManaged(!text.isEmpty());
  }

  private static Label errorLabel() {
    Label l = new Label();
    l.getStyleClass().add("rc-field-error");
    l.setWrapText(true);
    l.setMinHeight(Region.USE_PREF_SIZE);
    show(l, "");
    return l;
  }

  private static Label title(String text) {
    Label l = new Label(text);
    l.getStyleClass().add("rc-section-title");
    l.setMinWidth(Region.USE_PREF_SIZE);
    return l;
  }

  private static Label hint(String text) {
    return Styles.wrapping(text, "rc-muted");
  }

  private static Region spacer() {
    Region r = new Region();
    HBox.setHgrow(r, Priority.ALWAYS);
    return r;
  }

  /** One lag or rolling window: field picker, duration with its inline check, remove. */
  private final class DurationRow {
    final HBox root;
    final ComboBox<String> field = new ComboBox<>();
    final TextField duration = new TextField();
    final Label error = new Label();
    final Button remove = new Button("Remove");

    DurationRow(String kind, int index, String fieldName, String text) {
      field.getItems().setAll(fieldChoices);
      if (!fieldChoices.contains(fieldName)) {
        field.getItems().add(fieldName);
      }
      field.setValue(fieldName);
      field.setId(prefix + "-" + kind + "-field-" + index);
      field.setPrefWidth(190);
      field.valueProperty().addListener((o, was, now) -> edited());
      duration.setText(text);
      duration.setId(prefix + "-" + kind + "-duration-" + index);
      duration.setPrefColumnCount(5);
      duration.setPromptText("e.g. 1h");
      duration.textProperty().addListener((o, was, now) -> edited());
      error.getStyleClass().add("rc-field-error");
      error.setId(prefix + "-" + kind + "-error-" + index);
      error.setWrapText(true);
      error.setMinWidth(0);
      HBox.setHgrow(error, Priority.ALWAYS);
      remove.setId(prefix + "-" + kind + "-remove-" + index);
      remove.setMinWidth(Region.USE_PREF_SIZE);
      Label every = new Label(kind.equals("lag") ? "back" : "window");
      every.setMinWidth(Region.USE_PREF_SIZE);
      root = new HBox(8, field, every, duration, remove, error);
      root.setAlignment(Pos.CENTER_LEFT);
    }

    void check() {
      String problem = DevicesViewModel.durationProblem(duration.getText());
      error.setText(problem == null ? "" : problem);
      duration.getStyleClass().remove("rc-field-invalid");
      if (problem != null) {
        duration.getStyleClass().add("rc-field-invalid");
      }
    }
  }
}
