package com.retrainconsole.alerts;

import java.util.Map;

/**
 * Where core services report incidents. One open alert per {@code incidentKey} across all scheduler
 * instances: raising an incident that is already open (not acknowledged and not resolved) only updates it.
 */
public interface AlertSink {
  AlertSink NONE = (type, deviceId, incidentKey, message, details) -> {};

  /** type: LOW_ACCURACY, TRAINING_FAILURE, STUCK_JOB, MODEL_DEGRADATION, CIRCUIT_OPEN. */
  void raise(String type, String deviceId, String incidentKey, String message, Map<String, Object> details);
}
