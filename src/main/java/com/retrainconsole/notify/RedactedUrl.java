package com.retrainconsole.notify;

import java.net.URI;

/**
 * A webhook URL as it may be shown or logged: scheme://host[:port]/… — path, query and user info masked,
 * because Slack and Teams carry the secret in the path and others in the query.
 */
public final class RedactedUrl {
  private RedactedUrl() {}

  public static String of(String url) {
    if (url == null) {
      return "null";
    }
    try {
      URI u = URI.create(url.trim());
      if (u.getScheme() == null || u.getHost() == null) {
        return "<invalid url>";
      }
      String port = u.getPort() < 0 ? "" : ":" + u.getPort();
      boolean more = (u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/"))
          || u.getRawQuery() != null || u.getRawUserInfo() != null || u.getRawFragment() != null;
      return u.getScheme() + "://" + u.getHost() + port + (more ? "/…" : "/");
    } catch (IllegalArgumentException e) {
      return "<invalid url>"; // decision: never echo an unparseable URL, it may still hold the secret
    }
  }
}
