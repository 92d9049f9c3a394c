package com.retrainconsole.cli;

import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.common.UserException;
import com.retrainconsole.store.Store;
import com.retrainconsole.store.StorePortFile;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code store serve [--port P]}: holds the embedded data file and serves it on 127.0.0.1 until SIGTERM or
 * SIGINT (docs/ARCHITECTURE.md §8). Other processes pointed at the same --data-dir find {@code store.port} there and
 * connect as clients, logging in with the secret in {@code store.secret} beside it (readable by this user
 * only); a script points --data-dir at the same folder rather than passing a URI.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve the embedded store of --data-dir on 127.0.0.1 until stopped (Ctrl+C or SIGTERM).")
final class StoreServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--port", defaultValue = "0", paramLabel = "P",
      description = "Loopback port to listen on (default: any free port; see <data-dir>/store.port).")
  int port;

  @Override
  public Integer call() throws Exception {
    GlobalOptions g = ((RetrainCli) spec.root().userObject()).global;
    AppConfig config = AppConfig.resolve(g.mongoUri, g.dataDir, g.modelsDir, System.getenv());
    if (config.mongoUri() != null) {
      throw new UserException("store serve serves the embedded store of --data-dir; --mongo-uri (or"
          + " RETRAIN_MONGO_URI) already names a server: leave it out");
    }
    if (port < 0 || port > 65535) {
      throw new UserException("--port must be between 0 and 65535, not " + port);
    }
    Output out = new Output(spec.commandLine().getOut(), g.json);
    Store store = Store.serve(config.dataDir(), port);
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.countDown();
      try {
        // the JVM exits when the hooks return: wait until the port file is gone and the file closed
        stopped.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "store-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      int bound = store.embeddedPort().orElseThrow();
      long pid = ProcessHandle.current().pid();
      out.result(Output.map("port", bound, "pid", pid, "data_dir", config.dataDir().toString(),
              "port_file", StorePortFile.path(config.dataDir()).toString()),
          () -> out.linef("serving %s on 127.0.0.1:%d (pid %d); stop with Ctrl+C or SIGTERM", store.describe(),
              bound, pid));
      stop.await();
    } finally {
      store.close();
      stopped.countDown();
    }
    return 0;
  }
}
