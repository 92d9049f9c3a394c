package com.retrainconsole.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.registry.PromotionPolicy.Decision;
import com.retrainconsole.training.Metrics;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PromotionPolicyTest {
  private final PromotionPolicy policy = PromotionPolicy.defaults();
  private final Metrics naive = new Metrics(80.0, 120.0, 0.5, 96);

  @Test
  void promotes_candidate_when_mae_within_tolerance() {
    Decision d =
        policy.decide(new Metrics(41.2, 60, 0.9, 96), Optional.of(new Metrics(43.0, 61, 0.9, 96)), naive);
    assertTrue(d.promote());
    assertEquals("candidate MAE 41.2 ≤ champion MAE 43.0 × 1.10 = 47.3", d.reason());
  }

  @Test
  void promotes_slightly_worse_candidate_inside_the_tolerance() {
    Decision d =
        policy.decide(new Metrics(47.0, 60, 0.9, 96), Optional.of(new Metrics(43.0, 61, 0.9, 96)), naive);
    assertTrue(d.promote(), d.reason());
  }

  @Test
  void keeps_champion_when_candidate_mae_is_outside_tolerance() {
    Decision d =
        policy.decide(new Metrics(47.5, 60, 0.9, 96), Optional.of(new Metrics(43.0, 61, 0.9, 96)), naive);
    assertFalse(d.promote());
    assertEquals("candidate MAE 47.5 > champion MAE 43.0 × 1.10 = 47.3; keeping the champion", d.reason());
  }

  @Test
  void tolerance_is_configurable() {
    PromotionPolicy strict = new PromotionPolicy(0.0, 24);
    Decision d =
        strict.decide(new Metrics(43.1, 60, 0.9, 96), Optional.of(new Metrics(43.0, 61, 0.9, 96)), naive);
    assertFalse(d.promote());
    assertTrue(d.reason().contains("× 1.00 = 43.0"), d.reason());
  }

  @Test
  void first_model_is_promoted_when_it_beats_the_naive_baseline() {
    Decision d = policy.decide(new Metrics(41.2, 60, 0.9, 96), Optional.empty(), naive);
    assertTrue(d.promote());
    assertEquals(
        "first model for this device: candidate MAE 41.2 < naive baseline (same time yesterday) MAE 80.0",
        d.reason());
  }

  @Test
  void first_model_is_not_promoted_when_it_loses_to_the_naive_baseline() {
    Decision d = policy.decide(new Metrics(85.0, 130, 0.4, 96), Optional.empty(), naive);
    assertFalse(d.promote());
    assertTrue(d.reason().contains("candidate MAE 85.0 ≥ naive baseline"), d.reason());
  }

  @Test
  void first_model_is_not_promoted_when_the_baseline_cannot_be_computed() {
    Decision d =
        policy.decide(new Metrics(41.2, 60, 0.9, 96), Optional.empty(), new Metrics(Double.NaN, Double.NaN, Double.NaN, 0));
    assertFalse(d.promote());
    assertTrue(d.reason().contains("baseline could not be computed"), d.reason());
  }

  @Test
  void refuses_candidate_with_non_finite_metrics() {
    Decision d =
        policy.decide(
            new Metrics(Double.NaN, 60, 0.9, 96), Optional.of(new Metrics(43.0, 61, 0.9, 96)), naive);
    assertFalse(d.promote());
    assertTrue(d.reason().startsWith("candidate metrics are not finite (MAE NaN"), d.reason());
    Decision infinite =
        policy.decide(
            new Metrics(1.0, Double.POSITIVE_INFINITY, 0.9, 96), Optional.empty(), naive);
    assertFalse(infinite.promote());
  }

  @Test
  void refuses_candidate_tested_on_too_few_rows() {
    Decision d =
        policy.decide(new Metrics(10.0, 12, 0.99, 23), Optional.of(new Metrics(43.0, 61, 0.9, 23)), naive);
    assertFalse(d.promote());
    assertEquals(
        "test window has 23 rows, fewer than the 24 required for a fair comparison; not promoting",
        d.reason());
  }

  @Test
  void champion_that_cannot_be_evaluated_falls_back_to_the_baseline_rule() {
    Optional<Metrics> broken = Optional.of(new Metrics(Double.NaN, Double.NaN, Double.NaN, 96));
    assertTrue(policy.decide(new Metrics(41.2, 60, 0.9, 96), broken, naive).promote());
    Decision loses = policy.decide(new Metrics(90, 130, 0.3, 96), broken, naive);
    assertFalse(loses.promote());
    assertTrue(loses.reason().startsWith("champion metrics are not finite"), loses.reason());
  }

  @Test
  void rejects_nonsense_settings() {
    assertThrows(IllegalArgumentException.class, () -> new PromotionPolicy(-0.1, 24));
    assertThrows(IllegalArgumentException.class, () -> new PromotionPolicy(Double.NaN, 24));
    assertThrows(IllegalArgumentException.class, () -> new PromotionPolicy(0.1, 0));
  }
}
