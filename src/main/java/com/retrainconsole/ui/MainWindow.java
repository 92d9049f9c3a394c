package com.retrainconsole.ui;

import com.retrainconsole.access.Permission;
import com.retrainconsole.ui.shell.Notifier;
import com.retrainconsole.ui.shell.ShortcutOverlay;
import com.retrainconsole.ui.shell.StoreHealth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.Map;
import java.util.prefs.Preferences;
import javafx.beans.binding.Bindings;
import javafx.application.Platform;
import javafx.concurrent.Task;
import javafx.geometry.Rectangle2D;
import javafx.fxml.FXMLLoader;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.controlsfx.control.StatusBar;

/**
 * The shell: menu, left navigation, the current view, and the status bar with the store, the foreground
 * job (progress and Cancel) and the role. decision: built in code, not FXML, because its navigation,
 * menu items and shortcuts are generated from the {@link View} and {@link Theme} enums.
 */
public final class MainWindow {
  static final String PREF_WIDTH = "window.width";
  static final String PREF_HEIGHT = "window.height";
  static final String PREF_X = "window.x";
  static final String PREF_Y = "window.y";
  static final double DEFAULT_WIDTH = 1320;
  static final double DEFAULT_HEIGHT = 760;
  static final String PREF_VIEW = "view";
  static final String PREF_THEME = "theme";
  /** The node under which a view keeps its own choices ({@link RemembersChoices}). */
  static final String PREF_VIEWS = "views";
  static final String PREF_NOTIFICATIONS = "notifications";
  static final String PREF_COMPACT = "density.compact";
  /** Style class on the scene root while compact density is on (css/console.css "compact density"). */
  public static final String COMPACT = "compact";
  // the shell's own style classes and icons (css/console.css "shell" block)
  private static final String BANNER = "rc-banner";
  private static final String BAR_ITEM = "rc-bar-item";
  private static final String STORE_UP_CLASS = "rc-store-up";
  private static final String STORE_DOWN_CLASS = "rc-store-down";
  private static final String STORE_UP_ICON = "mdi2d-database-check-outline";
  private static final String STORE_DOWN_ICON = "mdi2d-database-remove-outline";
  private static final String SITE_BAR = "rc-site-bar";
  /** The site picker's first entry: every site the actor may see. */
  public static final String ALL_SITES = "All my sites";

  private final Stage stage;
  private final ConsoleModel model;
  private final Preferences prefs;
  private final Controllers controllers;
  private final Map<View, Parent> loaded = new EnumMap<>(View.class);
  // views whose FXML is loading off the FX thread ahead of their first open (see #prebuild)
  private final Map<View, CompletableFuture<FXMLLoader>> prebuilding = new EnumMap<>(View.class);
  private final Map<View, ToggleButton> navButtons = new EnumMap<>(View.class);
  private final Map<Theme, RadioMenuItem> themeItems = new EnumMap<>(Theme.class);
  private final StackPane content = new StackPane();
  private final StatusBar statusBar = new StatusBar();
  private final Button cancelButton = new Button("Cancel", Icons.of(Icons.CANCEL));
  private final StackPane root = new StackPane();
  private MenuBar menuBar;
  private ShortcutOverlay shortcuts;
  private DemoData demo = DemoData.defaults();
  private StoreHealth health;
  private Notifier notifier;
  private Scene scene;
  private View view;
  private Theme theme;

  // read by the notifier's thread: a copy of the preference, never the Preferences node itself (a node
  // removed under a polling thread throws)
  private volatile boolean notificationsOn;
  private volatile DeviceScope notifierScope;

  public MainWindow(Stage stage, ConsoleModel model, Preferences prefs) {
    this.stage = stage;
    this.model = model;
    this.prefs = prefs;
    this.controllers = new Controllers(model);
    model.setErrorHandler(this::showError);
    model.setNavigator(this::navigate);
    this.notificationsOn = prefs.getBoolean(PREF_NOTIFICATIONS, true);
  }

  /** The demo data "File → Load demo data again…" loads (the defaults unless set before {@link #show}). */
  public MainWindow withDemo(DemoData demo) {
    this.demo = demo;
    return this;
  }

