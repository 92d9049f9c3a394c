package com.retrainconsole.cli;

import com.retrainconsole.access.UserDirectory;
import com.retrainconsole.access.Actor;
import com.retrainconsole.telemetry.DeviceConfig;
import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.services.Services;
import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A sub-command that needs the store and services: opens them from the global options, closes them after. */
abstract class StoreCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    RetrainCli root = (RetrainCli) spec.root().userObject();
    GlobalOptions g = root.global;
    AppConfig config = AppConfig.resolve(g.mongoUri, g.dataDir, g.modelsDir, System.getenv());
    try (Services ctx = root.services.open(config)) {
      return call(ctx, new Output(spec.commandLine().getOut(), g.json));
    }
  }

  abstract int call(Services ctx, Output out) throws Exception;

  /** The CLI's caller as the core's guarded door sees it: the local user with the role stored for it. */
  static Actor actor(Services ctx) {
    return ctx.users().resolve(UserDirectory.localUser());
  }

  /**
   * The devices the CLI's caller may see (null: every device): run, alert and trigger listings stay within the
   * caller's sites, as in the console and the API.
   */
  static Set<String> visibleDevices(Services ctx) {
    return ctx.operations().visibility().deviceFilter(actor(ctx)).orElse(null);
  }

  /** The device, or "Unknown device" also for one of a site the caller may not see. */
  static DeviceConfig device(Services ctx, String id) {
    return ctx.operations().visibility().requireDevice(actor(ctx), id);
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  ProgressPrinter progress() {
    return new ProgressPrinter(err());
  }
}
