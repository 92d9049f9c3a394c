package com.retrainconsole.runs;

/**
 * The claim no longer holds (lease taken over, cancel or timeout decided elsewhere): the worker must stop
 * and write nothing more; whoever fenced it out owns the run's final state.
 */
public final class FencedOutException extends RuntimeException {
  public FencedOutException(String message) {
    super(message);
  }
}
