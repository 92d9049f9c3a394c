package com.retrainconsole.registry;

import com.retrainconsole.training.Metrics;
import java.util.Locale;
import java.util.Optional;

/**
 * Champion/challenger rule (docs/ARCHITECTURE.md §5). Candidate and champion are evaluated on the same newest test
 * window; the candidate is promoted when its MAE ≤ champion MAE × (1 + tolerance), with at least {@code
 * minTestRows} test rows and finite metrics. A device's first model must beat the naive "same time
 * yesterday" baseline.
 *
 * @param tolerance how much worse than the champion a candidate may be and still win (0.10 = 10%): a
 *     fresher model of equal quality is preferred, since it has seen the newest conditions
 * @param minTestRows fewer test rows than this make the comparison noise (24 = one day of hourly rows)
 */
public record PromotionPolicy(double tolerance, int minTestRows) {
  public static final double DEFAULT_TOLERANCE = 0.10;
  public static final int DEFAULT_MIN_TEST_ROWS = 24;

  public PromotionPolicy {
    if (!(tolerance >= 0) || !Double.isFinite(tolerance)) {
      throw new IllegalArgumentException("tolerance must be a finite number >= 0, not " + tolerance);
    }
    if (minTestRows < 1) {
      throw new IllegalArgumentException("minTestRows must be >= 1, not " + minTestRows);
    }
  }

  public static PromotionPolicy defaults() {
    return new PromotionPolicy(DEFAULT_TOLERANCE, DEFAULT_MIN_TEST_ROWS);
  }

  /** Whether to promote, with a sentence that says why in numbers. */
  public record Decision(boolean promote, String reason) {}

  public Decision decide(Metrics candidate, Optional<Metrics> champion, Metrics naiveBaseline) {
    if (!candidate.finite()) {
      return new Decision(
          false,
          "candidate metrics are not finite (MAE " + num(candidate.mae()) + ", RMSE "
              + num(candidate.rmse()) + ", R² " + num(candidate.r2()) + "); not promoting");
    }
    if (candidate.n() < minTestRows) {
      return new Decision(
          false,
          "test window has " + candidate.n() + " rows, fewer than the " + minTestRows
              + " required for a fair comparison; not promoting");
    }
    if (champion.isPresent() && champion.get().finite()) {
      double champ = champion.get().mae();
      double limit = champ * (1 + tolerance);
      String factor = String.format(Locale.ROOT, "%.2f", 1 + tolerance);
      if (candidate.mae() <= limit) {
        return new Decision(
            true,
            "candidate MAE " + num(candidate.mae()) + " ≤ champion MAE " + num(champ) + " × " + factor
                + " = " + num(limit));
      }
      return new Decision(
          false,
          "candidate MAE " + num(candidate.mae()) + " > champion MAE " + num(champ) + " × " + factor
              + " = " + num(limit) + "; keeping the champion");
    }
    // No champion, or one that could not be evaluated on this window: the candidate must at least beat
    // "same time yesterday".
    String why =
        champion.isPresent()
            ? "champion metrics are not finite (MAE " + num(champion.get().mae()) + "), so"
            : "first model for this device:";
    if (naiveBaseline == null || !Double.isFinite(naiveBaseline.mae())) {
      return new Decision(
          false,
          why + " it must beat the naive baseline (same time yesterday), but the baseline could not"
              + " be computed on this window; not promoting");
    }
    if (candidate.mae() < naiveBaseline.mae()) {
      return new Decision(
          true,
          why + " candidate MAE " + num(candidate.mae()) + " < naive baseline (same time yesterday)"
              + " MAE " + num(naiveBaseline.mae()));
    }
    return new Decision(
        false,
        why + " candidate MAE " + num(candidate.mae()) + " ≥ naive baseline (same time yesterday) MAE "
            + num(naiveBaseline.mae()) + "; not promoting");
  }

  /** Short numbers for sentences: 41.2, 0.0123, 1234. */
  static String num(double v) {
    if (!Double.isFinite(v)) {
      return Double.toString(v);
    }
    double a = Math.abs(v);
    String pattern = a >= 1000 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 || a == 0 ? "%.2f" : "%.3g";
    return String.format(Locale.ROOT, pattern, v);
  }
}