  /** Builds the scene on the stage and shows the last view; call on the FX thread. */
  public MainWindow show() {
    BorderPane shell = new BorderPane();
    health = new StoreHealth(model.ctx().store(), model.storeAvailableProperty());
    notifier = new Notifier(model.ctx().store(), model.ctx().clock().instant(), () -> stage,
        () -> notificationsOn, () -> theme != null && theme.dark(), this::openNotified);
    // read on the notifier's thread: a scope captured when the choice changes, never the property itself
    notifierScope = model.scope();
    model.siteProperty().addListener((o, was, now) -> notifierScope = model.scope());
    notifier.showOnly(deviceId -> notifierScope.includes(deviceId));
    menuBar = menuBar();
    shell.setTop(new VBox(menuBar, siteBar()));
    shell.setLeft(navigation());
    content.getStyleClass().add(Styles.CONTENT);
    VBox.setVgrow(content, Priority.ALWAYS);
    shell.setCenter(new VBox(storeBanner(), content));
    shell.setBottom(statusBar());
    // the shortcut overlay lies over the whole shell; it lists the menu's accelerators as they are now
    shortcuts = new ShortcutOverlay(() -> ShortcutOverlay.collect(menuBar));
    root.getChildren().setAll(shell, shortcuts.node());
    // a view taller than a small screen must not push the shell past the window (a StackPane centres an
    // oversize child, cutting the menu bar and the status bar): the shell takes the window's size, the view
    // area gives way and clips what does not fit (views scroll where they can)
    shell.setMinSize(0, 0);
    content.setMinSize(0, 0);
    content.setAlignment(javafx.geometry.Pos.TOP_LEFT); // an oversize view loses its bottom, never its header
    javafx.scene.shape.Rectangle clip = new javafx.scene.shape.Rectangle();
    clip.widthProperty().bind(content.widthProperty());
    clip.heightProperty().bind(content.heightProperty());
    content.setClip(clip);
    setCompact(prefs.getBoolean(PREF_COMPACT, false));
    // views keep their last data while the store is away; once it answers again they reload at once
    model.storeAvailableProperty().addListener((o, was, up) -> {
      if (up && !was) {
        model.requestRefresh();
      }
    });
    scene = new Scene(root);
    shortcuts.install(scene);
    applyTheme(Theme.parse(prefs.get(PREF_THEME, null), Theme.LIGHT));
    // a view (Settings) may set the model's theme: the shell applies and remembers it
    model.themeProperty().addListener((o, was, now) -> {
      if (now != null && now != theme) {
        applyTheme(now);
      }
    });
    stage.setTitle("Retrain Console");
    stage.setScene(scene);
    place();
    stage.setOnHiding(e -> {
      prefs.putDouble(PREF_X, stage.getX());
      prefs.putDouble(PREF_Y, stage.getY());
      prefs.putDouble(PREF_WIDTH, stage.getWidth());
      prefs.putDouble(PREF_HEIGHT, stage.getHeight());
      health.close();
      notifier.close();
    });
    navigate(View.parse(prefs.get(PREF_VIEW, null), View.OVERVIEW));
    model.reloadSites();
    stage.show();
    health.start();
    notifier.start();
    Platform.runLater(() -> prebuild(View.RUNS));
    return this;
  }

  /** Puts the stage at the remembered bounds fitted to today's screens ({@link WindowPlacement}). */
  private void place() {
    Rectangle2D remembered = new Rectangle2D(prefs.getDouble(PREF_X, Double.NaN), prefs.getDouble(PREF_Y,
        Double.NaN), Math.max(0, prefs.getDouble(PREF_WIDTH, DEFAULT_WIDTH)),
        Math.max(0, prefs.getDouble(PREF_HEIGHT, DEFAULT_HEIGHT)));
    List<Rectangle2D> screens = new ArrayList<>();
    screens.add(Screen.getPrimary().getVisualBounds());
    Screen.getScreens().stream().filter(s -> !s.equals(Screen.getPrimary()))
        .forEach(s -> screens.add(s.getVisualBounds()));
    Rectangle2D bounds = WindowPlacement.fit(remembered, screens, DEFAULT_WIDTH, DEFAULT_HEIGHT);
    stage.setX(bounds.getMinX());
    stage.setY(bounds.getMinY());
    stage.setWidth(bounds.getWidth());
    stage.setHeight(bounds.getHeight());
  }

