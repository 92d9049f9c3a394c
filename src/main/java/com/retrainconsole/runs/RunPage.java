package com.retrainconsole.runs;

import java.util.List;
import org.bson.Document;

/** One page of the run history: the rows (table fields only), where it starts, and how many runs match. */
public record RunPage(List<Document> rows, int offset, long total) {}
