package com.retrainconsole.common;

/**
 * A problem the user can fix: bad input, a missing device, an unreachable store. The message is shown
 * as-is (one line on stderr for the CLI, a dialog in the console), so it must name what is wrong and how
 * to fix it, and must never contain credentials.
 */
public class UserException extends RuntimeException {
  public UserException(String message) {
    super(message);
  }

  public UserException(String message, Throwable cause) {
    super(message, cause);
  }
}
