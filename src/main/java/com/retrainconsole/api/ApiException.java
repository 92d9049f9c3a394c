package com.retrainconsole.api;

/** A refusal with its HTTP status and error code; the message is shown to the client as-is. */
final class ApiException extends RuntimeException {
  final int status;
  final String error;
  final long retryAfterSeconds;
  String allow; // the methods a 405 names in its Allow header

  ApiException(int status, String error, String message) {
    this(status, error, message, 0);
  }

  ApiException(int status, String error, String message, long retryAfterSeconds) {
    super(message);
    this.status = status;
    this.error = error;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  static ApiException badRequest(String field, String message) {
    return new ApiException(400, "invalid_" + field, field + ": " + message);
  }

  static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message);
  }
}
