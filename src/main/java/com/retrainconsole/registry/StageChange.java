package com.retrainconsole.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** One entry of a version's stage history. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StageChange(
    @JsonProperty("stage") Stage stage,
    @JsonProperty("at") Instant at,
    @JsonProperty("actor") String actor,
    @JsonProperty("reason") String reason) {}
