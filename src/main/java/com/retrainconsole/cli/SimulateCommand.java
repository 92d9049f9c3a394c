package com.retrainconsole.cli;

import com.retrainconsole.services.Services;
import com.retrainconsole.common.UserException;
import com.retrainconsole.telemetry.SimulatorConfig;
import com.retrainconsole.telemetry.SimulatorResult;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Write physics-based solar-tracker telemetry (deterministic by seed) into the store.")
final class SimulateCommand extends StoreCommand {
  @Option(names = "--devices", split = ",", defaultValue = "tracker01,tracker02", paramLabel = "ID[,ID...]",
      description = "Devices to simulate (default: ${DEFAULT-VALUE}).")
  List<String> devices;

  @Option(names = "--days", defaultValue = "30", paramLabel = "N") int days;

  @Option(names = "--interval", defaultValue = "5m", converter = DurationConverter.class, paramLabel = "DUR",
      description = "Time between readings, 1s..1h (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "N") long seed;

  @Option(names = "--lat", defaultValue = "37.1", paramLabel = "DEG") double lat;

  @Option(names = "--lon", defaultValue = "-3.6", paramLabel = "DEG") double lon;

  @Option(names = "--zone", defaultValue = "Europe/Madrid", paramLabel = "IANA",
      description = "The site's time zone (default: ${DEFAULT-VALUE}).")
  String zone;

  @Option(names = "--end", converter = InstantConverter.class, paramLabel = "TIME",
      description = "End of the simulated period (default: today 00:00 UTC, so the same seed gives the same data all day).")
  Instant end;

  @picocli.CommandLine.Mixin SimulateFollow follow = new SimulateFollow();

  @Override
  int call(Services ctx, Output out) throws InterruptedException {
    SimulatorConfig config;
    try {
      config = new SimulatorConfig(devices, end != null ? end : defaultEnd(ctx), days, interval, seed, lat, lon,
          zoneId(zone));
    } catch (IllegalArgumentException e) {
      throw new UserException("Cannot simulate: " + e.getMessage());
    }
    SimulatorResult r = ctx.operations().simulateDevices(actor(ctx), config, progress());
    out.result(Output.map("devices", r.devices(), "from", r.from().toString(), "to", r.to().toString(),
            "written", r.written(), "already_present", r.alreadyPresent()),
        () -> out.linef("simulated %s from %s to %s: %d readings written, %d already present",
            String.join(", ", r.devices()), r.from(), r.to(), r.written(), r.alreadyPresent()));
    if (follow.enabled()) {
      return follow.run(ctx, devices, interval, seed, lat, lon, zoneId(zone), err());
    }
    return 0;
  }

  static Instant defaultEnd(Services ctx) {
    return ctx.clock().instant().atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
  }

  static ZoneId zoneId(String zone) {
    return com.retrainconsole.common.ZoneHints.parse(zone, "--zone");
  }
}
