package com.retrainconsole.ui;

import com.retrainconsole.access.Permission;
import com.retrainconsole.api.ApiServer;
import com.retrainconsole.services.Services;
import com.retrainconsole.common.UserException;
import com.retrainconsole.scheduler.ProcessRunExecutor;
import com.retrainconsole.scheduler.RunExecutor;
import com.retrainconsole.scheduler.Scheduler;
import com.retrainconsole.scheduler.SchedulerConfig;
import com.retrainconsole.settings.LocalSettingsFile;
import com.retrainconsole.notify.Notifications;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The scheduler service running inside the console (the same {@link Scheduler} as {@code retrain-console
 * scheduler}: triggers, alert detectors, claims, each run in a worker child process that connects to the
 * store the console serves on loopback). Switching it off is what SIGTERM does to the service: stop
 * claiming, let running work finish within the grace period, then release it to the queue. Start and stop
 * run on one background thread; the model's scheduler properties change on the FX thread. The choice is
 * remembered in the local settings file. While it is on, and the local settings name an API port, the
 * console also serves the management API on 127.0.0.1 (the same server as {@code scheduler --api}).
 */
public final class ConsoleScheduler implements AutoCloseable {
  /** A console's own scheduler lets running work finish this long when switched off (the service: 30 s). */
  public static final Duration CONSOLE_GRACE = Duration.ofSeconds(10);
  /** {@link #apiStatusProperty()} when the console serves no API. */
  public static final String API_OFF = "Off";
  /** {@link #apiStatusProperty()} starts with this when the API could not be served (the reason follows). */
  public static final String API_NOT_SERVING = "Not serving: ";

  public enum State {
    OFF("Off"), STARTING("Starting…"), ON("On"), STOPPING("Stopping…");

    private final String title;

    State(String title) {
      this.title = title;
    }

    public String title() {
      return title;
    }
  }

  private static final Map<ConsoleModel, ConsoleScheduler> BY_MODEL = new WeakHashMap<>();

