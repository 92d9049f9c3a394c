package com.retrainconsole.devices;

import com.retrainconsole.features.FeatureSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Whether a device's data is ready to train on, and why not: the window a default retrain would read,
 * what it holds, what the feature spec needs, and the verdict of the same quality gate {@code train}
 * applies.
 *
 * @param coveragePct readings in the window as a share of what the sampling interval promises
 * @param gaps the largest holes (longer than twice the sampling interval), longest first
 * @param ready true when {@code train} with the defaults would pass the gate
 * @param advice what to do next, in words, most important first
 */
public record ReadinessReport(
    String deviceId,
    String source,
    Instant from,
    Instant to,
    int days,
    int rows,
    Duration samplingInterval,
    double coveragePct,
    List<FieldCoverage> fields,
    int gapCount,
    List<Gap> gaps,
    FeatureSpec spec,
    boolean specDerived,
    List<String> specNeeds,
    List<String> specLacks,
    boolean gatePassed,
    List<String> gateReasons,
    List<String> gateWarnings,
    boolean ready,
    List<String> advice) {

  /** One field: readings with a value, their share of the window's rows, and the range seen. */
  public record FieldCoverage(String field, int readings, double coveragePct, Double min, Double max) {}

  public record Gap(Instant from, Instant to, Duration length) {}
}
