package com.retrainconsole.ui;

import com.retrainconsole.access.Actor;
import com.retrainconsole.access.Operations;
import com.retrainconsole.access.Permission;
import com.retrainconsole.access.UserDirectory;
import com.retrainconsole.access.Visibility;
import com.retrainconsole.services.Services;
import com.retrainconsole.common.ProgressListener;
import com.retrainconsole.retrain.RetrainOutcome;
import com.retrainconsole.retrain.RetrainRequest;
import com.retrainconsole.runs.Enqueued;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.telemetry.DeviceConfig;
import com.retrainconsole.training.TrainerKind;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ObservableValue;
import javafx.concurrent.Task;

/**
 * State shared by every view: the services, the selected device, the site chosen in the site picker, the
 * one foreground job (retrain or demo load) the status bar shows with progress and Cancel, and a refresh
 * counter views listen to. Views get this injected instead of calling each other.
 */
public final class ConsoleModel implements AutoCloseable {

  /** How the console retrains: inline in this process, or by enqueueing for a running scheduler. */
  public record RetrainSettings(TrainerKind trainer, int days, boolean enqueue) {
    public static RetrainSettings defaults() {
      // decision: no scheduler runs inside the console yet, so a click trains here, where progress and
      // Cancel can be shown; enqueue is for when a scheduler service is known to be running
      return new RetrainSettings(TrainerKind.DEFAULT, RetrainRequest.DEFAULT_DAYS, false);
    }
  }

  private final Services ctx;
  private final Actor actor;
  private final RetrainSettings retrainSettings;
  private final ExecutorService executor;
  private final ObjectProperty<String> selectedDevice = new SimpleObjectProperty<>(this, "selectedDevice");
  private final ReadOnlyObjectWrapper<Task<?>> activeJob = new ReadOnlyObjectWrapper<>(this, "activeJob");
  private final BooleanProperty busy = new SimpleBooleanProperty(this, "busy");
  private final LongProperty refreshRequests = new SimpleLongProperty(this, "refreshRequests");
  private final ObjectProperty<String> focusedRun = new SimpleObjectProperty<>(this, "focusedRun");
  private final ObjectProperty<String> addDeviceRequest = new SimpleObjectProperty<>(this, "addDeviceRequest");
  private final BooleanProperty storeAvailable = new SimpleBooleanProperty(this, "storeAvailable", true);
  private final ObjectProperty<Theme> theme = new SimpleObjectProperty<>(this, "theme", Theme.LIGHT);
  private final BooleanProperty schedulerOn = new SimpleBooleanProperty(this, "schedulerOn");
  private final IntegerProperty schedulerRunningJobs = new SimpleIntegerProperty(this, "schedulerRunningJobs");
  // null: every site the actor may see
  private final ObjectProperty<String> site = new SimpleObjectProperty<>(this, "site");
  private final ReadOnlyObjectWrapper<List<String>> sites = new ReadOnlyObjectWrapper<>(this, "sites", List.of());
  private final ReadOnlyObjectWrapper<Map<String, String>> deviceSites =
      new ReadOnlyObjectWrapper<>(this, "deviceSites", Map.of());
  private Task<SiteMap> sitesLoading;
  private boolean sitesReloadAgain;
  private Consumer<View> navigator = v -> {};
  private Consumer<Throwable> errorHandler = Throwable::printStackTrace;
  // tests hold a run at a stage here to cancel it deterministically; runs on the worker thread
  ProgressListener progressTap = ProgressListener.NONE;

  public ConsoleModel(Services ctx, RetrainSettings retrainSettings) {
    this(ctx, retrainSettings, ctx.users().resolve(UserDirectory.localUser()));
  }

  /** A console acting as {@code actor} (tests use this to see what each role may do). */
  public ConsoleModel(Services ctx, RetrainSettings retrainSettings, Actor actor) {
    this.ctx = ctx;
    this.actor = actor;
    this.retrainSettings = retrainSettings;
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "console-bg-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  public Services ctx() {
    return ctx;
  }

