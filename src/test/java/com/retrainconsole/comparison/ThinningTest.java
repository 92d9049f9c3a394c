package com.retrainconsole.comparison;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.registry.MetricsDoc;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ThinningTest {
  private static List<VersionPoint> history(int n, int inService) {
    Random random = new Random(11);
    Instant t = Instant.parse("2020-01-01T00:00:00Z");
    List<VersionPoint> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      t = t.plus(Duration.ofHours(6));
      double mae = 120 + 30 * Math.sin(i / 200.0) + random.nextGaussian() * 8;
      out.add(new VersionPoint("v" + i, "run-" + i, "cart", t, new MetricsDoc(mae, mae * 1.3, 0.9, 500),
          i == inService ? "production" : "archived", i == inService));
    }
    return out;
  }

  @Test
  void a_5k_version_history_is_thinned_to_two_points_per_column_keeping_in_service_picks_and_extremes() {
    List<VersionPoint> all = history(5000, 1234);
    int columns = 800;
    List<VersionPoint> thin = Thinning.thin(all, Metric.MAE, columns, Set.of("v4321", "v7"));

    assertTrue(thin.size() <= 2 * columns + 2 + 3, "thinned to " + thin.size());
    assertTrue(thin.size() >= columns, "every column keeps a point, got " + thin.size());
    List<String> kept = thin.stream().map(VersionPoint::version).toList();
    assertTrue(kept.contains("v1234"), "the version in service is kept");
    assertTrue(kept.contains("v4321") && kept.contains("v7"), "the picked versions are kept");
    assertEquals("v0", kept.get(0), "the first version is kept");
    assertEquals("v4999", kept.get(kept.size() - 1), "the last version is kept");
    Comparator<VersionPoint> byMae = Comparator.comparingDouble(p -> p.metric(Metric.MAE));
    assertTrue(kept.contains(all.stream().min(byMae).orElseThrow().version()), "the lowest MAE is kept");
    assertTrue(kept.contains(all.stream().max(byMae).orElseThrow().version()), "the highest MAE is kept");
    for (int i = 1; i < thin.size(); i++) {
      assertTrue(thin.get(i - 1).createdAt().isBefore(thin.get(i).createdAt()), "still in time order at " + i);
    }
    VersionPoint same = thin.get(thin.size() / 2);
    assertEquals(all.get(Integer.parseInt(same.version().substring(1))), same, "points are kept exactly");
  }

  @Test
  void each_pixel_column_keeps_its_lowest_and_highest_version() {
    List<VersionPoint> all = history(5000, 0);
    int columns = 100; // 50 versions per column: the times are evenly spaced
    List<VersionPoint> thin = Thinning.thin(all, Metric.RMSE, columns, Set.of());
    for (int c = 0; c < columns; c++) {
      List<VersionPoint> column = all.subList(c * 50, c * 50 + 50);
      Comparator<VersionPoint> byRmse = Comparator.comparingDouble(p -> p.metric(Metric.RMSE));
      assertTrue(thin.contains(column.stream().min(byRmse).orElseThrow()), "lowest of column " + c);
      assertTrue(thin.contains(column.stream().max(byRmse).orElseThrow()), "highest of column " + c);
    }
  }

  @Test
  void short_histories_are_left_whole_and_versions_without_the_metric_dropped() {
    List<VersionPoint> all = new ArrayList<>(history(30, 3));
    VersionPoint p = all.get(5);
    all.set(5, new VersionPoint(p.version(), p.runId(), p.trainer(), p.createdAt(), null, p.stage(), false));
    List<VersionPoint> thin = Thinning.thin(all, Metric.MAE, 100, Set.of());
    assertEquals(29, thin.size());
    assertTrue(thin.stream().noneMatch(v -> v.version().equals("v5")));
  }
}
