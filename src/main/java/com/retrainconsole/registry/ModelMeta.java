package com.retrainconsole.registry;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code <version>.meta.json}: everything known about one saved model. {@code feature_spec} is opaque JSON
 * owned by the features package. {@code champion_metrics} are the metrics of what the candidate was
 * compared with on the same test window; {@code champion_source} says what that was: {@link
 * #CHAMPION_MODEL} (the production model, {@code champion_version}) or {@link #CHAMPION_NAIVE} (the
 * "same time yesterday" baseline, for a device's first model). {@code mae_by_hour} has 24 entries (UTC
 * hour; NaN where the test window had no rows). {@code label}, {@code note} and {@code tags} are what people
 * wrote on the version ({@link VersionNotes}); present only when set.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({
  "version", "device_id", "run_id", "created_at", "trainer", "params", "feature_spec", "data",
  "metrics", "champion_metrics", "champion_source", "champion_version", "mae_by_hour", "sha256",
  "size_bytes", "stage", "stage_history", "label", "note", "tags"
})
public record ModelMeta(
    @JsonProperty("version") String version,
    @JsonProperty("device_id") String deviceId,
    @JsonProperty("run_id") String runId,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("trainer") String trainer,
    @JsonProperty("params") Map<String, Object> params,
    @JsonProperty("feature_spec") JsonNode featureSpec,
    @JsonProperty("data") DataWindow data,
    @JsonProperty("metrics") MetricsDoc metrics,
    @JsonProperty("champion_metrics") MetricsDoc championMetrics,
    @JsonProperty("champion_source") String championSource,
    @JsonProperty("champion_version") String championVersion,
    @JsonProperty("mae_by_hour") double[] maeByHour,
    @JsonProperty("sha256") String sha256,
    @JsonProperty("size_bytes") long sizeBytes,
    @JsonProperty("stage") Stage stage,
    @JsonProperty("stage_history") List<StageChange> stageHistory,
    // written only when set, so the meta of an unlabelled version keeps its fields as before
    @JsonProperty("label") @JsonInclude(JsonInclude.Include.NON_EMPTY) String label,
    @JsonProperty("note") @JsonInclude(JsonInclude.Include.NON_EMPTY) String note,
    @JsonProperty("tags") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> tags) {
  public static final String CHAMPION_MODEL = "production_model";
  public static final String CHAMPION_NAIVE = "naive_baseline";
  /** Params key of the app version that trained the model (absent on versions saved before it was recorded). */
  public static final String APP_VERSION_PARAM = "app_version";

  public ModelMeta {
    params = params == null ? Map.of() : params;
    stageHistory = stageHistory == null ? List.of() : List.copyOf(stageHistory);
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /**
   * What a run knows before saving: the registry fills in version (when null), created_at (when null),
   * sha256, size_bytes and stage.
   */
  public static ModelMeta draft(
      String deviceId,
      String runId,
      String trainer,
      Map<String, Object> params,
      JsonNode featureSpec,
      DataWindow data,
      MetricsDoc metrics,
      MetricsDoc championMetrics,
      String championSource,
      String championVersion,
      double[] maeByHour) {
    return new ModelMeta(
        null, deviceId, runId, null, trainer, params, featureSpec, data, metrics, championMetrics,
        championSource, championVersion, maeByHour, null, 0L, null, List.of(), null, null, List.of());
  }

  public String modelFileName() {
    return version + ModelVersions.MODEL_SUFFIX;
  }

  ModelMeta withIdentity(String newVersion, String newDeviceId, Instant newCreatedAt) {
    return new ModelMeta(
        newVersion, newDeviceId, runId, newCreatedAt, trainer, params, featureSpec, data, metrics,
        championMetrics, championSource, championVersion, maeByHour, sha256, sizeBytes, stage,
        stageHistory, label, note, tags);
  }

  ModelMeta withFile(String newSha256, long newSizeBytes) {
    return new ModelMeta(
        version, deviceId, runId, createdAt, trainer, params, featureSpec, data, metrics,
        championMetrics, championSource, championVersion, maeByHour, newSha256, newSizeBytes, stage,
        stageHistory, label, note, tags);
  }

  ModelMeta withStage(Stage newStage, Instant at, String actor, String reason) {
    List<StageChange> history = new ArrayList<>(stageHistory);
    history.add(new StageChange(newStage, at, actor, reason));
    return new ModelMeta(
        version, deviceId, runId, createdAt, trainer, params, featureSpec, data, metrics,
        championMetrics, championSource, championVersion, maeByHour, sha256, sizeBytes, newStage,
        history, label, note, tags);
  }

  /** The label, note and tags people gave this version (none for a version saved before they existed). */
  @JsonIgnore
  public VersionNotes notes() {
    return new VersionNotes(label, note, tags);
  }

  ModelMeta withNotes(VersionNotes notes) {
    return new ModelMeta(
        version, deviceId, runId, createdAt, trainer, params, featureSpec, data, metrics,
        championMetrics, championSource, championVersion, maeByHour, sha256, sizeBytes, stage,
        stageHistory, notes.label(), notes.note(), notes.tags());
  }
}