  /** Who this console acts as; views hide or disable what the role cannot do. */
  public Actor actor() {
    return actor;
  }

  /**
   * Whether a view offers {@code p} at all: allowed on the chosen site, or on at least one site when every
   * site is shown. A view acting on one device asks {@link #canOn} instead; the core decides either way.
   */
  public boolean can(Permission p) {
    String chosen = site.get();
    return chosen == null ? actor.canSomewhere(p) : actor.can(p, chosen);
  }

  /**
   * Whether {@code p} is offered on {@code deviceId}: the actor's role on its site. No device (none chosen
   * yet) or one whose site is not known (yet) gets {@link #can}.
   */
  public boolean canOn(Permission p, String deviceId) {
    if (deviceId == null) {
      return can(p);
    }
    String deviceSite = deviceSites().get(deviceId);
    return deviceSite == null ? can(p) : actor.can(p, deviceSite);
  }

  /** Whether {@code p} is offered on a device of {@code deviceSite} (a view that has the device at hand). */
  public boolean canOnSite(Permission p, String deviceSite) {
    return actor.can(p, deviceSite);
  }

  /**
   * The site a device added in the console goes to unless the user types another: the chosen site, else
   * the one site where an actor without a fleet-wide right may add devices; null for the default site.
   */
  public String siteForNewDevice() {
    if (site.get() != null) {
      return site.get();
    }
    if (actor.can(Permission.EDIT_DEVICES)) {
      return null;
    }
    List<String> editable = actor.siteRoles().entrySet().stream()
        .filter(e -> e.getValue().allows(Permission.EDIT_DEVICES)).map(Map.Entry::getKey).toList();
    return editable.size() == 1 ? editable.get(0) : null;
  }

  /** {@link #canOn} as a binding that follows {@code deviceId}, the chosen site and the loaded device sites. */
  public BooleanBinding canOnBinding(Permission p, ObservableValue<String> deviceId) {
    return Bindings.createBooleanBinding(() -> canOn(p, deviceId.getValue()), deviceId, site, deviceSites);
  }

  /** {@link #can} as a binding that follows the chosen site. */
  public BooleanBinding canBinding(Permission p) {
    return Bindings.createBooleanBinding(() -> can(p), site);
  }

  /**
   * A fleet-level action (settings, the console's scheduler, an alert about no device): only a fleet-wide
   * role allows it.
   */
  public boolean canFleetWide(Permission p) {
    return actor.can(p);
  }

  /** {@link #roleOnSite} for the site of {@code deviceId}, when known. */
  public String roleOn(String deviceId) {
    return roleOnSite(deviceId == null ? null : deviceSites().get(deviceId));
  }

  /**
   * "analyst", or "analyst on south" for an actor with roles per site: how read-only notes name the role
   * ({@code deviceSite} null: the highest role held).
   */
  public String roleOnSite(String deviceSite) {
    if (deviceSite == null || actor.siteRoles().isEmpty()) {
      return actor.role().wire();
    }
    return actor.roleOn(deviceSite).map(r -> r.wire() + " on " + deviceSite).orElse("no role on " + deviceSite);
  }

  /** The access rules reads are filtered with. */
  public Visibility visibility() {
    return ctx.operations().visibility();
  }

  /**
   * The site the console shows (the site picker's choice); null for every site the actor may see. Views
   * reload when it changes.
   */
  public ObjectProperty<String> siteProperty() {
    return site;
  }

  /** What views show now: the chosen site's devices, or every site's, that the actor may see. FX thread. */
  public DeviceScope scope() {
    return new DeviceScope(visibility(), actor, site.get());
  }