  /** The store ping behind the banner and the status bar's store state. */
  public StoreHealth storeHealth() {
    return health;
  }

  /** The desktop notifications of finished runs, pointer moves and new alerts. */
  public Notifier notifier() {
    return notifier;
  }

  private void openNotified(Notifier.Event e) {
    if (e.kind() == Notifier.Kind.ALERT) {
      navigate(View.ALERTS);
    } else if (e.runId() != null) {
      model.openRun(e.runId());
    }
  }

  /**
   * Shown above the view while the store does not answer. decision: a banner, not a dialog: the console
   * stays usable (navigation, theme, the views' last data) and the banner goes by itself when a ping works.
   */
  private Node storeBanner() {
    Label text = new Label();
    text.setId("store-banner-text");
    text.setWrapText(true);
    text.setMaxWidth(Double.MAX_VALUE);
    HBox.setHgrow(text, Priority.ALWAYS);
    String where = model.ctx().store().describe();
    text.textProperty().bind(Bindings.createStringBinding(() -> "Store unreachable: " + where + " — "
        + (health.reasonProperty().get().isEmpty() ? "no answer" : health.reasonProperty().get())
        + ". Showing the last data; retrying every " + StoreHealth.INTERVAL_MS / 1000 + " s.",
        health.reasonProperty()));
    Button retry = new Button();
    retry.setId("store-retry");
    retry.textProperty().bind(Bindings.when(health.checkingProperty()).then("Checking…").otherwise("Retry now"));
    retry.disableProperty().bind(health.checkingProperty());
    retry.setMinWidth(Region.USE_PREF_SIZE);
    retry.setOnAction(e -> health.checkNow());
    HBox banner = new HBox(12, Icons.of(STORE_DOWN_ICON), text, retry);
    banner.setId("store-banner");
    banner.getStyleClass().add(BANNER);
    banner.visibleProperty().bind(model.storeAvailableProperty().not());
    banner.managedProperty().bind(banner.visibleProperty());
    return banner;
  }

  public View currentView() {
    return view;
  }

  public Theme theme() {
    return theme;
  }

  public Scene scene() {
    return scene;
  }

  /** The pane that holds the view shown (its only child). */
  StackPane contentArea() {
    return content;
  }

  public void navigate(View target) {
    view = target;
    prefs.put(PREF_VIEW, target.name());
    navButtons.get(target).setSelected(true);
    content.getChildren().setAll(loaded.computeIfAbsent(target, this::load));
  }

  public void applyTheme(Theme newTheme) {
    theme = newTheme;
    model.themeProperty().set(newTheme);
    prefs.put(PREF_THEME, newTheme.name());
    scene.getStylesheets().setAll(newTheme.stylesheet(), Theme.structure());
    themeItems.get(newTheme).setSelected(true);
  }

  /** Compact density: smaller paddings and rows (a style class on the root), remembered. */
  public void setCompact(boolean on) {
    root.getStyleClass().remove(COMPACT);
    if (on) {
      root.getStyleClass().add(COMPACT);
    }
    prefs.putBoolean(PREF_COMPACT, on);
    if (compactItem != null) {
      compactItem.setSelected(on);
    }
  }

  public boolean compact() {
    return root.getStyleClass().contains(COMPACT);
  }

  /** The keyboard shortcut overlay (F1 or ?). */
  public ShortcutOverlay shortcuts() {
    return shortcuts;
  }

  private CheckMenuItem compactItem;


