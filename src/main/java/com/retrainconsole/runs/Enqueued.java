package com.retrainconsole.runs;

/** The run a request became; {@code created} is false when its fire key had already fired. */
public record Enqueued(String runId, boolean created) {}
