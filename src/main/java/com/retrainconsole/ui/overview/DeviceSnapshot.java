package com.retrainconsole.ui.overview;

import java.time.Instant;
import java.util.List;

/**
 * One device as read from the store in the background: immutable, so the FX thread can copy it into the
 * row's properties. Nullable fields mean "none yet".
 */
public record DeviceSnapshot(
    String deviceId,
    String modelVersion,
    Instant modelCreatedAt,
    Double modelMae,
    String lastRunId,
    String lastRunStatus,
    Instant lastRunAt,
    String lastRunTrigger,
    int openAlerts,
    Instant nextFire,
    List<Double> recentMae,
    Instant newestReading) {}
