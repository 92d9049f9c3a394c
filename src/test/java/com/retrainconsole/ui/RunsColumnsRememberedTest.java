package com.retrainconsole.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.ui.runs.RunRow;
import java.util.List;
import java.util.prefs.Preferences;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.Test;

/** The Runs table's column chooser is remembered in the console's local preferences. */
class RunsColumnsRememberedTest extends ConsoleFxTest {

  @Override
  void remembered(Preferences prefs) {
    // as an earlier session left it: Duration hidden, RMSE (hidden at first) shown
    prefs.node(MainWindow.PREF_VIEWS).node("runs").put("hidden-columns", "Duration\nPromoted");
  }

  @SuppressWarnings("unchecked")
  TableView<RunRow> table() {
    return (TableView<RunRow>) lookup("#runs-table").query();
  }

  TableColumn<RunRow, ?> column(String title) {
    return table().getColumns().stream().filter(c -> title.equals(c.getText())).findFirst().orElseThrow();
  }

  @Test
  void hidden_columns_stay_hidden_in_the_next_session_and_a_new_choice_is_written() throws Exception {
    interact(() -> model.open(View.RUNS));
    waitUntil(10, () -> lookup("#runs-table").tryQuery().isPresent());
    assertFalse(column("Duration").isVisible());
    assertFalse(column("Promoted").isVisible());
    assertTrue(column("RMSE").isVisible(), "RMSE was not among the hidden columns last time");
    interact(() -> column("R²").setVisible(false)); // what the chooser's menu item does
    assertEquals(List.of("R²", "Duration", "Promoted"), List.of(prefs.node(MainWindow.PREF_VIEWS).node("runs")
        .get("hidden-columns", "").split("\n")));
  }
}
