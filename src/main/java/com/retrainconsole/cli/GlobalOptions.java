package com.retrainconsole.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every sub-command takes (docs/ARCHITECTURE.md §10). Environment variables fill what the flags leave out. */
public final class GlobalOptions {
  @Option(names = "--mongo-uri", scope = ScopeType.INHERIT, paramLabel = "URI",
      description = "MongoDB to use (env RETRAIN_MONGO_URI). Without it, the embedded store in --data-dir.")
  String mongoUri;

  @Option(names = "--data-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
      description = "Folder of the embedded store (env RETRAIN_DATA_DIR; default: the per-user data folder).")
  Path dataDir;

  @Option(names = "--models-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
      description = "Folder of model versions and pointers (env RETRAIN_MODELS_DIR; default: <data-dir>/models).")
  Path modelsDir;

  @Option(names = "--json", scope = ScopeType.INHERIT,
      description = "Print one JSON object on stdout instead of text.")
  boolean json;
}