  /**
   * Loads {@code v}'s FXML on a background thread and styles it at idle, so its first open costs the FX
   * thread only a layout. decision: the run history is the view whose first open stalled the FX thread
   * longest (a 12-column table, combo boxes and date pickers: FXML ~25 %, first CSS and layout ~70 % of the
   * stall, RunsViewOpenBench); its controller reads nothing until the view is first in a window.
   */
  void prebuild(View v) {
    if (!v.implemented() || loaded.containsKey(v) || prebuilding.containsKey(v) || model.executor().isShutdown()) {
      return;
    }
    CompletableFuture<FXMLLoader> f;
    try {
      f = CompletableFuture.supplyAsync(() -> controllers.load(v), model.executor());
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return; // the console is closing
    }
    prebuilding.put(v, f);
    f.thenAcceptAsync(l -> styleAtIdle(l.getRoot()), Platform::runLater);
  }

  /**
   * Creates the skins of a prebuilt view in a scene of its own, one part per FX event so the thread stays
   * responsive in between, then lets it go (the first open re-applies the styles, which is then cheap).
   */
  private void styleAtIdle(Parent root) {
    if (root.getParent() != null || root.getScene() != null) {
      return; // opened already
    }
    StackPane holder = new StackPane(root);
    Scene styling = new Scene(holder, Math.max(1, content.getWidth()), Math.max(1, content.getHeight()));
    styling.getStylesheets().setAll(scene.getStylesheets());
    List<Node> parts = new ArrayList<>(root.getChildrenUnmodifiable());
    Runnable[] next = new Runnable[1];
    int[] i = {0};
    next[0] = () -> {
      if (root.getParent() != holder) {
        return; // opened meanwhile: the real scene styles it
      }
      if (i[0] < parts.size()) {
        parts.get(i[0]++).applyCss();
        Platform.runLater(next[0]);
      } else {
        holder.applyCss();
        holder.layout();
        holder.getChildren().clear();
      }
    };
    Platform.runLater(next[0]);
  }

  private Parent load(View v) {
    CompletableFuture<FXMLLoader> pre = prebuilding.remove(v);
    if (pre != null) {
      try {
        return remembering(v, pre.join()); // at most the rest of a load that started earlier
      } catch (CompletionException e) {
        // the background load failed: load it here, where a failure shows as it always did
      }
    }
    if (v.implemented()) {
      return remembering(v, controllers.load(v));
    }
    Label label = new Label(v.title() + " is coming in a later release.");
    label.getStyleClass().add(Styles.PLACEHOLDER);
    StackPane pane = new StackPane(label);
    pane.setId("placeholder-" + v.name());
    return pane;
  }

  /** Hands a view that keeps choices (columns shown, ...) its own preferences node. */
  private Parent remembering(View v, FXMLLoader loader) {
    if (loader.getController() instanceof RemembersChoices r) {
      r.rememberIn(prefs.node(PREF_VIEWS).node(v.name().toLowerCase(java.util.Locale.ROOT)));
    }
    return loader.getRoot();
  }

  private MenuBar menuBar() {
    MenuItem refresh = new MenuItem("Refresh");
    refresh.setAccelerator(new KeyCodeCombination(KeyCode.F5));
    refresh.setOnAction(e -> model.requestRefresh());
    MenuItem quit = new MenuItem("Quit");
    quit.setAccelerator(new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN));
    quit.setOnAction(e -> stage.close());
    MenuItem addDevice = new MenuItem("Add device…");
    addDevice.setId("menu-add-device");
    addDevice.setOnAction(e -> model.openAddDevice(false));
    MenuItem importCsv = new MenuItem("Import CSV…");
    importCsv.setId("menu-import-csv");
    importCsv.setOnAction(e -> model.openAddDevice(true));
    // decision: hidden, not disabled, for a role that may not add devices (as the views hide their actions)
    addDevice.visibleProperty().bind(model.canBinding(Permission.EDIT_DEVICES));
    importCsv.visibleProperty().bind(model.canBinding(Permission.EDIT_DEVICES));
    MenuItem loadDemo = new MenuItem("Load demo data again…");
    loadDemo.setId("menu-demo-data");
    // the demo adds devices and trains their first models: both rights, as the first-start offer needs
    loadDemo.visibleProperty().bind(model.canBinding(Permission.EDIT_DEVICES)
        .and(model.canBinding(Permission.RETRAIN)));
    loadDemo.disableProperty().bind(model.busyProperty());
    loadDemo.setOnAction(e -> confirmDemo());
    Menu file = new Menu("File", null, addDevice, importCsv, loadDemo, new SeparatorMenuItem(), refresh,
        new SeparatorMenuItem(), quit);

