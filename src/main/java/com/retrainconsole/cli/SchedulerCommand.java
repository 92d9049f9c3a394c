package com.retrainconsole.cli;

import com.retrainconsole.api.ApiServer;
import com.retrainconsole.services.Services;
import com.retrainconsole.notify.Notifications;
import com.retrainconsole.runs.RunQueue;
import com.retrainconsole.scheduler.InProcessRunExecutor;
import com.retrainconsole.scheduler.ProcessRunExecutor;
import com.retrainconsole.scheduler.RunExecutor;
import com.retrainconsole.scheduler.Scheduler;
import com.retrainconsole.scheduler.SchedulerConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scheduler}: runs headless until SIGTERM/SIGINT (stop claiming, grace period, release, exit 0),
 * or one tick with {@code --once} (waiting for what that tick claimed). Each run trains in a worker child
 * process, so cancel and timeout stop it for real; {@code --in-process} trains on a thread instead.
 */
@Command(name = "scheduler", mixinStandardHelpOptions = true,
    description = "Run the scheduler service: recover dead leases, evaluate triggers, claim and run queued runs.")
final class SchedulerCommand extends StoreCommand {
  @Option(names = "--once", description = "Run one tick, wait for the runs it claimed, then exit.")
  boolean once;

  @Option(names = "--tick", defaultValue = "5s", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "Time between ticks (default: ${DEFAULT-VALUE}).")
  Duration tick;

  @Option(names = "--max-concurrent", defaultValue = "1", paramLabel = "N",
      description = "Runs this instance trains at once (default: ${DEFAULT-VALUE}).")
  int maxConcurrent;

  @Option(names = "--timeout", defaultValue = "2h", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "A run still training after this is stopped and marked timed_out (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--lease", defaultValue = "30s", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "Lease of a claimed run; another instance recovers it only after it expires (default: ${DEFAULT-VALUE}).")
  Duration lease;

  @Option(names = "--heartbeat", defaultValue = "10s", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "Lease renewal interval, shorter than --lease (default: ${DEFAULT-VALUE}).")
  Duration heartbeat;

  @Option(names = "--grace", defaultValue = "30s", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "On SIGTERM, how long running work may finish before it is released (default: ${DEFAULT-VALUE}).")
  Duration grace;

  @Option(names = "--in-process", description = "Train on a thread of this process (no hard cancel or timeout).")
  boolean inProcess;

  @Option(names = "--api", description = "Also serve the management API (bearer tokens: 'api token create').")
  boolean api;

  @Option(names = "--api-port", defaultValue = "" + ApiServer.Config.DEFAULT_PORT, paramLabel = "PORT",
      description = "Port of the management API (default: ${DEFAULT-VALUE}).")
  int apiPort;

  @Option(names = "--api-host", defaultValue = ApiServer.Config.DEFAULT_HOST, paramLabel = "HOST",
      description = "Address the management API binds (default: ${DEFAULT-VALUE}, this machine only).")
  String apiHost;

  @Override
  int call(Services ctx, Output out) throws InterruptedException {
    SchedulerConfig config = new SchedulerConfig(SchedulerConfig.newOwnerId(), tick, lease, heartbeat,
        maxConcurrent, timeout, grace, 60);
    RunQueue queue = ctx.queue();
    RunExecutor executor = inProcess
        ? new InProcessRunExecutor(ctx.retrain(), queue)
        : new ProcessRunExecutor(ctx.store()::connectionUri,
            List.of("--models-dir", ctx.config().modelsDir().toString()),
            ctx.config().dataDir().resolve("logs"));
    DecisionLog.attach(ctx.config().dataDir().resolve("logs"));
    // decision: the scheduler holds the embedded file for hours, so it lets the CLI and consoles in as clients
    ctx.store().serveOnLoopback();
    Notifications notifications = Notifications.defaults(ctx.store(), ctx.clock());
    Scheduler scheduler = new Scheduler(queue, executor, ctx.schedulerTick(notifications), ctx.clock(), config);
    scheduler.onRunFinished(ctx.alertDetectors()::afterRun);
    scheduler.reportPresence(ctx.schedulerPresence());
    if (once) {
      scheduler.runOnce(timeout.plus(grace));
      notifications.notifier().tick(); // what the runs of this tick produced
      notifications.worker().drainDue(); // decision: --once sends first attempts inline; retries wait for a long-running scheduler
      out.result(Output.map("owner", config.owner(), "ticks", 1), () -> out.line("one tick done"));
      return 0;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    ApiServer apiServer = api ? startApi(ctx, scheduler, stopped) : null;
    Thread hook = new Thread(() -> {
      if (apiServer != null) {
        apiServer.stop();
      }
      scheduler.shutdown();
      notifications.stop();
      stopped.countDown();
      try {
        closed.await(10, TimeUnit.SECONDS); // let the command close the store cleanly
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // decision: exit 0 after a graceful stop; a JVM ending on SIGTERM would otherwise report 143
      Runtime.getRuntime().halt(0);
    }, "scheduler-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    err().println("scheduler " + config.owner() + " running on " + ctx.store().describe() + "; stop with Ctrl-C");
    err().flush();
    notifications.start();
    scheduler.start();
    stopped.await();
    try {
      ctx.close(); // before the hook halts the JVM; StoreCommand closes it again (harmless)
    } catch (RuntimeException e) {
      // closing twice or during JVM shutdown: nothing left to save
    }
    closed.countDown();
    return 0;
  }

  private static boolean isLoopback(String host) {
    try {
      return java.net.InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false; // the bind itself fails with its own message
    }
  }

  private ApiServer startApi(Services ctx, Scheduler scheduler, CountDownLatch stopped) {
    ApiServer server = ApiServer.over(ctx, ApiServer.Config.defaults().withHost(apiHost).withPort(apiPort),
        () -> stopped.getCount() == 0 ? "stopping" : "running, " + scheduler.activeRuns().size() + " active run(s)",
        scheduler::lastTickSeconds);
    server.start();
    err().println("management API on http://" + apiHost + ":" + server.port() + "/health");
    if (!isLoopback(apiHost)) {
      err().println("warning: the API speaks plain HTTP on " + apiHost + "; bearer tokens cross the network in "
          + "clear text. Prefer the default 127.0.0.1 behind a TLS reverse proxy or an SSH tunnel.");
    }
    return server;
  }
}
