package com.retrainconsole.training;

/** Metrics on a test window plus MAE by local hour of day (24 entries, NaN for hours without rows). */
public record EvaluationResult(Metrics metrics, double[] maeByHour) {}
