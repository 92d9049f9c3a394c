package com.retrainconsole.telemetry;

import java.time.Instant;
import java.util.List;

/**
 * What a simulation stored: readings written and already present over [from, to) for the devices.
 */
public record SimulatorResult(
    List<String> devices, Instant from, Instant to, long written, long alreadyPresent) {}
