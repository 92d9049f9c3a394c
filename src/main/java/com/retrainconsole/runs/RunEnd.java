package com.retrainconsole.runs;

import com.retrainconsole.runs.RunRecord.Decision;
import com.retrainconsole.runs.RunRecord.Model;
import java.util.List;

/**
 * The fields a run closes with besides its status. A run that got as far as its evaluation has a {@code
 * result} and then always names its {@code model} (null for a dry run, which saves none); one that
 * stopped earlier has an {@code error} and its {@link FailureKind}. Any part may be null.
 */
public record RunEnd(
    RunResult result,
    Model model,
    Decision decision,
    List<String> retentionDeleted,
    String error,
    FailureKind failure,
    Long durationMs) {

  public static RunEnd none() {
    return new RunEnd(null, null, null, null, null, null, null);
  }

  /** A failure (status failed) or the reason a run was cancelled or timed out (kind null). */
  public static RunEnd error(FailureKind kind, String error) {
    return new RunEnd(null, null, null, null, error, kind, null);
  }

  public static RunEnd completed(RunResult result, Model model, Decision decision, List<String> retentionDeleted) {
    return new RunEnd(result, model, decision, retentionDeleted, null, null, null);
  }

  public RunEnd withDuration(long millis) {
    return new RunEnd(result, model, decision, retentionDeleted, error, failure, millis);
  }
}
