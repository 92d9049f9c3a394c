package com.retrainconsole.ui;

import java.util.prefs.Preferences;

/**
 * A view controller that keeps some of the user's choices (which columns show, ...) across sessions, in the
 * console's local preferences beside the window size and theme. The shell calls it once, on the FX thread,
 * before the view is first shown.
 */
public interface RemembersChoices {
  /** Applies what {@code node} holds and writes every later change to it. */
  void rememberIn(Preferences node);
}
