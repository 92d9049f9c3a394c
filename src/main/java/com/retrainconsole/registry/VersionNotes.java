package com.retrainconsole.registry;

import com.retrainconsole.common.FieldException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What people wrote on a version: a short label ("after soiling clean"), a free note and tags ({@code
 * winter}, {@code baseline}). Kept in the version's meta file beside its stage; the model file is never
 * rewritten for them. {@link #of} is the one place that judges them, so the console, the CLI and the API
 * refuse the same input with the same words.
 */
public record VersionNotes(String label, String note, List<String> tags) {
  public static final int MAX_LABEL = 80;
  public static final int MAX_NOTE = 2000;
  public static final int MAX_TAGS = 10;
  public static final String TAG_RULE = "[a-z0-9][a-z0-9_-]{0,31}";
  private static final Pattern TAG = Pattern.compile(TAG_RULE);
  public static final VersionNotes NONE = new VersionNotes(null, null, List.of());

  public VersionNotes {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /**
   * Trims the texts (blank means none), lower-cases and de-duplicates the tags, and checks every rule;
   * a {@link FieldException} names the field ({@code label}, {@code note}, {@code tags}) and the rule broken.
   */
  public static VersionNotes of(String label, String note, List<String> tags) {
    String l = blankToNull(label);
    if (l != null && l.codePointCount(0, l.length()) > MAX_LABEL) {
      throw new FieldException("label", "is " + l.codePointCount(0, l.length()) + " characters; a label has at most "
          + MAX_LABEL + " (put longer text in the note)");
    }
    if (l != null && (l.indexOf('\n') >= 0 || l.indexOf('\r') >= 0)) {
      throw new FieldException("label", "is one line; put line breaks in the note");
    }
    String n = blankToNull(note);
    if (n != null && n.codePointCount(0, n.length()) > MAX_NOTE) {
      throw new FieldException("note", "is " + n.codePointCount(0, n.length()) + " characters; a note has at most "
          + MAX_NOTE);
    }
    Set<String> clean = new LinkedHashSet<>();
    for (String t : tags == null ? List.<String>of() : tags) {
      String tag = t == null ? "" : t.trim().toLowerCase(Locale.ROOT);
      if (!TAG.matcher(tag).matches()) {
        throw new FieldException("tags", "'" + (t == null ? "" : t.trim()) + "' is not a tag: a tag is one word of"
            + " 1 to 32 lowercase letters, digits, '_' or '-', starting with a letter or digit (e.g. winter,"
            + " after-clean)");
      }
      clean.add(tag);
    }
    if (clean.size() > MAX_TAGS) {
      throw new FieldException("tags", clean.size() + " tags given; a version has at most " + MAX_TAGS);
    }
    return new VersionNotes(l, n, new ArrayList<>(clean));
  }

  public boolean isEmpty() {
    return label == null && note == null && tags.isEmpty();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
