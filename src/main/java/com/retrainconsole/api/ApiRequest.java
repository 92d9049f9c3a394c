package com.retrainconsole.api;

import java.util.function.UnaryOperator;

/**
 * One complete request as the router sees it: path and query still %-encoded, the body already read (at most
 * the size limit; {@code bodyTooLarge} when it was over, so the route that wants a body answers 413 after
 * authentication, as it would for any other refusal).
 */
record ApiRequest(String method, String rawPath, String rawQuery, UnaryOperator<String> headers, byte[] body,
    boolean bodyTooLarge) {
  /** The first value of a request header, or null. */
  String header(String name) {
    return headers.apply(name);
  }
}
