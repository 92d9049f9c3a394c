package com.retrainconsole.ui;

import com.retrainconsole.app.AppConfig;
import com.retrainconsole.app.AppContext;
import java.util.concurrent.Executors;
import java.util.prefs.Preferences;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

/**
 * The desktop console. Opens the store off the FX thread (an embedded store can take a moment to recover),
 * serves it on loopback so the CLI can still reach it, then shows the main window.
 */
public final class ConsoleApp extends Application {
  private AppContext ctx;
  private ConsoleModel model;

  @Override
  public void start(Stage stage) {
    Label opening = new Label("Opening the store…");
    VBox splash = new VBox(16, new ProgressIndicator(), opening);
    splash.setStyle("-fx-alignment: center; -fx-font-size: 16px; -fx-padding: 32;");
    stage.setTitle("Retrain Console");
    stage.setScene(new Scene(splash, 420, 220));
    stage.show();
    var opener = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "console-open");
      t.setDaemon(true);
      return t;
    });
    Tasks.create(p -> {
          AppContext c = AppContext.open(AppConfig.resolve(null, null, null, System.getenv()));
          c.store().serveOnLoopback();
          return c;
        })
        .onSuccess(c -> {
          ctx = c;
          model = new ConsoleModel(c, ConsoleModel.RetrainSettings.defaults());
          new MainWindow(stage, model, Preferences.userNodeForPackage(ConsoleApp.class)).show()
              .offerDemoIfEmpty(DemoData.defaults());
        })
        .onError(e -> {
          Alert alert = new Alert(Alert.AlertType.ERROR, e.getMessage());
          alert.setHeaderText("Cannot open the store");
          alert.showAndWait();
          Platform.exit();
        })
        .andFinally(opener::shutdown)
        .runOn(opener);
  }

  @Override
  public void stop() {
    if (model != null) {
      model.close();
    }
    if (ctx != null) {
      ctx.close();
    }
  }
}
