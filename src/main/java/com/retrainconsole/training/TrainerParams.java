package com.retrainconsole.training;

import com.retrainconsole.common.UserException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hyper-parameters of one training run. {@link #toString()} prints every field and goes into the run's
 * log; {@link #toMap()} goes into the run record and model meta.
 *
 * @param kind which trainer
 * @param maxDepth maximum tree depth (all trainers; default 12 for cart and forest, 6 for xgboost)
 * @param trees number of trees (forest: bagged trees; xgboost: boosting rounds); ignored by cart
 * @param bins equal-frequency bins per feature for the Tribuo trees (cart, forest); ignored by xgboost,
 *     whose hist method bins internally (256 bins)
 * @param seed random seed (forest bootstrap and feature sampling, xgboost)
 * @param threads worker threads (xgboost only; Tribuo's CART and forest train on one thread)
 */
public record TrainerParams(TrainerKind kind, int maxDepth, int trees, int bins, long seed, int threads) {
  public static final int DEFAULT_MAX_DEPTH = 12;
  /**
   * decision: boosted trees want shallow trees. On 192k synthetic rows (TrainingBenchmark) depth 6 trained
   * in 2.9 s with MAE 15.7 against 20.5 s and MAE 16.6 at depth 12.
   */
  public static final int DEFAULT_XGBOOST_MAX_DEPTH = 6;
  public static final int DEFAULT_TREES = 100;
  public static final int DEFAULT_BINS = 255;
  public static final long DEFAULT_SEED = 42L;

  public TrainerParams {
    if (kind == null) {
      throw new UserException("trainer kind missing; valid trainers: cart, forest, xgboost");
    }
    require(maxDepth >= 1, "max_depth must be >= 1, got " + maxDepth);
    require(trees >= 1, "trees must be >= 1, got " + trees);
    require(bins >= 2, "bins must be >= 2, got " + bins);
    require(threads >= 1, "threads must be >= 1, got " + threads);
  }

  public static TrainerParams defaults(TrainerKind kind) {
    int depth = kind == TrainerKind.XGBOOST ? DEFAULT_XGBOOST_MAX_DEPTH : DEFAULT_MAX_DEPTH;
    return new TrainerParams(kind, depth, DEFAULT_TREES, DEFAULT_BINS, DEFAULT_SEED,
        Runtime.getRuntime().availableProcessors());
  }

  public TrainerParams withTrees(int n) {
    return new TrainerParams(kind, maxDepth, n, bins, seed, threads);
  }

  public TrainerParams withMaxDepth(int d) {
    return new TrainerParams(kind, d, trees, bins, seed, threads);
  }

  public TrainerParams withBins(int b) {
    return new TrainerParams(kind, maxDepth, trees, b, seed, threads);
  }

  public TrainerParams withSeed(long s) {
    return new TrainerParams(kind, maxDepth, trees, bins, s, threads);
  }

  public TrainerParams withThreads(int t) {
    return new TrainerParams(kind, maxDepth, trees, bins, seed, t);
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("trainer", kind.id());
    m.put("max_depth", maxDepth);
    m.put("trees", trees);
    m.put("bins", bins);
    m.put("seed", seed);
    m.put("threads", threads);
    return m;
  }

  @Override
  public String toString() {
    return "TrainerParams(trainer=" + kind.id() + ", max_depth=" + maxDepth + ", trees=" + trees
        + ", bins=" + bins + ", seed=" + seed + ", threads=" + threads + ")";
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new UserException(message);
    }
  }
}
