package com.retrainconsole.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.common.FieldException;
import com.retrainconsole.runs.MetricCondition.Metric;
import com.retrainconsole.runs.MetricCondition.Op;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricConditionTest {

  private static String error(String text) {
    FieldException e = assertThrows(FieldException.class, () -> MetricCondition.parse(text), text);
    assertEquals(MetricCondition.FIELD, e.field());
    return e.reason();
  }

  @Test
  void reads_the_forms_an_analyst_types() {
    assertEquals(List.of(new MetricCondition(Metric.MAE, Op.LT, 40)), MetricCondition.parse("mae < 40"));
    assertEquals(List.of(new MetricCondition(Metric.RMSE, Op.LE, 55.5)), MetricCondition.parse("rmse<=55.5"));
    assertEquals(List.of(new MetricCondition(Metric.R2, Op.GE, 0.9)), MetricCondition.parse("  R² >= 0.9 "));
    assertEquals(List.of(new MetricCondition(Metric.MAE, Op.GT, 12.5), new MetricCondition(Metric.R2, Op.GE, 0.9),
            new MetricCondition(Metric.RMSE, Op.EQ, 3)),
        MetricCondition.parse("MAE > 12.5 W, r2 >= 0.9 AND rmse == 3"));
    assertEquals(List.of(), MetricCondition.parse("   "));
    assertEquals(List.of(), MetricCondition.parse(null));
    assertEquals("mae < 40", new MetricCondition(Metric.MAE, Op.LT, 40).toString());
    assertEquals("r2 >= 0.9", new MetricCondition(Metric.R2, Op.GE, 0.9).toString());
  }

  @Test
  void a_bad_expression_names_the_bad_part_and_the_accepted_form() {
    assertEquals("Unknown metric 'maee': use mae, rmse or r2", error("maee < 40"));
    assertEquals("Unknown metric 'mean error': use mae, rmse or r2", error("mae < 40, mean error > 3"));
    assertEquals("Unknown operator '=<' in 'mae =< 40': use <, <=, >, >= or =", error("mae =< 40"));
    assertEquals("Unknown operator '!=' in 'r2 != 1': use <, <=, >, >= or =", error("r2 != 1"));
    assertTrue(error("mae 40").startsWith("'mae 40' has no comparison: write it like mae < 40"), error("mae 40"));
    assertTrue(error("mae <").startsWith("'mae <' has no value"), error("mae <"));
    assertEquals("'forty' in 'mae < forty' is not a number: write it like mae < 40 (W)", error("mae < forty"));
    assertEquals("'0.9x' in 'r2 >= 0.9x' is not a number: write it like r2 >= 0.9", error("r2 >= 0.9x"));
    assertEquals("'NaN' in 'mae < NaN' is not a number: write it like mae < 40 (W)", error("mae < NaN"));
    assertTrue(error("mae < 40,").startsWith("An empty condition"), error("mae < 40,"));
    assertTrue(error("< 40").startsWith("'< 40' names no metric"), error("< 40"));
  }

  @Test
  void a_run_without_the_metric_never_matches() {
    MetricCondition c = new MetricCondition(Metric.MAE, Op.LT, 40);
    assertTrue(c.matches(39.9));
    assertFalse(c.matches(40.0));
    assertFalse(c.matches(null));
    assertFalse(c.matches(Double.NaN));
    assertTrue(new MetricCondition(Metric.R2, Op.GE, 0.9).matches(0.9));
  }
}