  /**
   * Reads the ids of the devices the views show now in the background and hands them to {@code onLoaded} on
   * the FX thread; a list read for a site the user has since left is dropped (the newer one is on its way).
   * Nothing once the console is closing. FX thread.
   */
  public void loadDeviceIds(Consumer<List<String>> onLoaded, Consumer<Throwable> onError) {
    if (executor().isShutdown()) {
      return;
    }
    DeviceScope asked = scope();
    Tasks.<List<String>>create(p -> asked.deviceIdList())
        .onSuccess(ids -> {
          if (asked.equals(scope())) {
            onLoaded.accept(ids);
          }
        })
        .onError(onError)
        .runOn(executor());
  }

  /** The sites the actor may see, sorted; empty until the first background load ({@link #reloadSites}). */
  public ReadOnlyObjectProperty<List<String>> sitesProperty() {
    return sites.getReadOnlyProperty();
  }

  /** The site of each device the actor may see; what {@link #canOn} looks devices up in. */
  public ReadOnlyObjectProperty<Map<String, String>> deviceSitesProperty() {
    return deviceSites.getReadOnlyProperty();
  }

  private Map<String, String> deviceSites() {
    if (sitesLoading == null) {
      reloadSites(); // a view used before the shell asked (tests load views alone)
    }
    return deviceSites.get();
  }

  private record SiteMap(List<String> sites, Map<String, String> deviceSites) {}

  /** Re-reads the visible sites and devices in the background (at start, and with every refresh). FX thread. */
  public void reloadSites() {
    if (executor.isShutdown()) {
      return;
    }
    if (sitesLoading != null && !sitesLoading.isDone()) {
      sitesReloadAgain = true;
      return;
    }
    Visibility visibility = visibility();
    sitesLoading = Tasks.<SiteMap>create(p -> new SiteMap(visibility.sites(actor), visibility.devices(actor)
            .stream().collect(Collectors.toUnmodifiableMap(DeviceConfig::id, DeviceConfig::siteOrDefault))))
        .onSuccess(m -> {
          if (site.get() != null && !m.sites().contains(site.get())) {
            site.set(null); // the chosen site is gone (its last device moved away)
          }
          if (!m.sites().equals(sites.get())) {
            sites.set(m.sites());
          }
          if (!m.deviceSites().equals(deviceSites.get())) {
            deviceSites.set(m.deviceSites());
          }
        })
        .onError(e -> { }) // the store banner says why; the next refresh tries again
        .andFinally(() -> {
          if (sitesReloadAgain) {
            sitesReloadAgain = false;
            reloadSites();
          }
        })
        .runOn(executor);
  }

  /** The role-checked actions: every state change of a view goes through here. */
  public Operations ops() {
    return ctx.operations();
  }

  public ExecutorService executor() {
    return executor;
  }

  public ObjectProperty<String> selectedDeviceProperty() {
    return selectedDevice;
  }

  public ReadOnlyObjectProperty<Task<?>> activeJobProperty() {
    return activeJob.getReadOnlyProperty();
  }

  public LongProperty refreshRequestsProperty() {
    return refreshRequests;
  }

  /** Views reload when this counter moves (F5, a finished job). */
  public void requestRefresh() {
    reloadSites(); // a device may have been added or moved to another site
    refreshRequests.set(refreshRequests.get() + 1);
  }

  /** The run another view asked to show (the Runs view selects it and opens its details). */
  public ObjectProperty<String> focusedRunProperty() {
    return focusedRun;
  }

  /** Switches to the Runs view with {@code runId} selected: how alerts and versions link to their runs. */
  public void openRun(String runId) {
    focusedRun.set(null); // re-focusing the same run must fire again
    focusedRun.set(runId);
    navigator.accept(View.RUNS);
  }

  /** How a menu asked to add a device ("any" or "csv"); the Devices view opens its add flow when it moves. */
  public ObjectProperty<String> addDeviceRequestProperty() {
    return addDeviceRequest;
  }

