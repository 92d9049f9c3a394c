package com.retrainconsole.ui;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.retrainconsole.runs.EnqueueRequest;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.ui.runs.RunRow;
import com.retrainconsole.ui.runs.RunsController;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.Test;

/**
 * Coming back to a view reads the store at once. The poll restarts when a view is shown, so its first tick
 * comes a full {@link RunsController#POLL} later: a row seen well before that came from the read on show.
 */
class ViewRefreshOnShowTest extends ConsoleFxTest {
  /** Under the poll period, so only the read on show can pass it. */
  static final long BEFORE_FIRST_POLL_S = (long) RunsController.POLL.toSeconds() - 1;

  @Test
  void a_run_added_while_another_view_was_shown_is_listed_as_soon_as_runs_is_shown_again() throws Exception {
    interact(() -> window.navigate(View.RUNS));
    waitUntil(10, () -> lookup("#runs-table").tryQuery().isPresent()
        && !((TableView<?>) lookup("#runs-table").query()).getItems().isEmpty());
    // kept: once the view is swapped out, lookups no longer reach it
    @SuppressWarnings("unchecked")
    TableView<RunRow> runs = (TableView<RunRow>) lookup("#runs-table").query();
    interact(() -> window.navigate(View.OVERVIEW));
    waitUntil(10, () -> runs.getScene() == null);

    String runId = ctx.queue().enqueue(EnqueueRequest.manual("tracker03", new RunRecord.Params(5, null, null, false),
        "test", "added while the runs view was hidden")).runId();
    try {
      boolean[] listedWhileHidden = new boolean[1];
      interact(() -> listedWhileHidden[0] = listed(runs, runId));
      assertFalse(listedWhileHidden[0], "a hidden view does not poll");
      interact(() -> window.navigate(View.RUNS));
      waitUntil(BEFORE_FIRST_POLL_S, () -> runs.getScene() != null && listed(runs, runId));
    } finally {
      ctx.queue().requestCancel(runId, "test"); // leave no pending run behind
    }
  }

  private static boolean listed(TableView<RunRow> runs, String runId) {
    return runs.getItems().stream().anyMatch(r -> r.getRunId().equals(runId));
  }
}
