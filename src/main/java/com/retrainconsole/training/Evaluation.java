package com.retrainconsole.training;

import com.retrainconsole.features.FeatureMatrix;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneRules;

/** Scores predictions against a test matrix. */
public final class Evaluation {
  private Evaluation() {}

  public static EvaluationResult evaluate(double[] predicted, FeatureMatrix test, ZoneId zone) {
    if (predicted.length != test.size()) {
      throw new IllegalArgumentException(predicted.length + " predictions for " + test.size() + " rows");
    }
    Metrics metrics = Metrics.of(test.y(), predicted);
    double[] sum = new double[24];
    int[] count = new int[24];
    ZoneRules rules = zone.getRules();
    for (int i = 0; i < predicted.length; i++) {
      long ts = test.ts()[i];
      long local = ts + rules.getOffset(Instant.ofEpochMilli(ts)).getTotalSeconds() * 1000L;
      int hour = (int) (Math.floorMod(local, 86_400_000L) / 3_600_000L);
      sum[hour] += Math.abs(predicted[i] - test.y()[i]);
      count[hour]++;
    }
    double[] byHour = new double[24];
    for (int h = 0; h < 24; h++) {
      byHour[h] = count[h] == 0 ? Double.NaN : sum[h] / count[h];
    }
    return new EvaluationResult(metrics, byHour);
  }
}