  /** Switches to the Devices view and opens its "Add device" flow, on the CSV source when {@code csv}. */
  public void openAddDevice(boolean csv) {
    addDeviceRequest.set(null); // asking twice must fire twice
    navigator.accept(View.DEVICES);
    addDeviceRequest.set(csv ? "csv" : "any");
  }

  /** Trainer and window the console retrains with. */
  public RetrainSettings retrainSettings() {
    return retrainSettings;
  }

  /** Switches the shell to {@code view}. */
  public void open(View view) {
    navigator.accept(view);
  }

  public void setNavigator(Consumer<View> navigator) {
    this.navigator = navigator;
  }

  /** False while the store does not answer; the shell shows a banner and views keep their last data. */
  public BooleanProperty storeAvailableProperty() {
    return storeAvailable;
  }

  /** The theme on screen; the shell applies and remembers whatever is set here (menu or Settings). */
  public ObjectProperty<Theme> themeProperty() {
    return theme;
  }

  /** True while a scheduler runs inside this console (Settings turns it on and off). */
  public BooleanProperty schedulerOnProperty() {
    return schedulerOn;
  }

  /** Runs the console's scheduler is executing now (0 when it is off). */
  public IntegerProperty schedulerRunningJobsProperty() {
    return schedulerRunningJobs;
  }

  public void setErrorHandler(Consumer<Throwable> handler) {
    this.errorHandler = handler;
  }

  public void showError(Throwable e) {
    errorHandler.accept(e);
  }

  /** True from the start of a foreground job until its handlers have run. */
  public ReadOnlyBooleanProperty busyProperty() {
    return busy;
  }

  public boolean busy() {
    return busy.get();
  }

  /** Starts a retrain of {@code deviceId}; one foreground job at a time. Call on the FX thread. */
  public void retrain(String deviceId) {
    if (deviceId == null) {
      return;
    }
    retrain(new RetrainRequest(deviceId, retrainSettings.days(), null, retrainSettings.trainer(),
        false, "manual", "requested in the console by " + actor.user(), actor.user()));
  }

  /**
   * Starts the retrain {@code req} describes (Retrain with options…): enqueued for a scheduler or trained
   * here with progress, as the console's settings say — the same path as {@link #retrain(String)}.
   */
  public void retrain(RetrainRequest req) {
    String deviceId = req.deviceId();
    if (busy()) {
      showError(new IllegalStateException("Another job is still running: " + activeJob.get().getTitle()
          + ". Wait for it or cancel it first."));
      return;
    }
    if (retrainSettings.enqueue()) {
      Tasks.<Enqueued>create(p -> ctx.operations().enqueueRetrain(actor, req))
          .onSuccess(e -> requestRefresh())
          .onError(this::showError)
          .runOn(executor);
      return;
    }
    String title = (req.dryRun() ? "Dry run " : "Retrain ") + deviceId;
    startJob(title, Tasks.<RetrainOutcome>create(p -> ctx.operations().retrainAndDetect(actor, req, (stage, f) -> {
          p.update(stage, f);
          progressTap.update(stage, f);
        }))
        .onSuccess(o -> {
          if (!o.completed() && o.status() != RunStatus.CANCELLED) {
            showError(new IllegalStateException("Run " + o.run().runId() + " for " + deviceId + " "
                + o.status().wire() + ": " + o.run().error()));
          }
        })
        .onError(this::showError));
  }

  /** Runs a foreground job: shown in the status bar with progress and Cancel; views refresh after it. */
  public <T> Task<T> startJob(String title, Tasks.Builder<T> builder) {
    Task<T> task = builder.title(title).andFinally(() -> {
      busy.set(false);
      requestRefresh();
    }).build();
    busy.set(true);
    activeJob.set(task);
    executor.execute(task);
    return task;
  }

  @Override
  public void close() {
    Task<?> job = activeJob.get();
    if (job != null) {
      job.cancel(false);
    }
    executor.shutdownNow();
  }
}
