package com.retrainconsole.ui;

import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.services.Services;
import com.retrainconsole.services.ServicesFactory;
import com.retrainconsole.ui.shell.StoreHealth;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.prefs.Preferences;
import javafx.animation.PauseTransition;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desktop console. Opens the store off the FX thread (an embedded store can take a moment to recover),
 * serves it on loopback so the CLI can still reach it, then shows the main window. A store that cannot be
 * opened (a remote server that is down, a data folder another process holds) shows the reason with a retry
 * every few seconds instead of failing; the main window opens as soon as an attempt succeeds.
 */
public final class ConsoleApp extends Application {
  private static final Logger log = LoggerFactory.getLogger("console");
  // decision: JavaFX constructs the Application itself, so the entry point's factory reaches it through this
  // field, set once before launch (the console never imports the composition root)
  private static volatile ServicesFactory servicesFactory;
  // resolved again on each attempt, so a store saved in Settings while the console waits is picked up
  private static volatile Supplier<AppConfig> storeConfig = () -> AppConfig.resolve(null, null, null, System.getenv());

  private Services ctx;
  private ConsoleModel model;
  private ExecutorService opener;
  private PauseTransition nextAttempt;
  private Label waiting;
  private Label bannerText;
  private volatile boolean stopped;

  /** Shows the console, opening its services with {@code services}; returns when the console is closed. */
  public static void launchOver(ServicesFactory services) {
    launchOver(services, () -> AppConfig.resolve(null, null, null, System.getenv()));
  }

  /** As {@link #launchOver(ServicesFactory)}, over the store {@code config} resolves (the launch flags). */
  public static void launchOver(ServicesFactory services, Supplier<AppConfig> config) {
    servicesFactory = services;
    storeConfig = config;
    Application.launch(ConsoleApp.class);
  }

  @Override
  public void start(Stage stage) {
    if (servicesFactory == null) {
      throw new IllegalStateException("the console is started by ConsoleApp.launchOver, which hands it the"
          + " services factory; Application.launch alone cannot open the store");
    }
    Label opening = new Label("Opening the store…");
    VBox splash = new VBox(16, new ProgressIndicator(), opening);
    splash.setStyle("-fx-alignment: center; -fx-font-size: 16px; -fx-padding: 32;");
    stage.setTitle("Retrain Console");
    var icon = ConsoleApp.class.getResource("/icons/retrain-console.png");
    if (icon != null) {
      stage.getIcons().add(new javafx.scene.image.Image(icon.toExternalForm()));
    }
    stage.setScene(new Scene(splash, 420, 220));
    stage.show();
    opener = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "console-open");
      t.setDaemon(true);
      return t;
    });
    openStore(stage);
  }

  private void openStore(Stage stage) {
    if (waiting != null) {
      waiting.setText("Trying again…");
    }
    Tasks.create(p -> {
          Services c = servicesFactory.open(storeConfig.get());
          if (stopped) { // the user quit while this attempt was connecting
            c.close();
            return null;
          }
          c.store().serveOnLoopback();
          return c;
        })
        .onSuccess(c -> {
          if (c == null) {
            return;
          }
          opener.shutdown();
          ctx = c;
          model = new ConsoleModel(c, ConsoleModel.RetrainSettings.defaults());
          ConsoleScheduler.of(model).restoreRemembered(); // off unless the user left it on
          MainWindow window = new MainWindow(stage, model, Preferences.userNodeForPackage(ConsoleApp.class)).show();
          // show() placed the stage where it was left (or centred), fitted to the screen: no centerOnScreen
          logFirstFrame(window);
          window.offerDemoIfEmpty(DemoData.defaults());
        })
        .onError(e -> showUnreachable(stage, e))
        .runOn(opener);
  }

  /**
   * decision: a store that cannot be opened at start gets the same banner wording as an outage mid-session
   * and a retry every {@link StoreHealth#INTERVAL_MS} ms, not an error dialog and exit: a field laptop
   * often starts before the VPN or the server is up. The views need an open store (Services), so this
   * screen shows the banner alone until an attempt succeeds; the main window then opens by itself.
   */
  private void showUnreachable(Stage stage, Throwable e) {
    String reason = e.getMessage() == null ? e.toString() : e.getMessage();
    log.warn("cannot open the store: {}; retrying every {} s", reason, StoreHealth.INTERVAL_MS / 1000);
    if (waiting == null) {
      Label banner = bannerText = new Label();
      banner.setId("store-banner-text");
      banner.setWrapText(true);
      banner.setMaxWidth(Double.MAX_VALUE);
      HBox.setHgrow(banner, Priority.ALWAYS);
      Button retry = new Button("Retry now");
      retry.setId("store-retry");
      retry.setOnAction(a -> {
        nextAttempt.stop();
        openStore(stage);
      });
      Button quit = new Button("Quit");
      quit.setOnAction(a -> stage.close());
      retry.setMinWidth(Region.USE_PREF_SIZE);
      quit.setMinWidth(Region.USE_PREF_SIZE);
      HBox bar = new HBox(12, banner, retry, quit);
      bar.setId("store-banner");
      bar.getStyleClass().add("rc-banner");
      waiting = new Label();
      waiting.getStyleClass().add("rc-muted");
      VBox body = new VBox(16, new Label("The console opens as soon as the store answers."), waiting);
      body.setStyle("-fx-padding: 24;");
      VBox root = new VBox(bar, body);
      Scene scene = new Scene(root, 900, 260);
      Theme theme = Theme.parse(Preferences.userNodeForPackage(ConsoleApp.class).get(MainWindow.PREF_THEME, null),
          Theme.LIGHT);
      scene.getStylesheets().setAll(theme.stylesheet(), Theme.structure());
      stage.setScene(scene);
      nextAttempt = new PauseTransition(Duration.millis(StoreHealth.INTERVAL_MS));
      nextAttempt.setOnFinished(a -> openStore(stage));
    }
    bannerText.setText("Store unreachable: " + reason + (reason.endsWith(".") ? "" : ".") + " Retrying every "
        + StoreHealth.INTERVAL_MS / 1000 + " s.");
    waiting.setText("Last attempt failed at " + java.time.LocalTime.now().withNano(0) + ".");
    nextAttempt.playFromStart();
  }

  /** One INFO line when the main window has rendered its first frame: the cold-start figure. */
  private static void logFirstFrame(MainWindow window) {
    Scene scene = window.scene();
    Runnable[] once = new Runnable[1];
    once[0] = () -> {
      scene.removePostLayoutPulseListener(once[0]);
      // the next pulse paints what this layout produced
      Platform.runLater(() -> log.info("console ready in {} ms (JVM start to first frame of the main window)",
          System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()));
    };
    scene.addPostLayoutPulseListener(once[0]);
  }

  @Override
  public void stop() {
    stopped = true;
    if (opener != null) {
      opener.shutdownNow();
    }
    if (model != null) {
      ConsoleScheduler.of(model).close(); // like SIGTERM: stop claiming, release running work
      model.close();
    }
    if (ctx != null) {
      ctx.close();
    }
  }
}
