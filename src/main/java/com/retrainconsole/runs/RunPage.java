package com.retrainconsole.runs;

import java.util.List;

/** One page of the run history: the rows (table fields only), where it starts, and how many runs match. */
public record RunPage(List<RunRecord> rows, int offset, long total) {}
