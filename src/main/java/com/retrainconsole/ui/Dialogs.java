package com.retrainconsole.ui;

import javafx.scene.control.Dialog;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;
import javafx.stage.Window;

/**
 * Dialogs that fit a 1024×600 screen: the content text wraps at a bounded width and the dialog grows to its
 * height instead of cutting the text, and the dialog wears the owner's theme.
 */
public final class Dialogs {
  /** The widest a dialog's text runs before it wraps; fits a 1024 px screen with room to spare. */
  public static final double TEXT_WIDTH = 520;

  private Dialogs() {}

  /** Owns {@code dialog} to {@code owner} (may be null) and themes it like the owner's scene. */
  public static <D extends Dialog<?>> D own(D dialog, Window owner) {
    if (owner != null) {
      dialog.initOwner(owner);
      if (owner.getScene() != null) {
        dialog.getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
      }
    }
    return dialog;
  }

  /** Owns {@code dialog} to {@code owner} (may be null), themes it like the owner and wraps its text. */
  public static <D extends Dialog<?>> D fit(D dialog, Window owner) {
    DialogPane pane = own(dialog, owner).getDialogPane();
    String text = pane.getContentText();
    if (pane.getContent() == null && text != null && !text.isEmpty()) {
      Label label = new Label(text);
      label.setId("dialog-text");
      label.setWrapText(true);
      label.setMaxWidth(TEXT_WIDTH);
      label.setMinHeight(Region.USE_PREF_SIZE);
      // a wrapping label's preferred width is its whole text on one line: bound it so the dialog wraps
      label.setPrefWidth(Math.min(TEXT_WIDTH, new javafx.scene.text.Text(text).getLayoutBounds().getWidth() * 1.2
          + 10));
      pane.setContent(label);
    }
    pane.setMinHeight(Region.USE_PREF_SIZE);
    return dialog;
  }
}
