package com.retrainconsole.common;

/**
 * How long work reports where it is. Core code calls this from its own thread; the CLI prints a line,
 * the console adapts it onto the FX thread. Fractions are 0..1 within the named stage.
 */
@FunctionalInterface
public interface ProgressListener {
  ProgressListener NONE = (stage, fraction) -> {};

  void update(String stage, double fraction);
}
