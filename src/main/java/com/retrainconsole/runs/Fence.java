package com.retrainconsole.runs;

/** Checks that a claim still holds; called before every write that must not come from a stale worker. */
@FunctionalInterface
public interface Fence {
  Fence NONE = () -> {};

  /** @throws FencedOutException when the claim was taken over, cancelled or timed out */
  void check();
}
