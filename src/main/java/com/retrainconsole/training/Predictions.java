package com.retrainconsole.training;

import com.retrainconsole.common.UserException;
import com.retrainconsole.features.FeatureMatrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.VariableInfo;
import org.tribuo.regression.Regressor;

/** Batch prediction over a feature matrix; features are matched by name, not position. */
public final class Predictions {
  private Predictions() {}

  public static double[] predict(Model<Regressor> model, FeatureMatrix m) {
    requireFeatures(model, m);
    List<Example<Regressor>> examples = new ArrayList<>(m.size());
    for (int i = 0; i < m.size(); i++) {
      // the label is unused by predict; RegressionFactory's unknown output marks it as such
      examples.add(TribuoData.example(m.names(), m.x()[i], Double.NaN));
    }
    List<Prediction<Regressor>> predictions = model.predict(examples);
    double[] out = new double[predictions.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = predictions.get(i).getOutput().getValues()[0];
    }
    return out;
  }

  /** Fails naming the features the model was trained on that the matrix lacks. */
  static void requireFeatures(Model<Regressor> model, FeatureMatrix m) {
    Set<String> have = new HashSet<>(Arrays.asList(m.names()));
    Set<String> missing = new TreeSet<>();
    for (VariableInfo info : model.getFeatureIDMap()) {
      if (!have.contains(info.getName())) {
        missing.add(info.getName());
      }
    }
    if (!missing.isEmpty()) {
      throw new UserException("the model expects feature(s) " + missing + " that the feature matrix lacks"
          + " (matrix has " + Arrays.toString(m.names()) + "); build features with the feature spec saved"
          + " with the model");
    }
  }
}
