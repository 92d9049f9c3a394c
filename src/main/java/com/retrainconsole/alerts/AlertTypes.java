package com.retrainconsole.alerts;

/** Alert types (the {@code type} field). */
public final class AlertTypes {
  public static final String LOW_ACCURACY = "LOW_ACCURACY";
  public static final String TRAINING_FAILURE = "TRAINING_FAILURE";
  public static final String STUCK_JOB = "STUCK_JOB";
  public static final String MODEL_DEGRADATION = "MODEL_DEGRADATION";
  public static final String CIRCUIT_OPEN = "CIRCUIT_OPEN";

  private AlertTypes() {}
}
