package com.retrainconsole.api;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Absolute file-system paths in an error message shown to an API client, cut to their last name: core
 * messages name the file they could not read (right for the CLI and the console on the same machine), but a
 * remote caller must not learn the server's folders or user names.
 */
final class PathRedaction {
  // a path of two or more segments not glued to a word (so "km/h" and "a/b" stay); file:/// and // too
  private static final Pattern UNIX = Pattern.compile("(?<![\\w.~-])/+[^\\s/'\"`,;()\\[\\]{}<>|]+"
      + "(?:/[^\\s/'\"`,;()\\[\\]{}<>|]*)+");
  private static final Pattern WINDOWS = Pattern.compile("(?<![\\w])[A-Za-z]:[\\\\/][^\\s'\"`,;()<>|]*");
  private static final Pattern UNC = Pattern.compile("\\\\\\\\[^\\s'\"`,;()<>|]+");
  // the API's own URL space: "no such endpoint: /api/runs/x/logs" echoes the caller's own path
  private static final Set<String> OWN_PATHS = Set.of("api", "health", "metrics", "openapi.json");

  private PathRedaction() {}

  static String redact(String message) {
    if (message == null || message.indexOf('/') < 0 && message.indexOf('\\') < 0) {
      return message;
    }
    String out = replace(UNIX.matcher(message), true);
    out = replace(WINDOWS.matcher(out), false);
    return replace(UNC.matcher(out), false);
  }

  private static String replace(Matcher m, boolean unix) {
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String path = m.group();
      String trailing = "";
      while (!path.isEmpty() && ".:".indexOf(path.charAt(path.length() - 1)) >= 0) {
        trailing = path.charAt(path.length() - 1) + trailing; // sentence punctuation, not part of the name
        path = path.substring(0, path.length() - 1);
      }
      String[] parts = path.split(unix ? "/+" : "[\\\\/]+");
      String first = parts.length > 1 ? parts[1] : "";
      String replacement = unix && OWN_PATHS.contains(first) ? path : lastName(parts);
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement + trailing));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static String lastName(String[] parts) {
    for (int i = parts.length - 1; i >= 0; i--) {
      if (!parts[i].isEmpty() && !parts[i].endsWith(":")) {
        return parts[i];
      }
    }
    return "…";
  }
}