  private final ConsoleModel model;
  private final Function<Services, RunExecutor> executorFactory;
  private final SchedulerConfig config;
  private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.OFF);
  private final ReadOnlyStringWrapper apiStatus = new ReadOnlyStringWrapper(this, "apiStatus", API_OFF);
  private final ExecutorService control = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "console-scheduler-control");
    t.setDaemon(true);
    return t;
  });
  private volatile Scheduler scheduler; // touched only on the control thread, read by the poll
  private volatile Notifications notifications; // the webhook notifier running beside the scheduler
  private ApiServer api; // touched only on the control thread
  private ScheduledExecutorService poll;

  /**
   * The console's scheduler for {@code model}, created on first use. decision: looked up by model rather
   * than held by it, so the Settings view and ConsoleApp share one without a field in ConsoleModel.
   */
  public static ConsoleScheduler of(ConsoleModel model) {
    synchronized (BY_MODEL) {
      return BY_MODEL.computeIfAbsent(model, m -> new ConsoleScheduler(m, SchedulerConfig.defaults()
          .withShutdownGrace(CONSOLE_GRACE), ConsoleScheduler::workerProcesses));
    }
  }

  ConsoleScheduler(ConsoleModel model, SchedulerConfig config, Function<Services, RunExecutor> executorFactory) {
    this.model = model;
    this.config = config;
    this.executorFactory = executorFactory;
  }

  /** Each claimed run trains in a worker process that reaches this console's store over loopback. */
  static RunExecutor workerProcesses(Services ctx) {
    return new ProcessRunExecutor(ctx.store()::connectionUri,
        List.of("--models-dir", ctx.config().modelsDir().toString()), ctx.config().dataDir().resolve("logs"));
  }

  public ReadOnlyObjectProperty<State> stateProperty() {
    return state.getReadOnlyProperty();
  }

  public State state() {
    return state.get();
  }

  /**
   * What the console's management API is doing, for the Settings view: "Serving http://…", "Off" or
   * "Not serving: reason". Changes on the FX thread.
   */
  public ReadOnlyStringProperty apiStatusProperty() {
    return apiStatus.getReadOnlyProperty();
  }

  /**
   * Serves the API as the local settings now say, if the scheduler is on (stops it, or restarts it on the
   * new port); when off, the next start reads them anyway. Call after saving the settings file; the caller
   * checked the role.
   */
  public void applyApiSetting() {
    control.execute(() -> {
      if (scheduler == null) {
        return;
      }
      stopApi();
      startApi(model.ctx(), scheduler);
    });
  }

  /**
   * Switches the scheduler on or off in the background and remembers the choice; admins only (an
   * AccessDeniedException goes to the model's error handler). Call on the FX thread.
   */
  public void setOn(boolean on) {
    try {
      model.actor().require(Permission.EDIT_SETTINGS);
    } catch (RuntimeException e) {
      model.showError(e);
      return;
    }
    if (on) {
      start(true);
    } else {
      stop(true);
    }
  }

  /** At console start: switches on if the local settings say so (no role check: an admin chose it). */
  public void restoreRemembered() {
    control.execute(() -> {
      try {
        if (settingsFile().read().schedulerOn()) {
          fx(() -> start(false));
        }
      } catch (RuntimeException e) {
        fx(() -> model.showError(e));
      }
    });
  }

  private void start(boolean remember) {
    if (state.get() == State.ON || state.get() == State.STARTING) {
      return;
    }
    state.set(State.STARTING);
    control.execute(() -> {
      try {
        Services ctx = model.ctx();
        Notifications webhooks = Notifications.defaults(ctx.store(), ctx.clock());
        Scheduler s = new Scheduler(ctx.queue(), executorFactory.apply(ctx), ctx.schedulerTick(webhooks), ctx.clock(),
            config);
        s.onRunFinished(run -> {
          ctx.alertDetectors().afterRun(run);
          fx(model::requestRefresh);
        });
        s.reportPresence(ctx.schedulerPresence());
        webhooks.start();
        s.start();
        scheduler = s;
        notifications = webhooks;
        startPoll();
        startApi(ctx, s);
        if (remember) {
          remember(true);
        }
        fx(() -> {
          state.set(State.ON);
          model.schedulerOnProperty().set(true);
        });
      } catch (RuntimeException e) {
        fx(() -> {
          state.set(State.OFF);
          model.schedulerOnProperty().set(false);
          model.showError(e);
        });
      }
    });
  }

  private void stop(boolean remember) {
    if (state.get() == State.OFF || state.get() == State.STOPPING) {
      return;
    }
    state.set(State.STOPPING);
    control.execute(() -> {
      try {
        shutdownNow();
        if (remember) {
          remember(false);
        }
      } catch (RuntimeException e) {
        fx(() -> model.showError(e));
      } finally {
        fx(() -> {
          state.set(State.OFF);
          model.schedulerOnProperty().set(false);
          model.schedulerRunningJobsProperty().set(0);
        });
      }
    });
  }

  /** Runs on the control thread: the SIGTERM path of the service (grace, then release). */
  private void shutdownNow() {
    stopApi(); // decision: first, so no API call enqueues work or reads a scheduler that is going away
    Scheduler s = scheduler;
    if (s != null) {
      s.shutdown();
      scheduler = null;
    }
    Notifications n = notifications;
    if (n != null) {
      n.stop();
      notifications = null;
    }
    synchronized (this) {
      if (poll != null) {
        poll.shutdownNow();
        poll = null;
      }
    }
  }

  /**
   * Control thread: starts the API when the local settings name a port. decision: a port in use (or an
   * unreadable settings file) is shown and leaves the scheduler on — the API is an extra, the scheduler is
   * what the user switched on. decision: always 127.0.0.1 here; binding another address is for the service
   * ({@code scheduler --api --api-host}), whose operator chooses it on purpose.
   */
  private void startApi(Services ctx, Scheduler s) {
    Integer port;
    try {
      LocalSettingsFile file = settingsFile();
      port = file.path() == null ? null : file.read().apiPort();
    } catch (RuntimeException e) {
      apiFailed("the settings cannot be read", e.getMessage(), e);
      return;
    }
    if (port == null) {
      setApiStatus(API_OFF);
      return;
    }
    ApiServer server = ApiServer.over(ctx, ApiServer.Config.defaults().withPort(port),
        () -> "running in the console, " + s.activeRuns().size() + " active run(s)", s::lastTickSeconds);
    try {
      server.start();
    } catch (UserException e) {
      // ApiServer's own message ends with the CLI's --api-port hint; the console's port is set in Settings
      String host = ApiServer.Config.DEFAULT_HOST + ":" + port;
      String why = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage()
          : e.getMessage();
      apiFailed(host + " (" + why + "); choose another port",
          "cannot serve the management API on " + host + " (" + why + "); the scheduler is running. "
              + "Choose another port in Settings.", e);
      return;
    }
    api = server;
    setApiStatus("Serving http://" + ApiServer.Config.DEFAULT_HOST + ":" + server.port()
        + " (tokens: retrain-console api token create)");
  }

  /** {@code reason} follows "Not serving: " in Settings; {@code message} goes to the error dialog. */
  private void apiFailed(String reason, String message, RuntimeException cause) {
    setApiStatus(API_NOT_SERVING + reason);
    UserException shown = new UserException(message, cause);
    fx(() -> model.showError(shown));
  }

  /** Control thread. */
  private void stopApi() {
    ApiServer a = api;
    if (a != null) {
      api = null;
      a.stop();
    }
    setApiStatus(API_OFF);
  }

  private void setApiStatus(String text) {
    fx(() -> apiStatus.set(text));
  }

  private synchronized void startPoll() {
    poll = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "console-scheduler-poll");
      t.setDaemon(true);
      return t;
    });
    poll.scheduleWithFixedDelay(() -> {
      Scheduler s = scheduler;
      int n = s == null ? 0 : s.activeRuns().size();
      fx(() -> model.schedulerRunningJobsProperty().set(n));
    }, 0, 500, TimeUnit.MILLISECONDS);
  }

  private void remember(boolean on) {
    LocalSettingsFile file = settingsFile();
    if (file.path() == null) {
      return;
    }
    file.write(file.read().withSchedulerOn(on));
  }

  private LocalSettingsFile settingsFile() {
    return model.ctx().config().localSettings();
  }

  /**
   * Stops the scheduler and waits for it (up to the grace period plus the release): for the console's
   * exit, where running work must go back to the queue before the store closes. Not on the FX thread
   * while the window is live.
   */
  @Override
  public void close() {
    var done = new java.util.concurrent.CompletableFuture<Void>();
    control.execute(() -> {
      try {
        shutdownNow();
      } finally {
        done.complete(null);
      }
    });
    try {
      done.get(CONSOLE_GRACE.plusSeconds(45).toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // the store closes next; recovery on the next start closes anything left
    }
    control.shutdown();
    synchronized (BY_MODEL) {
      BY_MODEL.remove(model);
    }
  }

  private static void fx(Runnable r) {
    if (Platform.isFxApplicationThread()) {
      r.run();
    } else {
      Platform.runLater(r);
    }
  }
}
