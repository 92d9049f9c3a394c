package com.retrainconsole.cli;

import com.retrainconsole.common.AppVersion;
import picocli.CommandLine.IVersionProvider;

/** Version from the jar manifest (Maven fills it), "dev" when run from classes. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {AppVersion.line()};
  }
}
