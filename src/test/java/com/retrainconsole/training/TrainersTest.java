package com.retrainconsole.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.common.ProgressListener;
import com.retrainconsole.common.UserException;
import com.retrainconsole.features.FeatureBuilder;
import com.retrainconsole.features.FeatureMatrix;
import com.retrainconsole.features.FeatureSpec;
import com.retrainconsole.features.SyntheticSolar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tribuo.Model;
import org.tribuo.regression.Regressor;

class TrainersTest {
  private static ChronologicalSplit.Split split;

  @BeforeAll
  static void data() {
    // 20 days of 10-minute readings with gaps and NaNs
    FeatureMatrix m = FeatureBuilder.build(SyntheticSolar.window(2880, 10, 7, true),
        FeatureSpec.defaults(), SyntheticSolar.ZONE);
    split = ChronologicalSplit.split(m, 0.8);
  }

  /** Small but real settings so the suite stays fast. */
  private static TrainerParams params(TrainerKind kind) {
    return TrainerParams.defaults(kind).withTrees(kind == TrainerKind.FOREST ? 8 : 40).withMaxDepth(8);
  }

  @ParameterizedTest
  @EnumSource(TrainerKind.class)
  void each_trainer_beats_a_constant_mean_predictor_on_held_out_data(TrainerKind kind) {
    List<String> stages = new ArrayList<>();
    Model<Regressor> model = Trainers.train(split.train(), params(kind), (s, f) -> stages.add(s + ":" + f));

    double[] predicted = Predictions.predict(model, split.test());
    Metrics metrics = Metrics.of(split.test().y(), predicted);
    double mean = Arrays.stream(split.train().y()).average().orElseThrow();
    double[] constant = new double[split.test().size()];
    Arrays.fill(constant, mean);
    Metrics baseline = Metrics.of(split.test().y(), constant);

    assertTrue(metrics.mae() < 0.3 * baseline.mae(), kind + " " + metrics + " vs constant " + baseline);
    assertTrue(metrics.r2() > 0.9, kind + " " + metrics);
    assertTrue(stages.contains("training " + kind.id() + ":1.0"), stages.toString());
  }

  @ParameterizedTest
  @EnumSource(TrainerKind.class)
  void save_and_load_round_trip_gives_identical_predictions(TrainerKind kind, @TempDir Path dir) {
    Model<Regressor> model = Trainers.train(split.train(), params(kind), ProgressListener.NONE);
    Path file = dir.resolve("v1.tribuo");

    ModelFiles.save(model, file);
    Model<Regressor> loaded = ModelFiles.load(file);

    assertArrayEquals(Predictions.predict(model, split.test()), Predictions.predict(loaded, split.test()),
        0.0);
    assertEquals(FeatureImportance.of(model), FeatureImportance.of(loaded));
  }

  @Test
  void cart_and_xgboost_report_feature_importance_naming_real_features() {
    for (TrainerKind kind : List.of(TrainerKind.CART, TrainerKind.XGBOOST)) {
      Map<String, Double> importance =
          FeatureImportance.of(Trainers.train(split.train(), params(kind), ProgressListener.NONE));
      assertFalse(importance.isEmpty(), kind.id());
      assertTrue(List.of(split.train().names()).containsAll(importance.keySet()), importance.toString());
    }
  }

  @Test
  void corrupt_model_file_fails_with_a_clear_message(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("broken.tribuo");
    Model<Regressor> model = Trainers.train(split.train(), params(TrainerKind.CART), ProgressListener.NONE);
    ModelFiles.save(model, file);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));

    UserException e = assertThrows(UserException.class, () -> ModelFiles.load(file));
    assertTrue(e.getMessage().startsWith("model file " + file + " is not a readable Tribuo model"),
        e.getMessage());
    assertTrue(e.getMessage().contains("retrain or restore"), e.getMessage());

    UserException missing = assertThrows(UserException.class, () -> ModelFiles.load(dir.resolve("nope")));
    assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
  }

  @Test
  void predicting_without_a_feature_the_model_needs_names_it() {
    Model<Regressor> model = Trainers.train(split.train(), params(TrainerKind.CART), ProgressListener.NONE);
    FeatureMatrix test = split.test();
    String[] names = test.names().clone();
    names[0] = "something_else";
    FeatureMatrix renamed = new FeatureMatrix(names, test.x(), test.y(), test.ts(), test.naive());

    UserException e = assertThrows(UserException.class, () -> Predictions.predict(model, renamed));
    assertTrue(e.getMessage().contains("expects feature(s) [" + test.names()[0] + "]"), e.getMessage());
  }

  @Test
  void predictions_match_features_by_name_not_by_column_position() {
    Model<Regressor> model = Trainers.train(split.train(), params(TrainerKind.CART), ProgressListener.NONE);
    FeatureMatrix test = split.test();
    int f = test.names().length;
    String[] reversedNames = new String[f];
    double[][] reversedX = new double[test.size()][f];
    for (int j = 0; j < f; j++) {
      reversedNames[j] = test.names()[f - 1 - j];
      for (int i = 0; i < test.size(); i++) {
        reversedX[i][j] = test.x()[i][f - 1 - j];
      }
    }
    FeatureMatrix reversed = new FeatureMatrix(reversedNames, reversedX, test.y(), test.ts(), test.naive());

    assertArrayEquals(Predictions.predict(model, test), Predictions.predict(model, reversed), 0.0);
  }

  @Test
  void training_on_an_interrupted_thread_is_cancelled() {
    Thread.currentThread().interrupt();
    try {
      assertThrows(CancellationException.class,
          () -> Trainers.train(split.train(), params(TrainerKind.CART), ProgressListener.NONE));
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void trainer_kind_parses_case_insensitively_and_lists_valid_names() {
    assertEquals(TrainerKind.XGBOOST, TrainerKind.parse("XGBoost"));
    assertEquals(TrainerKind.CART, TrainerKind.parse(" cart "));
    UserException e = assertThrows(UserException.class, () -> TrainerKind.parse("svm"));
    assertEquals("unknown trainer 'svm'; valid trainers: cart, forest, xgboost", e.getMessage());
  }

  @Test
  void trainer_params_print_and_map_every_field() {
    TrainerParams p = new TrainerParams(TrainerKind.FOREST, 9, 50, 127, 3, 2);
    assertEquals("TrainerParams(trainer=forest, max_depth=9, trees=50, bins=127, seed=3, threads=2)",
        p.toString());
    assertEquals(Map.of("trainer", "forest", "max_depth", 9, "trees", 50, "bins", 127, "seed", 3L,
        "threads", 2), p.toMap());
    assertEquals(12, TrainerParams.defaults(TrainerKind.CART).maxDepth());
    assertEquals(6, TrainerParams.defaults(TrainerKind.XGBOOST).maxDepth());
    assertThrows(UserException.class, () -> new TrainerParams(TrainerKind.CART, 0, 1, 2, 1, 1));
  }
}
