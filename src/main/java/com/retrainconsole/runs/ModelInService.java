package com.retrainconsole.runs;

/**
 * Answers, for a run whose worker died while saving its model, whether the device's pointer already names
 * that run's model (read under the registry's device lock, so a stale worker cannot move it meanwhile).
 * Lets recovery tell "completed and promoted" from "failed" (docs/ARCHITECTURE.md §6).
 */
@FunctionalInterface
public interface ModelInService {
  ModelInService UNKNOWN = (deviceId, runId) -> java.util.Optional.empty();

  /** The version in service if it was created by {@code runId}. */
  java.util.Optional<String> versionOfRun(String deviceId, String runId);
}
