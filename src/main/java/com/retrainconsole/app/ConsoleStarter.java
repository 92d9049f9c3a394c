package com.retrainconsole.app;

import com.retrainconsole.ui.ConsoleApp;

/** Opens the JavaFX console (no command-line arguments); the store is opened by the console, off the FX thread. */
final class ConsoleStarter {
  private ConsoleStarter() {}

  static void start(String[] args) {
    ConsoleApp.launchOver(AppContext::open, args);
  }
}
