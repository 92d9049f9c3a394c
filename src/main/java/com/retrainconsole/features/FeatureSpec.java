package com.retrainconsole.features;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.retrainconsole.common.Json;
import com.retrainconsole.common.UserException;
import com.retrainconsole.telemetry.CanonicalFields;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bson.Document;

/**
 * How a device's telemetry becomes model input. Saved with every model and stored per device, so the
 * prediction side rebuilds exactly the features the model was trained on.
 *
 * <p>Durations are ISO-8601 in JSON ({@code "PT1H"}). {@code lagTolerance} null means "half the median
 * sampling interval of the window".
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record FeatureSpec(
    @JsonProperty("target") String target,
    @JsonProperty("inputs") List<String> inputs,
    @JsonProperty("time_of_day") boolean timeOfDay,
    @JsonProperty("day_of_year") boolean dayOfYear,
    @JsonProperty("lags") List<Lag> lags,
    @JsonProperty("rolling") List<Rolling> rolling,
    @JsonProperty("lag_tolerance") Duration lagTolerance) {

  /** The value of {@code field} one {@code lag} before the row's time (nearest reading within tolerance). */
  public record Lag(@JsonProperty("field") String field, @JsonProperty("lag") Duration lag) {
    public Lag {
      if (lag == null || lag.isNegative() || lag.isZero()) {
        throw new UserException("lag on " + field + " must be a positive duration, got " + lag);
      }
    }

    public String featureName() {
      return field + "_lag_" + FeatureSpec.shortDuration(lag);
    }
  }

  /** Trailing mean and standard deviation of {@code field} over {@code window}, ending at the row. */
  public record Rolling(@JsonProperty("field") String field, @JsonProperty("window") Duration window) {
    public Rolling {
      if (window == null || window.isNegative() || window.isZero()) {
        throw new UserException("rolling window on " + field + " must be a positive duration, got " + window);
      }
    }

    public String meanName() {
      return field + "_mean_" + FeatureSpec.shortDuration(window);
    }

    public String stdName() {
      return field + "_std_" + FeatureSpec.shortDuration(window);
    }
  }

  public static final String TOD_SIN = "tod_sin";
  public static final String TOD_COS = "tod_cos";
  public static final String DOY_SIN = "doy_sin";
  public static final String DOY_COS = "doy_cos";

  public FeatureSpec {
    if (target == null || target.isBlank()) {
      throw new UserException("feature spec needs a target field, e.g. \"power_w\"");
    }
    inputs = List.copyOf(inputs == null ? List.of() : inputs);
    lags = List.copyOf(lags == null ? List.of() : lags);
    rolling = List.copyOf(rolling == null ? List.of() : rolling);
    if (inputs.contains(target)) {
      // decision: the raw target as an input is the answer itself; refuse rather than train a useless model.
      throw new UserException("feature spec lists the target " + target + " among its inputs; remove it"
          + " (use a lag on the target instead)");
    }
    if (lagTolerance != null && (lagTolerance.isNegative() || lagTolerance.isZero())) {
      throw new UserException("lag_tolerance must be positive or null (auto), got " + lagTolerance);
    }
  }

  /**
   * decision: defaults follow what usually carries signal on real trackers (cloud persistence: 1 h
   * target lag, 15 min irradiance lag, 1 h/3 h irradiance mean/std; soiling and the naive baseline: 24 h
   * lag). Measured caveat (TrainingBenchmark "features", xgboost, 60 days of synthetic data): raw inputs
   * alone scored MAE 18.5, these defaults 20.7, raw + time 24.5, because the simulator's power is a
   * function of the raw inputs only; re-run the experiment on the shared simulator / real data.
   */
  public static FeatureSpec defaults() {
    return new FeatureSpec(
        "power_w",
        List.of("irradiance_wm2", "ambient_temp_c", "module_temp_c"),
        true,
        true,
        List.of(
            new Lag("power_w", Duration.ofHours(1)),
            new Lag("power_w", Duration.ofHours(24)),
            new Lag("irradiance_wm2", Duration.ofMinutes(15))),
        List.of(
            new Rolling("irradiance_wm2", Duration.ofHours(1)),
            new Rolling("irradiance_wm2", Duration.ofHours(3))),
        null);
  }

  /**
   * The spec a device gets when nobody chose one, built from the fields its telemetry actually has:
   * the weather inputs present (irradiance, ambient and module temperature), time of day and day of year,
   * a 15 min irradiance lag and 1 h / 3 h irradiance mean and spread when irradiance exists, and the
   * target 1 h and 24 h earlier only when the target is a live reading (a pure forecast has no recent
   * target to look at). decision: train must never fail over a spec the user never chose.
   */
  public static FeatureSpec derived(String target, java.util.Collection<String> fields, boolean forecast) {
    List<String> inputs = new ArrayList<>();
    for (String f : CanonicalFields.WEATHER_INPUTS) {
      if (fields.contains(f) && !f.equals(target)) {
        inputs.add(f);
      }
    }
    List<Lag> lags = new ArrayList<>();
    List<Rolling> rolling = new ArrayList<>();
    if (!forecast && fields.contains(target)) {
      lags.add(new Lag(target, Duration.ofHours(1)));
      lags.add(new Lag(target, Duration.ofHours(24)));
    }
    String irradiance = CanonicalFields.IRRADIANCE;
    if (fields.contains(irradiance) && !irradiance.equals(target)) {
      lags.add(new Lag(irradiance, Duration.ofMinutes(15)));
      rolling.add(new Rolling(irradiance, Duration.ofHours(1)));
      rolling.add(new Rolling(irradiance, Duration.ofHours(3)));
    }
    return new FeatureSpec(target, inputs, true, true, lags, rolling, null);
  }

  /** A copy with other inputs (checked by the constructor like any spec). */
  public FeatureSpec withInputs(List<String> newInputs) {
    return new FeatureSpec(target, newInputs, timeOfDay, dayOfYear, lags, rolling, lagTolerance);
  }

  public FeatureSpec withLags(List<Lag> newLags) {
    return new FeatureSpec(target, inputs, timeOfDay, dayOfYear, newLags, rolling, lagTolerance);
  }

  public FeatureSpec withRolling(List<Rolling> newRolling) {
    return new FeatureSpec(target, inputs, timeOfDay, dayOfYear, lags, newRolling, lagTolerance);
  }

  /** Time of day and day of year switched together, as the CLI's --time-features does. */
  public FeatureSpec withTimeFeatures(boolean on) {
    return new FeatureSpec(target, inputs, on, on, lags, rolling, lagTolerance);
  }

  /** The same spec aimed at another target: lags of the old target follow it. */
  public FeatureSpec withTarget(String newTarget) {
    List<Lag> moved = lags.stream().map(l -> l.field().equals(target) ? new Lag(newTarget, l.lag()) : l).toList();
    return new FeatureSpec(newTarget, inputs.stream().filter(i -> !i.equals(newTarget)).toList(), timeOfDay,
        dayOfYear, moved, rolling, lagTolerance);
  }

  /** Feature column names in matrix order. */
  @JsonIgnore
  public List<String> featureNames() {
    List<String> names = new ArrayList<>(inputs);
    if (timeOfDay) {
      names.add(TOD_SIN);
      names.add(TOD_COS);
    }
    if (dayOfYear) {
      names.add(DOY_SIN);
      names.add(DOY_COS);
    }
    for (Lag l : lags) {
      names.add(l.featureName());
    }
    for (Rolling r : rolling) {
      names.add(r.meanName());
      names.add(r.stdName());
    }
    return names;
  }

  /**
   * How much telemetry before the first row these features read: the longest lag or rolling window, and at
   * least the day the naive "same time yesterday" column looks back.
   */
  @JsonIgnore
  public Duration lookback() {
    Duration max = FeatureBuilder.NAIVE_LAG;
    for (Lag lag : lags) {
      max = lag.lag().compareTo(max) > 0 ? lag.lag() : max;
    }
    for (Rolling r : rolling) {
      max = r.window().compareTo(max) > 0 ? r.window() : max;
    }
    return max;
  }

  /** Every telemetry field the spec reads. */
  @JsonIgnore
  public Set<String> requiredFields() {
    Set<String> fields = new LinkedHashSet<>();
    fields.add(target);
    fields.addAll(inputs);
    lags.forEach(l -> fields.add(l.field()));
    rolling.forEach(r -> fields.add(r.field()));
    return fields;
  }

  /** Throws a UserException naming the fields the telemetry lacks and listing those it has. */
  public void validate(Set<String> availableFields) {
    List<String> missing = new ArrayList<>();
    for (String f : requiredFields()) {
      if (!availableFields.contains(f)) {
        missing.add(f);
      }
    }
    if (!missing.isEmpty()) {
      throw new UserException("feature spec needs field(s) " + missing + " that the telemetry lacks;"
          + " available fields: " + new TreeSet<>(availableFields)
          + ". Fix the device's column mapping or edit the feature spec.");
    }
    List<String> names = featureNames();
    if (new LinkedHashSet<>(names).size() != names.size()) {
      throw new UserException("feature spec produces duplicate feature names " + names
          + "; remove the repeated lag or rolling window");
    }
  }

  public String toJson() {
    try {
      return Json.MAPPER.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("feature spec not serialisable", e);
    }
  }

  public static FeatureSpec fromJson(String json) {
    try {
      return Json.MAPPER.readValue(json, FeatureSpec.class);
    } catch (JsonProcessingException e) {
      throw new UserException("feature spec JSON is invalid: " + e.getOriginalMessage()
          + ". Expected fields: target, inputs, time_of_day, day_of_year, lags, rolling, lag_tolerance", e);
    }
  }

  /** The spec a saved model was trained with (its meta's feature_spec); UserException naming the version. */
  public static FeatureSpec ofModel(JsonNode featureSpec, String version) {
    try {
      return Json.MAPPER.treeToValue(featureSpec, FeatureSpec.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new UserException("Version " + version + " has no usable feature_spec in its meta (" + e.getMessage()
          + ")", e);
    }
  }

  public Document toDocument() {
    return Document.parse(toJson());
  }

  public static FeatureSpec fromDocument(Document doc) {
    return fromJson(doc.toJson());
  }

  /** 1h, 15m, 90s: short and stable, used in feature names. */
  static String shortDuration(Duration d) {
    long s = d.getSeconds();
    if (s % 86400 == 0 && s >= 86400 * 2) {
      return (s / 86400) + "d";
    }
    if (s % 3600 == 0) {
      return (s / 3600) + "h";
    }
    if (s % 60 == 0) {
      return (s / 60) + "m";
    }
    return s + "s";
  }
}
