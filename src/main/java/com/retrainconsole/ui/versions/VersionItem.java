package com.retrainconsole.ui.versions;

import com.retrainconsole.registry.ModelMeta;
import com.retrainconsole.registry.ModelRegistry.FileCheck;
import com.retrainconsole.registry.Stage;

/**
 * One saved version as read in the background: its meta, the result of the sha256 check of its file, where
 * it stands relative to the pointer, and {@code rejection}: the reason its run's promotion rule gave for not
 * promoting it, while it is still a candidate (null otherwise). Immutable; the table shows these directly.
 */
public record VersionItem(ModelMeta meta, FileCheck file, boolean inService, boolean previous, String rejection) {
  public VersionItem(ModelMeta meta, FileCheck file, boolean inService, boolean previous) {
    this(meta, file, inService, previous, null);
  }

  public String version() {
    return meta.version();
  }

  public String runId() {
    return meta.runId();
  }

  public boolean rejected() {
    return rejection != null;
  }

  /** Whether a version was ever in production (rollback targets are those, not fresh candidates). */
  public boolean wasProduction() {
    return meta.stage() == Stage.ARCHIVED || meta.stage() == Stage.PRODUCTION
        || meta.stageHistory().stream().anyMatch(c -> c.stage() == Stage.PRODUCTION);
  }
}
