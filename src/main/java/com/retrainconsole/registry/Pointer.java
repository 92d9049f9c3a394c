package com.retrainconsole.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * {@code <models-dir>/<device_id>/current_model.json} (contract: docs/ARCHITECTURE.md §5): the version in service.
 * {@code file} is relative to the device folder, e.g. {@code versions/20261122T183000Z-3f2a9c.tribuo}.
 * {@code previous_version} is the version that was in service before this pointer was written (null for
 * the first one).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({
  "version", "file", "sha256", "promoted_at", "promoted_by", "reason", "previous_version"
})
public record Pointer(
    @JsonProperty("version") String version,
    @JsonProperty("file") String file,
    @JsonProperty("sha256") String sha256,
    @JsonProperty("promoted_at") Instant promotedAt,
    @JsonProperty("promoted_by") String promotedBy,
    @JsonProperty("reason") String reason,
    @JsonProperty("previous_version") String previousVersion) {}
