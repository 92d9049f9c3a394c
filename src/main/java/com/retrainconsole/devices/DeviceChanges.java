package com.retrainconsole.devices;

import com.retrainconsole.features.FeatureSpec;
import java.util.List;

/**
 * What an add or edit sets; every null component means "leave as it is" (for an add: the default). The
 * feature-spec parts apply over the device's current spec (stored, or derived from its fields):
 * {@code featureSpec} replaces it whole, then {@code inputs}, {@code lags}, {@code rolling} and
 * {@code timeFeatures} replace their part; {@code resetFeatureSpec} drops the stored spec so the derived
 * default applies again.
 */
public record DeviceChanges(
    String site,
    String displayName,
    String zone,
    Double lat,
    Double lon,
    String target,
    String targetUnit,
    Boolean forecast,
    Boolean enabled,
    String notes,
    FeatureSpec featureSpec,
    List<String> inputs,
    List<FeatureSpec.Lag> lags,
    List<FeatureSpec.Rolling> rolling,
    Boolean timeFeatures,
    boolean resetFeatureSpec) {

  public static DeviceChanges none() {
    return new DeviceChanges(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, false);
  }

  public boolean touchesFeatureSpec() {
    return featureSpec != null || inputs != null || lags != null || rolling != null || timeFeatures != null
        || resetFeatureSpec;
  }

  public boolean isEmpty() {
    return equals(none());
  }

  public DeviceChanges withSite(String v) {
    return new DeviceChanges(v, displayName, zone, lat, lon, target, targetUnit, forecast, enabled, notes,
        featureSpec, inputs, lags, rolling, timeFeatures, resetFeatureSpec);
  }

  public DeviceChanges withDisplayName(String v) {
    return new DeviceChanges(site, v, zone, lat, lon, target, targetUnit, forecast, enabled, notes,
        featureSpec, inputs, lags, rolling, timeFeatures, resetFeatureSpec);
  }

  public DeviceChanges withZone(String v) {
    return new DeviceChanges(site, displayName, v, lat, lon, target, targetUnit, forecast, enabled, notes,
        featureSpec, inputs, lags, rolling, timeFeatures, resetFeatureSpec);
  }

  public DeviceChanges withLocation(Double newLat, Double newLon) {
    return new DeviceChanges(site, displayName, zone, newLat, newLon, target, targetUnit, forecast, enabled,
        notes, featureSpec, inputs, lags, rolling, timeFeatures, resetFeatureSpec);
  }

  public DeviceChanges withTarget(String v, String unit) {
    return new DeviceChanges(site, displayName, zone, lat, lon, v, unit, forecast, enabled, notes,
        featureSpec, inputs, lags, rolling, timeFeatures, resetFeatureSpec);
  }

  public DeviceChanges withForecast(Boolean v) {
    return new DeviceChanges(site, displayName, zone, lat, lon, target, targetUnit, v, enabled, notes,
        featureSpec, inputs, lags, rolling, timeFeatures, resetFeatureSpec);
  }

  public DeviceChanges withEnabled(Boolean v) {
    return new DeviceChanges(site, displayName, zone, lat, lon, target, targetUnit, forecast, v, notes,
        featureSpec, inputs, lags, rolling, timeFeatures, resetFeatureSpec);
  }

  public DeviceChanges withNotes(String v) {
    return new DeviceChanges(site, displayName, zone, lat, lon, target, targetUnit, forecast, enabled, v,
        featureSpec, inputs, lags, rolling, timeFeatures, resetFeatureSpec);
  }

  public DeviceChanges withFeatureSpec(FeatureSpec v) {
    return new DeviceChanges(site, displayName, zone, lat, lon, target, targetUnit, forecast, enabled, notes,
        v, inputs, lags, rolling, timeFeatures, resetFeatureSpec);
  }

  public DeviceChanges withInputs(List<String> v) {
    return new DeviceChanges(site, displayName, zone, lat, lon, target, targetUnit, forecast, enabled, notes,
        featureSpec, v, lags, rolling, timeFeatures, resetFeatureSpec);
  }

  public DeviceChanges withLags(List<FeatureSpec.Lag> v) {
    return new DeviceChanges(site, displayName, zone, lat, lon, target, targetUnit, forecast, enabled, notes,
        featureSpec, inputs, v, rolling, timeFeatures, resetFeatureSpec);
  }

  public DeviceChanges withRolling(List<FeatureSpec.Rolling> v) {
    return new DeviceChanges(site, displayName, zone, lat, lon, target, targetUnit, forecast, enabled, notes,
        featureSpec, inputs, lags, v, timeFeatures, resetFeatureSpec);
  }

  public DeviceChanges withTimeFeatures(Boolean v) {
    return new DeviceChanges(site, displayName, zone, lat, lon, target, targetUnit, forecast, enabled, notes,
        featureSpec, inputs, lags, rolling, v, resetFeatureSpec);
  }

  public DeviceChanges withResetFeatureSpec(boolean v) {
    return new DeviceChanges(site, displayName, zone, lat, lon, target, targetUnit, forecast, enabled, notes,
        featureSpec, inputs, lags, rolling, timeFeatures, v);
  }
}
