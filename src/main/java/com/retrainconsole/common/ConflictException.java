package com.retrainconsole.common;

/**
 * A valid request the current state refuses (deleting a running run, a version already in service): the
 * caller can retry once the state has moved. The API answers it with 409 rather than 400.
 */
public class ConflictException extends UserException {
  public ConflictException(String message) {
    super(message);
  }
}
