package com.retrainconsole.ui;

import com.retrainconsole.common.ProgressListener;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javafx.concurrent.Task;
import javafx.concurrent.WorkerStateEvent;

/**
 * The one door for background work: a callable becomes a {@link Task} whose handlers run on the FX thread.
 * The work receives a {@link ProgressListener} that feeds the task's message (stage) and progress (fraction),
 * so core code reports progress without knowing about JavaFX. Cancel the task with {@code cancel(false)}:
 * the work stops at its next progress report.
 */
public final class Tasks {
  private Tasks() {}

  /** Work that may report progress; runs off the FX thread. */
  @FunctionalInterface
  public interface Work<T> {
    T call(ProgressListener progress) throws Exception;
  }

  public static <T> Builder<T> create(Work<T> work) {
    return new Builder<>(work);
  }

  public static final class Builder<T> {
    private final Work<T> work;
    private Consumer<T> onSuccess = r -> {};
    private Consumer<Throwable> onError = e -> {};
    private Runnable onCancelled = () -> {};
    private Runnable andFinally = () -> {};
    private String title = "";

    private Builder(Work<T> work) {
      this.work = work;
    }

    public Builder<T> title(String newTitle) {
      this.title = newTitle;
      return this;
    }

    public Builder<T> onSuccess(Consumer<T> handler) {
      this.onSuccess = handler;
      return this;
    }

    public Builder<T> onError(Consumer<Throwable> handler) {
      this.onError = handler;
      return this;
    }

    public Builder<T> onCancelled(Runnable handler) {
      this.onCancelled = handler;
      return this;
    }

    /** Runs after the success, error or cancel handler; several calls run in order. */
    public Builder<T> andFinally(Runnable handler) {
      Runnable before = this.andFinally;
      this.andFinally = () -> {
        before.run();
        handler.run();
      };
      return this;
    }

    public Task<T> build() {
      Work<T> w = work;
      String t = title;
      Task<T> task = new Task<>() {
        {
          updateTitle(t);
        }

        @Override
        protected T call() throws Exception {
          return w.call((stage, fraction) -> {
            // decision: cancel is cooperative, at the work's next progress report, not by interrupt. An
            // interrupt landing inside a store call makes the driver throw, and RetrainService then cannot
            // close its run record (seen here: the run stayed "running"). Core code reports progress at
            // every stage, so this stops a retrain between stages.
            if (isCancelled()) {
              throw new CancellationException("cancelled in the console");
            }
            updateMessage(stage);
            updateProgress(Math.max(0, Math.min(1, fraction)), 1);
          });
        }
      };
      Consumer<T> success = onSuccess;
      Consumer<Throwable> error = onError;
      Runnable cancelled = onCancelled;
      Runnable fin = andFinally;
      task.addEventHandler(WorkerStateEvent.WORKER_STATE_SUCCEEDED, e -> {
        try {
          success.accept(task.getValue());
        } finally {
          fin.run();
        }
      });
      task.addEventHandler(WorkerStateEvent.WORKER_STATE_FAILED, e -> {
        try {
          error.accept(task.getException());
        } finally {
          fin.run();
        }
      });
      task.addEventHandler(WorkerStateEvent.WORKER_STATE_CANCELLED, e -> {
        try {
          cancelled.run();
        } finally {
          fin.run();
        }
      });
      return task;
    }

    /** Builds the task and hands it to {@code executor}; returns it so callers can bind to or cancel it. */
    public Task<T> runOn(Executor executor) {
      Task<T> task = build();
      executor.execute(task);
      return task;
    }
  }
}
