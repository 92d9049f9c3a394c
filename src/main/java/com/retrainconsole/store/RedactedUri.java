package com.retrainconsole.store;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Makes MongoDB connection strings safe to print. Everything that can show a URI (describe(), exception
 * messages, logs) goes through here, so a password never reaches a screen or a log file.
 *
 * <p>Works on the raw text, not on a parsed {@code ConnectionString}: a malformed URI must be redacted
 * too, and the parser is exactly what failed then.
 */
public final class RedactedUri {
  static final String MASK = "***";

  // Option names whose values are secrets: password=, tlsCertificateKeyFilePassword=, AWS session tokens, …
  private static final Pattern SECRET_OPTION =
      Pattern.compile("(?i)([?&;](?:[a-z0-9_.]*(?:password|secret|token)[a-z0-9_.]*|authMechanismProperties)=)([^&;]*)");

  private RedactedUri() {}

  /**
   * The URI with the password and secret options masked: {@code mongodb://alice:***@db:27017/retrain}.
   * decision: the user name stays visible (as SQLAlchemy and Compass do): it is not a secret and it is what
   * a person needs to diagnose an authentication failure.
   */
  public static String redact(String uri) {
    if (uri == null) {
      return "<none>";
    }
    String text = uri.strip();
    int schemeEnd = text.indexOf("://");
    if (schemeEnd >= 0) {
      int authorityStart = schemeEnd + 3;
      // decision: the last '@' wins, so an unencoded '@' inside the password is masked too (masking too
      // much is harmless, too little leaks).
      int at = text.lastIndexOf('@');
      if (at > authorityStart) {
        String userInfo = text.substring(authorityStart, at);
        int colon = userInfo.indexOf(':');
        String user = colon >= 0 ? userInfo.substring(0, colon) : userInfo;
        String masked;
        if (user.contains("/") || user.contains("?")) {
          masked = MASK; // the '@' sits in the path or options: do not guess, mask the whole stretch
        } else {
          masked = colon >= 0 ? user + ":" + MASK : user;
        }
        text = text.substring(0, authorityStart) + masked + text.substring(at);
      }
    }
    return SECRET_OPTION.matcher(text).replaceAll("$1" + Matcher.quoteReplacement(MASK));
  }

  /** True when the URI carries a password or a secret option: it must not be written to a file then. */
  public static boolean hasPassword(String uri) {
    return uri != null && !redact(uri).equals(uri.strip());
  }

  /**
   * Removes every secret of {@code uri} (the password and secret option values, raw and URL-decoded) from
   * {@code text}, e.g. a driver's exception message that may quote parts of the URI.
   */
  public static String scrub(String text, String uri) {
    if (text == null || uri == null) {
      return text;
    }
    String result = text;
    if (!uri.isEmpty()) {
      result = result.replace(uri, redact(uri));
    }
    for (String secret : secretsOf(uri)) {
      result = result.replace(secret, MASK);
    }
    return result;
  }

  /** The secrets in a URI, longest first so a secret that contains another is replaced whole. */
  static Set<String> secretsOf(String uri) {
    Set<String> secrets = new LinkedHashSet<>();
    int schemeEnd = uri.indexOf("://");
    int at = uri.lastIndexOf('@');
    if (schemeEnd >= 0 && at > schemeEnd + 3) {
      String userInfo = uri.substring(schemeEnd + 3, at);
      int colon = userInfo.indexOf(':');
      if (colon >= 0) {
        addWithDecoded(secrets, userInfo.substring(colon + 1));
      }
    }
    Matcher options = SECRET_OPTION.matcher(uri);
    while (options.find()) {
      addWithDecoded(secrets, options.group(2));
    }
    return secrets.stream()
        .sorted((a, b) -> Integer.compare(b.length(), a.length()))
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  private static void addWithDecoded(Set<String> secrets, String raw) {
    if (raw.isEmpty()) {
      return;
    }
    secrets.add(raw);
    try {
      String decoded = URLDecoder.decode(raw, StandardCharsets.UTF_8);
      if (!decoded.isEmpty()) {
        secrets.add(decoded);
      }
    } catch (IllegalArgumentException malformedEscape) {
      // the raw form is already covered
    }
  }
}
