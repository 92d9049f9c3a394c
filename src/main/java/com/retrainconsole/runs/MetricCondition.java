package com.retrainconsole.runs;

import com.mongodb.client.model.Filters;
import com.retrainconsole.common.FieldException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bson.conversions.Bson;

/**
 * One condition on a run's holdout metric, such as {@code mae < 40}: the typed form of what an analyst
 * types into the history's metric filter (the console; the CLI and API can take the same text). A run
 * without the metric (pending, failed) never matches, as in the store query.
 */
public record MetricCondition(Metric metric, Op op, double value) {
  /** The field name of {@link #parse} errors. */
  public static final String FIELD = "metrics";

  /** The metrics a run stores; MAE and RMSE in W, R² unitless. */
  public enum Metric {
    MAE("mae"), RMSE("rmse"), R2("r2");

    private final String key;

    Metric(String key) {
      this.key = key;
    }

    /** The name as typed and as stored under {@code metrics}. */
    public String key() {
      return key;
    }

    public Double of(RunRecord.Metrics m) {
      if (m == null) {
        return null;
      }
      return switch (this) {
        case MAE -> m.mae();
        case RMSE -> m.rmse();
        case R2 -> m.r2();
      };
    }

    static Metric parse(String typed) {
      String k = typed.toLowerCase(Locale.ROOT).replace("²", "2");
      for (Metric m : values()) {
        if (m.key.equals(k)) {
          return m;
        }
      }
      return null;
    }
  }

  public enum Op {
    LT("<"), LE("<="), GT(">"), GE(">="), EQ("=");

    private final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    static Op parse(String typed) {
      String s = "==".equals(typed) ? "=" : typed;
      for (Op o : values()) {
        if (o.symbol.equals(s)) {
          return o;
        }
      }
      return null;
    }

    boolean test(double actual, double wanted) {
      return switch (this) {
        case LT -> actual < wanted;
        case LE -> actual <= wanted;
        case GT -> actual > wanted;
        case GE -> actual >= wanted;
        case EQ -> actual == wanted;
      };
    }
  }

  private static final String FORM = "write it like mae < 40 or r2 >= 0.9 (metrics mae, rmse, r2; operators"
      + " < <= > >= =; conditions separated by , or and)";
  private static final Pattern SEPARATOR = Pattern.compile("\\s*,\\s*|\\s+and\\s+", Pattern.CASE_INSENSITIVE);
  // name, operator, value: the parts are checked one by one so the error can name the bad one
  private static final Pattern CONDITION = Pattern.compile("^([^<>=!]*?)\\s*([<>=!]+)\\s*(.*?)\\s*$");
  private static final Pattern WATTS = Pattern.compile("(?i)\\s*w$");

  public boolean matches(Double actual) {
    return actual != null && !actual.isNaN() && op.test(actual, value);
  }

  /** The store's form: {@code metrics.<key> <op> value}; a missing metric does not match. */
  public Bson toBson() {
    String field = RunCodec.METRICS + "." + metric.key();
    return switch (op) {
      case LT -> Filters.lt(field, value);
      case LE -> Filters.lte(field, value);
      case GT -> Filters.gt(field, value);
      case GE -> Filters.gte(field, value);
      case EQ -> Filters.eq(field, value);
    };
  }

  /** As typed: {@code mae < 40}. */
  @Override
  public String toString() {
    return metric.key() + " " + op.symbol() + " " + (value == Math.rint(value) && Math.abs(value) < 1e15
        ? String.valueOf((long) value) : String.valueOf(value));
  }

  /**
   * Reads {@code mae < 40, r2 >= 0.9} (or {@code ... and ...}); blank text is no condition. Throws a
   * {@link FieldException} on {@value #FIELD} naming the bad part and the accepted form.
   */
  public static List<MetricCondition> parse(String text) {
    List<MetricCondition> out = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String part : SEPARATOR.split(text.strip(), -1)) {
      out.add(parseOne(part.strip()));
    }
    return out;
  }

  private static MetricCondition parseOne(String part) {
    if (part.isEmpty()) {
      throw new FieldException(FIELD, "An empty condition (a stray comma or 'and'): " + FORM);
    }
    Matcher m = CONDITION.matcher(part);
    if (!m.matches()) {
      throw new FieldException(FIELD, "'" + part + "' has no comparison: " + FORM);
    }
    String name = m.group(1);
    String opText = m.group(2);
    String valueText = m.group(3);
    if (name.isEmpty()) {
      throw new FieldException(FIELD, "'" + part + "' names no metric: use mae, rmse or r2, e.g. mae < 40");
    }
    Metric metric = Metric.parse(name);
    if (metric == null) {
      throw new FieldException(FIELD, "Unknown metric '" + name + "': use mae, rmse or r2");
    }
    Op op = Op.parse(opText);
    if (op == null) {
      throw new FieldException(FIELD, "Unknown operator '" + opText + "' in '" + part
          + "': use <, <=, >, >= or =");
    }
    if (valueText.isEmpty()) {
      throw new FieldException(FIELD, "'" + part + "' has no value: " + FORM);
    }
    String number = metric == Metric.R2 ? valueText : WATTS.matcher(valueText).replaceFirst("");
    double value;
    try {
      value = Double.parseDouble(number.strip());
    } catch (NumberFormatException e) {
      value = Double.NaN;
    }
    if (!Double.isFinite(value) || !number.strip().matches("[-+]?[0-9.]+([eE][-+]?[0-9]+)?")) {
      throw new FieldException(FIELD, "'" + valueText + "' in '" + part + "' is not a number: "
          + (metric == Metric.R2 ? "write it like r2 >= 0.9" : "write it like " + metric.key() + " < 40 (W)"));
    }
    return new MetricCondition(metric, op, value);
  }
}
