package com.retrainconsole.training;

import com.retrainconsole.common.ProgressListener;
import com.retrainconsole.common.UserException;
import com.retrainconsole.features.FeatureMatrix;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.VariableInfo;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.common.xgboost.XGBoostTrainer;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.ensemble.AveragingCombiner;
import org.tribuo.regression.rtree.CARTRegressionTrainer;
import org.tribuo.regression.rtree.impurity.MeanSquaredError;
import org.tribuo.regression.xgboost.XGBoostRegressionTrainer;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.Transformation;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.transformations.BinningTransformation;

/**
 * Builds the Tribuo trainer for a {@link TrainerParams} and trains it.
 *
 * <p>Cancellation: the calling thread's interrupt flag is checked while the dataset is built and between
 * stages, and a {@link CancellationException} is thrown. Tribuo's own training loops (CART splitting,
 * forest bagging, the native XGBoost rounds) do not look at the flag, so once a trainer's
 * {@code train} has started it runs to the end; hard cancel needs a child process (docs/ARCHITECTURE.md §6).
 */
public final class Trainers {
  /** Tribuo's default minimum child weight for CART. */
  private static final float MIN_CHILD_WEIGHT = 5f;
  /** decision: forest trees look at half the features per split (regression forests usually 1/3..1/2). */
  private static final float FOREST_FEATURE_FRACTION = 0.5f;

  private Trainers() {}

  public static Model<Regressor> train(FeatureMatrix train, TrainerParams p, ProgressListener progress) {
    if (train.size() < 2) {
      throw new UserException("need at least 2 training rows, got " + train.size()
          + "; widen the data window");
    }
    progress.update("building dataset", 0);
    TribuoData.throwIfInterrupted("dataset");
    MutableDataset<Regressor> data =
        TribuoData.dataset(train, () -> TribuoData.throwIfInterrupted("dataset"));
    progress.update("building dataset", 1);
    Trainer<Regressor> trainer = trainer(p, binsPerFeature(data, p.bins()));
    TribuoData.throwIfInterrupted("training");
    progress.update("training " + p.kind().id(), 0);
    Model<Regressor> model = trainer.train(data);
    TribuoData.throwIfInterrupted("training");
    progress.update("training " + p.kind().id(), 1);
    return model;
  }

  /** The configured Tribuo trainer; its provenance travels inside the model. */
  public static Trainer<Regressor> trainer(TrainerParams p) {
    return trainer(p, Map.of());
  }

  /** The trainer; {@code featureBins} (name → bins) replaces the one global bin count when not empty. */
  static Trainer<Regressor> trainer(TrainerParams p, Map<String, Integer> featureBins) {
    return switch (p.kind()) {
      case CART -> binned(new CARTRegressionTrainer(p.maxDepth(), MIN_CHILD_WEIGHT, 0f, 1f, false,
          new MeanSquaredError(), p.seed()), p.bins(), featureBins);
      case FOREST -> binned(new RandomForestTrainer<>(
          new CARTRegressionTrainer(p.maxDepth(), MIN_CHILD_WEIGHT, 0f, FOREST_FEATURE_FRACTION, false,
              new MeanSquaredError(), p.seed()),
          new AveragingCombiner(), p.trees(), p.seed()), p.bins(), featureBins);
      // decision: eta 0.3, no row/column subsampling, lambda 1 (xgboost defaults); hist is the fast method
      case XGBOOST -> new XGBoostRegressionTrainer(XGBoostTrainer.BoosterType.GBTREE,
          XGBoostTrainer.TreeMethod.HIST, XGBoostRegressionTrainer.RegressionType.LINEAR, p.trees(),
          0.3, 0, p.maxDepth(), 1, 1, 1, 1, 0, p.threads(),
          XGBoostTrainer.LoggingVerbosity.SILENT, p.seed());
    };
  }

  /**
   * Bins per feature: {@code bins}, or fewer for a feature observed no more often than that. Equal-frequency
   * binning refuses those (Tribuo stores zeros sparsely, so irradiance at night is "not observed") and a
   * short window failed to train. decision: per feature, not one lowered count for all: that cost accuracy
   * (a 5-day CART model fell behind the naive baseline).
   */
  static Map<String, Integer> binsPerFeature(MutableDataset<Regressor> data, int bins) {
    Map<String, Integer> out = new TreeMap<>();
    for (VariableInfo v : data.getFeatureMap()) {
      out.put(v.getName(), v.getCount() > bins ? bins : Math.max(2, v.getCount() - 1));
    }
    return out;
  }

  /**
   * decision: Tribuo 4.3.2's CART is quadratic in the distinct values of a feature (docs/ARCHITECTURE.md §4);
   * equal-frequency binning of every feature caps them at {@code bins}. The binning is fitted on the
   * training data and saved inside the model, so prediction applies the same bins.
   */
  static Trainer<Regressor> binned(Trainer<Regressor> inner, int bins, Map<String, Integer> featureBins) {
    if (featureBins.isEmpty()) {
      return new TransformTrainer<>(inner,
          new TransformationMap(List.of(BinningTransformation.equalFrequency(bins))));
    }
    // Tribuo applies global transformations to every feature as well, so there are none here
    Map<String, List<Transformation>> own = new HashMap<>();
    featureBins.forEach((name, n) -> own.put(name, List.of(BinningTransformation.equalFrequency(n))));
    return new TransformTrainer<>(inner, new TransformationMap(List.of(), own));
  }
}
