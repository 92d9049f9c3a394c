package com.retrainconsole.runs;

/** What a heartbeat learned about its claim. */
public enum HeartbeatState {
  /** Lease renewed; keep working. */
  OK,
  /** Lease renewed, but a cancel was requested: stop the work and record cancelled. */
  CANCEL_REQUESTED,
  /** The token moved on (recovered, released) or the item is gone: stop, write nothing. */
  LOST
}
