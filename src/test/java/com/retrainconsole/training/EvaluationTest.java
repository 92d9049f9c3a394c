package com.retrainconsole.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.common.UserException;
import com.retrainconsole.features.FeatureMatrix;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class EvaluationTest {
  private static final double EPS = 1e-12;

  @Test
  void metrics_match_hand_computed_values() {
    Metrics m = Metrics.of(new double[] {1, 2, 3, 4}, new double[] {1, 3, 3, 2});
    // errors 0, 1, 0, -2: MAE 0.75, RMSE sqrt(5/4), R² = 1 - 5/5
    assertEquals(0.75, m.mae(), EPS);
    assertEquals(Math.sqrt(1.25), m.rmse(), EPS);
    assertEquals(0.0, m.r2(), EPS);
    assertEquals(4, m.n());
    assertTrue(m.finite());
    assertFalse(Metrics.of(new double[] {2, 2}, new double[] {2, 2}).finite());
  }

  @Test
  void mae_by_hour_uses_the_zone_and_is_nan_for_hours_without_rows() {
    long t1 = Instant.parse("2026-07-01T10:15:00Z").toEpochMilli(); // 12:15 in Madrid
    long t2 = Instant.parse("2026-07-01T10:45:00Z").toEpochMilli();
    long t3 = Instant.parse("2026-07-01T22:05:00Z").toEpochMilli(); // 00:05 next day
    FeatureMatrix test = new FeatureMatrix(new String[] {"a"}, new double[][] {{0}, {0}, {0}},
        new double[] {10, 20, 30}, new long[] {t1, t2, t3}, new double[3]);

    EvaluationResult r = Evaluation.evaluate(new double[] {11, 17, 30}, test, ZoneId.of("Europe/Madrid"));

    assertEquals(4.0 / 3, r.metrics().mae(), EPS); // errors 1, 3, 0
    assertEquals(2.0, r.maeByHour()[12], EPS);
    assertEquals(0.0, r.maeByHour()[0], EPS);
    assertEquals(24, r.maeByHour().length);
    assertTrue(Double.isNaN(r.maeByHour()[10]));
  }

  @Test
  void chronological_split_keeps_time_order_and_puts_the_newest_rows_in_test() {
    int n = 10;
    double[][] x = new double[n][1];
    double[] y = new double[n];
    long[] ts = new long[n];
    for (int i = 0; i < n; i++) {
      x[i][0] = i;
      y[i] = i;
      ts[i] = 1000L * i;
    }
    FeatureMatrix m = new FeatureMatrix(new String[] {"a"}, x, y, ts, new double[n]);

    ChronologicalSplit.Split s = ChronologicalSplit.split(m);

    assertArrayEquals(new long[] {0, 1000, 2000, 3000, 4000, 5000, 6000, 7000}, s.train().ts());
    assertArrayEquals(new long[] {8000, 9000}, s.test().ts());
    assertThrows(UserException.class, () -> ChronologicalSplit.split(m, 1.0));
    assertThrows(UserException.class, () -> ChronologicalSplit.split(m.slice(0, 1), 0.8));
  }
}
