package com.retrainconsole.ui.triggers;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

/** "Did you mean Europe/Berlin?" for a mistyped zone: the closest IANA id by edit distance. */
final class ZoneHints {
  private static final List<String> IDS = ZoneId.getAvailableZoneIds().stream().sorted().toList();

  private ZoneHints() {}

  /** The closest zone id within a few edits of {@code text}, or null when nothing is close. */
  static String closest(String text) {
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

  private static int distance(String a, String b) {
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
