package com.retrainconsole.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** The telemetry a model was trained and tested on: {@code {from, to, rows, train_rows, test_rows}}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DataWindow(
    @JsonProperty("from") Instant from,
    @JsonProperty("to") Instant to,
    @JsonProperty("rows") int rows,
    @JsonProperty("train_rows") int trainRows,
    @JsonProperty("test_rows") int testRows) {}
