package com.retrainconsole.training;

import com.retrainconsole.common.UserException;
import com.retrainconsole.features.FeatureMatrix;

/** Train on the older rows, test on the newest. Never shuffles: shuffling leaks the future into training. */
public final class ChronologicalSplit {
  public static final double DEFAULT_TRAIN_FRACTION = 0.8;

  public record Split(FeatureMatrix train, FeatureMatrix test) {}

  private ChronologicalSplit() {}

  public static Split split(FeatureMatrix m) {
    return split(m, DEFAULT_TRAIN_FRACTION);
  }

  /** Rows are already in time order; the first floor(n * trainFraction) rows train. */
  public static Split split(FeatureMatrix m, double trainFraction) {
    if (!(trainFraction > 0 && trainFraction < 1)) {
      throw new UserException("train fraction must be between 0 and 1 (exclusive), got " + trainFraction);
    }
    int n = m.size();
    int cut = (int) Math.floor(n * trainFraction);
    if (cut < 1 || cut >= n) {
      throw new UserException("cannot split " + n + " rows at " + trainFraction
          + ": train and test both need rows; widen the data window");
    }
    return new Split(m.slice(0, cut), m.slice(cut, n));
  }
}
