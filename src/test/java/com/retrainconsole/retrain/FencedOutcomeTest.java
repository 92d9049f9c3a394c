package com.retrainconsole.retrain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.app.AppContext;
import com.retrainconsole.common.ProgressListener;
import com.retrainconsole.runs.EnqueueRequest;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FencedOutcomeTest {
  @TempDir Path dir;

  @Test
  void a_claimed_run_cancelled_before_it_starts_stops_by_fence_and_writes_no_final_state_itself() {
    try (AppContext ctx = AppContext.open(new AppConfig(null, dir.resolve("data"), dir.resolve("models")),
        Store.openInMemory(), Clock.systemUTC())) {
      var queued = ctx.queue().enqueue(EnqueueRequest.manual("t1", new RunRecord.Params(7, null, null, false), "test", "test"));
      var claim = ctx.queue().claim("owner-a", Duration.ofSeconds(30)).orElseThrow();
      ctx.queue().requestCancel(queued.runId(), "test"); // the cancel owns the final state now

      RetrainOutcome out = ctx.retrain().runClaimed(claim, ctx.queue().claimed(claim), ProgressListener.NONE);

      assertTrue(out.stoppedByFence(), out.run().stored().toJson());
      assertFalse(out.status() == RunStatus.COMPLETED || out.status() == RunStatus.FAILED, out.run().stored().toJson());
    }
  }
}
