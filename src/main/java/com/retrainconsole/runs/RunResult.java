package com.retrainconsole.runs;

import com.retrainconsole.runs.RunRecord.Data;
import com.retrainconsole.runs.RunRecord.Metrics;
import java.util.List;
import java.util.Map;

/**
 * What the evaluation of a run found: the window, the candidate's metrics (and per hour of day), the
 * naive baseline's and the champion's on the same rows (or why the champion could not be scored), the
 * trainer's parameters and the data warnings. Written whole: every part is stored, null or not.
 */
public record RunResult(
    Data data,
    Metrics metrics,
    List<Double> maeByHour,
    Metrics baselineMetrics,
    Metrics championMetrics,
    String championVersion,
    String championError,
    Map<String, Object> trainerParams,
    List<String> warnings) {}
