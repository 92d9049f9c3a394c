package com.retrainconsole.testing;

import com.retrainconsole.common.Json;
import com.retrainconsole.registry.DataWindow;
import com.retrainconsole.registry.MetricsDoc;
import com.retrainconsole.registry.ModelMeta;
import com.retrainconsole.training.Metrics;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.rtree.CARTRegressionTrainer;

/** Real Tribuo models small enough to train in milliseconds, and meta drafts to save them with. */
public final class TestModels {
  private TestModels() {}

  /** A depth-4 CART tree on y = 3a + 2b·seed + noise; different seeds give different models. */
  public static Model<Regressor> train(int seed) {
    RegressionFactory factory = new RegressionFactory();
    MutableDataset<Regressor> data =
        new MutableDataset<>(new SimpleDataSourceProvenance("tiny-" + seed, factory), factory);
    Random random = new Random(seed);
    String[] names = {"a", "b"};
    for (int i = 0; i < 200; i++) {
      double a = random.nextDouble() * 10;
      double b = random.nextDouble() * 10;
      data.add(new ArrayExample<>(new Regressor("power_w", 3 * a + 2 * b * seed + random.nextGaussian()), names,
          new double[] {a, b}));
    }
    return new CARTRegressionTrainer(4).train(data);
  }

  /** Meta for a saved candidate: error by hour only in daylight (NaN at night), as a real run writes it. */
  public static ModelMeta draft(String device, String runId, double mae) {
    double[] byHour = new double[24];
    for (int h = 0; h < 24; h++) {
      byHour[h] = h < 6 || h > 19 ? Double.NaN : mae + h / 10.0;
    }
    return ModelMeta.draft(device, runId, "cart", Map.of("max_depth", 4, "bins", 255),
        Json.MAPPER.createObjectNode().put("version", 1).put("lags_h", "1,24"),
        new DataWindow(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-11-21T00:00:00Z"), 480, 384, 96),
        MetricsDoc.of(new Metrics(mae, mae * 1.3, 0.91, 96)), null, ModelMeta.CHAMPION_NAIVE, null, byHour);
  }
}
