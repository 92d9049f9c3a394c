package com.retrainconsole.common;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

/** "Did you mean Europe/Berlin?" for a mistyped zone: the closest IANA id by edit distance. */
public final class ZoneHints {
  private static final List<String> IDS = ZoneId.getAvailableZoneIds().stream().sorted().toList();

  private ZoneHints() {}

  /** The closest zone id within a few edits of {@code text}, or null when nothing is close. */
  public static String closest(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String t = text.trim().toLowerCase(Locale.ROOT).replace(' ', '_');
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String id : IDS) {
      int d = distance(t, id.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = id;
      }
    }
    // decision: a suggestion only when it is plausibly what was meant (a third of the text at most)
    return bestDistance <= Math.max(2, t.length() / 3) ? best : null;
  }

  /**
   * The zone named by {@code text}, or a FieldException on {@code field} that suggests the closest id
   * ("Europe/Madird is not a known IANA time zone. Did you mean Europe/Madrid?").
   */
  public static java.time.ZoneId parse(String text, String field) {
    if (text == null || text.isBlank()) {
      throw new FieldException(field, "a time zone is required, e.g. Europe/Madrid or UTC");
    }
    try {
      return java.time.ZoneId.of(text.trim());
    } catch (java.time.DateTimeException e) {
      String suggestion = closest(text);
      throw new FieldException(field, "'" + text + "' is not a known IANA time zone"
          + (suggestion == null ? " (e.g. Europe/Madrid, America/New_York, UTC)" : ". Did you mean " + suggestion + "?"));
    }
  }

  /** Edit distance, case-sensitive; public for near-miss checks of other names (fields, columns). */
  public static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] swap = prev;
      prev = cur;
      cur = swap;
    }
    return prev[b.length()];
  }
}
