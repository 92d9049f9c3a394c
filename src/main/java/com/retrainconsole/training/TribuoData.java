package com.retrainconsole.training;

import com.retrainconsole.features.FeatureMatrix;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

/** FeatureMatrix to Tribuo examples and datasets, dense, one ArrayExample per row. */
final class TribuoData {
  /** Name of the single regression output dimension; the same for every model so they stay comparable. */
  static final String OUTPUT = "target";
  static final RegressionFactory FACTORY = new RegressionFactory();
  private static final int CHECK_EVERY = 8192;

  private TribuoData() {}

  static Example<Regressor> example(String[] names, double[] row, double y) {
    // ArrayExample copies the arrays and sorts by name; names are distinct (FeatureSpec.validate)
    return new ArrayExample<>(new Regressor(OUTPUT, y), names, row);
  }

  static MutableDataset<Regressor> dataset(FeatureMatrix m, Runnable cancelCheck) {
    String description = "telemetry features: " + m.size() + " rows"
        + (m.size() > 0 ? " from " + Instant.ofEpochMilli(m.ts()[0]) + " to "
            + Instant.ofEpochMilli(m.ts()[m.size() - 1]) : "")
        + ", features " + String.join(",", m.names());
    SimpleDataSourceProvenance provenance = new SimpleDataSourceProvenance(
        description, OffsetDateTime.now(ZoneOffset.UTC), FACTORY);
    List<Example<Regressor>> examples = new ArrayList<>(m.size());
    for (int i = 0; i < m.size(); i++) {
      if (i % CHECK_EVERY == 0) {
        cancelCheck.run();
      }
      examples.add(example(m.names(), m.x()[i], m.y()[i]));
    }
    return new MutableDataset<>(examples, provenance, FACTORY);
  }

  static void throwIfInterrupted(String stage) {
    if (Thread.currentThread().isInterrupted()) {
      throw new CancellationException("training cancelled during " + stage);
    }
  }
}