    Menu viewMenu = new Menu("View");
    for (View v : View.values()) {
      MenuItem item = new MenuItem(v.title());
      item.setAccelerator(new KeyCodeCombination(KeyCode.valueOf("DIGIT" + (v.ordinal() + 1)),
          KeyCombination.SHORTCUT_DOWN));
      item.setOnAction(e -> navigate(v));
      viewMenu.getItems().add(item);
    }
    viewMenu.getItems().add(new SeparatorMenuItem());
    ToggleGroup themes = new ToggleGroup();
    for (Theme t : Theme.values()) {
      RadioMenuItem item = new RadioMenuItem(t.title() + " theme");
      item.setId("theme-" + t.name());
      item.setToggleGroup(themes);
      item.setOnAction(e -> applyTheme(t));
      themeItems.put(t, item);
      viewMenu.getItems().add(item);
    }

    MenuItem retrain = new MenuItem("Retrain selected device");
    retrain.setAccelerator(new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN));
    retrain.disableProperty().bind(model.selectedDeviceProperty().isNull().or(model.busyProperty())
        .or(model.canOnBinding(Permission.RETRAIN, model.selectedDeviceProperty()).not()));
    retrain.visibleProperty().bind(model.canBinding(Permission.RETRAIN));
    retrain.setOnAction(e -> model.retrain(model.selectedDeviceProperty().get()));
    MenuItem retrainOptions = new MenuItem("Retrain selected device with options…");
    retrainOptions.setId("menu-retrain-options");
    retrainOptions.setAccelerator(new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN,
        KeyCombination.SHIFT_DOWN));
    retrainOptions.disableProperty().bind(retrain.disableProperty());
    retrainOptions.visibleProperty().bind(retrain.visibleProperty());
    retrainOptions.setOnAction(e -> com.retrainconsole.ui.overview.RetrainOptionsDialog.open(model,
        model.selectedDeviceProperty().get(), stage));
    MenuItem cancel = new MenuItem("Cancel running job");
    cancel.disableProperty().bind(model.busyProperty().not());
    cancel.setOnAction(e -> cancelJob());
    Menu actions = new Menu("Actions", null, retrain, retrainOptions, cancel);
    CheckMenuItem notify = new CheckMenuItem("Desktop notifications");
    notify.setId("notifications-toggle");
    notify.setSelected(notificationsOn);
    notify.setOnAction(e -> {
      notificationsOn = notify.isSelected();
      prefs.putBoolean(PREF_NOTIFICATIONS, notificationsOn);
    });
    compactItem = new CheckMenuItem("Compact density");
    compactItem.setId("compact-toggle");
    compactItem.setSelected(compact());
    compactItem.setOnAction(e -> setCompact(compactItem.isSelected()));
    viewMenu.getItems().addAll(new SeparatorMenuItem(), notify, compactItem);
    MenuItem keys = new MenuItem("Keyboard shortcuts");
    keys.setId("menu-shortcuts");
    keys.setAccelerator(new KeyCodeCombination(KeyCode.F1));
    keys.setOnAction(e -> shortcuts.show());
    Menu help = new Menu("Help", null, keys);
    return new MenuBar(file, viewMenu, actions, help);
  }

  /**
   * The site picker, under the menu: shown only when the actor may see more than one site, so a one-site
   * store (every store made before sites) looks as it always did. The choice lives in the model.
   */
  private Node siteBar() {
    ComboBox<String> picker = new ComboBox<>();
    picker.setId("site-picker");
    picker.setAccessibleText("Site shown");
    Label label = new Label("Site");
    label.setLabelFor(picker);
    HBox bar = new HBox(8, label, picker);
    bar.setId("site-bar");
    bar.getStyleClass().add(SITE_BAR);
    Runnable fill = () -> {
      List<String> items = new java.util.ArrayList<>();
      items.add(ALL_SITES);
      items.addAll(model.sitesProperty().get());
      if (!items.equals(picker.getItems())) {
        picker.getItems().setAll(items);
      }
      String chosen = model.siteProperty().get();
      picker.setValue(chosen == null ? ALL_SITES : chosen);
      bar.setVisible(model.sitesProperty().get().size() > 1);
    };
    picker.valueProperty().addListener((o, was, now) -> {
      if (now != null) {
        model.siteProperty().set(ALL_SITES.equals(now) ? null : now);
      }
    });
    model.sitesProperty().addListener((o, was, now) -> fill.run());
    model.siteProperty().addListener((o, was, now) -> fill.run());
    bar.managedProperty().bind(bar.visibleProperty());
    fill.run();
    return bar;
  }

  private Node navigation() {
    VBox nav = new VBox();
    nav.getStyleClass().add(Styles.NAV);
    ToggleGroup group = new ToggleGroup();
    for (View v : View.values()) {
      ToggleButton b = new ToggleButton(v.title(), Icons.of(v.icon()));
      b.setGraphicTextGap(10);
      b.setId("nav-" + v.name());
      b.getStyleClass().add(Styles.NAV_BUTTON);
      b.setMaxWidth(Double.MAX_VALUE);
      b.setToggleGroup(group);
      b.setOnAction(e -> navigate(v));
      navButtons.put(v, b);
      nav.getChildren().add(b);
    }
    // a toggle button clicked twice would leave no view selected
    group.selectedToggleProperty().addListener((o, was, now) -> {
      if (now == null && was != null) {
        was.setSelected(true);
      }
    });
    VBox.setVgrow(nav, Priority.ALWAYS);
    return nav;
  }

  private Node statusBar() {
    statusBar.setId("status-bar");
    String store = model.ctx().store().describe();
    Label role = new Label();
    role.setId("role-label");
    role.getStyleClass().add(Styles.ROLE);
    // the site shown is named only where there is a choice, so a one-site console reads as before
    role.textProperty().bind(Bindings.createStringBinding(() -> "Role: " + model.actor().describe()
        + (model.sitesProperty().get().size() < 2 ? ""
            : " · site: " + (model.siteProperty().get() == null ? "all my sites" : model.siteProperty().get())),
        model.siteProperty(), model.sitesProperty()));
    cancelButton.setId("cancel-job");
    cancelButton.visibleProperty().bind(model.busyProperty());
    cancelButton.managedProperty().bind(cancelButton.visibleProperty());
    cancelButton.setOnAction(e -> cancelJob());
    Label scheduler = new Label();
    scheduler.setId("scheduler-state");
    scheduler.getStyleClass().add(BAR_ITEM);
    scheduler.textProperty().bind(Bindings.createStringBinding(() -> !model.schedulerOnProperty().get()
            ? "Scheduler: off"
            : "Scheduler: on" + (model.schedulerRunningJobsProperty().get() > 0
                ? " · " + model.schedulerRunningJobsProperty().get() + " running" : ""),
        model.schedulerOnProperty(), model.schedulerRunningJobsProperty()));
    statusBar.getLeftItems().setAll(storeState(store));
    statusBar.getRightItems().setAll(List.of(cancelButton, scheduler, role));
    bindJob(null, store);
    model.activeJobProperty().addListener((o, was, job) -> bindJob(job, store));
    return statusBar;
  }

  /** A coloured store icon: connected or not, with the store and the reason in its tooltip. */
  private Node storeState(String store) {
    Label state = new Label();
    state.setId("store-state");
    state.getStyleClass().add(BAR_ITEM);
    Tooltip tip = new Tooltip();
    state.setTooltip(tip);
    Runnable update = () -> {
      boolean up = model.storeAvailableProperty().get();
      state.setGraphic(Icons.of(up ? STORE_UP_ICON : STORE_DOWN_ICON));
      state.getStyleClass().removeAll(STORE_UP_CLASS, STORE_DOWN_CLASS);
      state.getStyleClass().add(up ? STORE_UP_CLASS : STORE_DOWN_CLASS);
      state.setAccessibleText(up ? "Store connected" : "Store not connected");
      tip.setText((up ? "Connected to " : "Not connected to ") + store
          + (up ? "" : ": " + health.reasonProperty().get()));
    };
    model.storeAvailableProperty().addListener((o, was, now) -> update.run());
    health.reasonProperty().addListener((o, was, now) -> update.run());
    update.run();
    return state;
  }

  private void bindJob(Task<?> job, String store) {
    statusBar.textProperty().unbind();
    statusBar.progressProperty().unbind();
    if (job == null) {
      statusBar.textProperty().bind(Bindings.createStringBinding(() -> storeText(store),
          model.storeAvailableProperty()));
      statusBar.setProgress(0);
      return;
    }
    statusBar.textProperty().bind(Bindings.createStringBinding(() -> {
      if (!model.busy()) {
        return storeText(store);
      }
      String msg = job.getMessage();
      return job.getTitle() + (msg == null || msg.isEmpty() ? "" : " — " + msg);
    }, job.messageProperty(), model.busyProperty(), model.storeAvailableProperty()));
    statusBar.progressProperty().bind(Bindings.when(model.busyProperty()).then(job.progressProperty())
        .otherwise(0.0));
  }

  private String storeText(String store) {
    return "Store: " + store + (model.storeAvailableProperty().get() ? "" : " — not connected");
  }

  private void cancelJob() {
    Task<?> job = model.activeJobProperty().get();
    if (job != null) {
      job.cancel(false); // the work stops at its next stage (see Tasks)
    }
  }

  /** File → Load demo data again…: says what it writes, then loads in the background with progress. */
  private void confirmDemo() {
    DemoData d = demo;
    Alert ask = Dialogs.fit(new Alert(Alert.AlertType.CONFIRMATION, "Writes " + d.days()
        + " days of simulated readings for " + String.join(", ", d.devices()) + " and trains a new model for"
        + " each (shown in Runs; promoted only when it beats the model in service). Devices with these ids keep"
        + " their settings, and readings already stored are kept.",
        new ButtonType("Load demo data", ButtonType.OK.getButtonData()), ButtonType.CANCEL), stage);
    ask.setHeaderText("Load demo data again?");
    ask.getDialogPane().setId("demo-confirm");
    ask.showAndWait().filter(b -> b.getButtonData() == ButtonType.OK.getButtonData()).ifPresent(b -> loadDemo(d));
  }

  /** Simulates and trains as the console's actor (Operations checks the role), off the FX thread. */
  private void loadDemo(DemoData d) {
    model.startJob("Loading demo data", Tasks.create(p -> d.load(model.ctx(), model.actor(), p))
        .onSuccess(failed -> {
          if (!failed.isEmpty()) {
            showError(new IllegalStateException(failed.size() + " first model(s) did not train: "
                + failed.get(0).run().error()));
          }
        })
        .onError(this::showError));
  }

  /** On an empty store, offers the demo data; the check itself reads the store in the background. */
  public void offerDemoIfEmpty(DemoData demo) {
    this.demo = demo;
    Tasks.create(p -> model.ctx().devices().list().isEmpty())
        .onSuccess(empty -> {
          if (!empty) {
            return;
          }
          Alert ask = Dialogs.fit(new Alert(Alert.AlertType.CONFIRMATION,
              "The store has no devices yet. Load demo data (" + demo.devices().size() + " simulated trackers, "
                  + demo.days() + " days) and train a first model for each?",
              new ButtonType("Load demo data", ButtonType.OK.getButtonData()), ButtonType.CANCEL), stage);
          ask.setHeaderText("Welcome to Retrain Console");
          ask.showAndWait().filter(b -> b.getButtonData() == ButtonType.OK.getButtonData())
              .ifPresent(b -> loadDemo(demo));
        })
        .onError(this::showError)
        .runOn(model.executor());
  }

  private void showError(Throwable e) {
    Throwable cause = e.getCause() != null && e.getMessage() == null ? e.getCause() : e;
    Alert alert = Dialogs.fit(new Alert(Alert.AlertType.ERROR,
        cause.getMessage() == null ? cause.toString() : cause.getMessage()), stage.isShowing() ? stage : null);
    alert.setHeaderText("Something went wrong");
    alert.show(); // never showAndWait from a handler: it would nest an event loop per error
  }
}
