package com.retrainconsole.common;

/**
 * The thing asked for does not exist for this caller: also what a caller hears about a device of a site they
 * may not see, so its existence does not leak. The API answers it with 404.
 */
public class NotFoundException extends UserException {
  public NotFoundException(String message) {
    super(message);
  }
}
