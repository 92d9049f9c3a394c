package com.retrainconsole.services;

import com.retrainconsole.settings.AppConfig;

/**
 * Opens the services over the store {@code config} names. The entry point hands one to each face at start-up,
 * so the CLI (per command) and the console (after its splash) open services without importing the
 * composition root.
 */
@FunctionalInterface
public interface ServicesFactory {
  Services open(AppConfig config);
}
