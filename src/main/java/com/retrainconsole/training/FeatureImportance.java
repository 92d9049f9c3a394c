package com.retrainconsole.training;

import com.oracle.labs.mlrg.olcut.util.Pair;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.Model;
import org.tribuo.regression.Regressor;

/** Feature importance as Tribuo reports it (getTopFeatures), most important first. */
public final class FeatureImportance {
  private FeatureImportance() {}

  /** Empty when the model type offers none (Tribuo's ensembles, e.g. the forest). */
  public static Map<String, Double> of(Model<Regressor> model) {
    Map<String, List<Pair<String, Double>>> top;
    try {
      top = model.getTopFeatures(-1);
    } catch (UnsupportedOperationException e) {
      return Map.of();
    }
    Map<String, Double> out = new LinkedHashMap<>();
    if (top == null || top.isEmpty()) {
      return out;
    }
    // one output dimension; prefer ALL_OUTPUTS if a model reports it
    List<Pair<String, Double>> list = top.getOrDefault(Model.ALL_OUTPUTS, top.values().iterator().next());
    for (Pair<String, Double> p : list) {
      out.put(p.getA(), p.getB());
    }
    return out;
  }
}
