package com.retrainconsole.cli;

import com.retrainconsole.services.Services;
import com.retrainconsole.telemetry.SiteExports;
import com.retrainconsole.telemetry.SimulatorConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Sample data shaped like real sites' exports, for trying the bring-your-own-data recipes. */
@Command(name = "sample", mixinStandardHelpOptions = true,
    description = "Write sample data in the shapes real sites deliver (a plant's CSV exports, a per-reading"
        + " MongoDB collection), built on the simulator's physics.",
    subcommands = {SampleCommand.SiteCsv.class, SampleCommand.SiteCollection.class})
final class SampleCommand {

  @Command(name = "site-csv", mixinStandardHelpOptions = true,
      description = "Write a plant's two exports into DIR: " + SiteExports.WEATHER_FILE + " (15-minute weather"
          + " sensor rows, 'yyyy-MM-dd HH:mm:ss' site time, irradiance in kW/m², a text sensor id and a numeric"
          + " plant id) and " + SiteExports.GENERATION_FILE + " (one row per inverter per timestamp, 'M/d/yyyy"
          + " H:mm', power in kW).")
  static final class SiteCsv implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR") Path dir;

    @Option(names = "--days", defaultValue = "14", paramLabel = "N") int days;

    @Option(names = "--zone", defaultValue = "Europe/Madrid", paramLabel = "IANA",
        description = "The site's clock, in which the files write times (default: ${DEFAULT-VALUE}).")
    String zone;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N") long seed;

    @Override
    public Integer call() {
      GlobalOptions g = ((RetrainCli) spec.root().userObject()).global;
      Output out = new Output(spec.commandLine().getOut(), g.json);
      SiteExports.Written w = SiteExports.writeCsv(dir, days,
          java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS), SimulateCommand.zoneId(zone),
          seed);
      out.result(Output.map("files", w.targets(), "rows", w.rows(), "inverters", SiteExports.INVERTERS),
          () -> {
            w.targets().forEach(out::line);
            out.linef("%d rows; inverters %s", w.rows(), String.join(", ", SiteExports.INVERTERS));
          });
      return 0;
    }
  }

  @Command(name = "site-collection", mixinStandardHelpOptions = true,
      description = "Fill a new collection of the store with one document per reading, as a site's own backend"
          + " writes them: {sensor, recorded_at, pac_w, poa_irr, t_amb, t_mod, status}.")
  static final class SiteCollection extends StoreCommand {
    @Option(names = "--collection", defaultValue = "plant_readings", paramLabel = "NAME") String collection;

    @Option(names = "--sensors", split = ",", defaultValue = "INV-01,INV-02", paramLabel = "ID[,ID...]")
    List<String> sensors;

    @Option(names = "--days", defaultValue = "14", paramLabel = "N") int days;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N") long seed;

    @Override
    int call(Services ctx, Output out) {
      SiteExports.Written w = SiteExports.writeCollection(ctx.store(), collection, sensors, days,
          SimulateCommand.defaultEnd(ctx), seed);
      out.result(Output.map("collection", collection, "documents", w.rows(), "sensors", sensors),
          () -> out.linef("%s: %d documents for %s (lat %.1f, lon %.1f)", collection, w.rows(),
              String.join(", ", sensors), SimulatorConfig.DEFAULT_LAT, SimulatorConfig.DEFAULT_LON));
      return 0;
    }
  }
}
