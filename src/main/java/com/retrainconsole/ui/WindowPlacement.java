package com.retrainconsole.ui;

import java.util.List;
import javafx.geometry.Rectangle2D;

/**
 * Where the main window opens: the remembered bounds, fitted to the screens there are now. A field laptop
 * (1366×768, 1024×600) is smaller than the default size, and bounds remembered on a bigger or a second
 * monitor may lie off every screen now; a window larger than the screen or with its title bar out of reach
 * cannot be moved or resized back by the user.
 */
public final class WindowPlacement {
  /** How much of the title bar must lie on a screen for the remembered position to be kept. */
  static final double MIN_TITLE_VISIBLE = 100;
  /** The title bar's height taken as reachable: its top edge and this much below it must be on the screen. */
  static final double TITLE_HEIGHT = 30;

  private WindowPlacement() {}

  /**
   * The window's bounds: the remembered size (or the default when none or not positive) clamped to the
   * visual bounds of the screen showing the remembered title bar, at the remembered position moved just
   * enough to lie inside that screen; centred on the primary screen when no position is remembered (x or y
   * NaN) or the title bar would be on no screen.
   *
   * @param remembered the last bounds, or null; x and y NaN when only a size is remembered
   * @param screens the screens' visual bounds, the primary first; not empty
   */
  public static Rectangle2D fit(Rectangle2D remembered, List<Rectangle2D> screens, double defaultW,
      double defaultH) {
    if (screens.isEmpty()) {
      throw new IllegalArgumentException("no screen to place the window on");
    }
    double w = remembered != null && positive(remembered.getWidth()) ? remembered.getWidth() : defaultW;
    double h = remembered != null && positive(remembered.getHeight()) ? remembered.getHeight() : defaultH;
    if (remembered != null && Double.isFinite(remembered.getMinX()) && Double.isFinite(remembered.getMinY())) {
      double x = remembered.getMinX();
      double y = remembered.getMinY();
      for (Rectangle2D screen : screens) {
        if (titleVisibleOn(screen, x, y, w)) {
          double fw = Math.min(w, screen.getWidth());
          double fh = Math.min(h, screen.getHeight());
          return new Rectangle2D(clamp(x, screen.getMinX(), screen.getMaxX() - fw),
              clamp(y, screen.getMinY(), screen.getMaxY() - fh), fw, fh);
        }
      }
    }
    Rectangle2D primary = screens.get(0);
    double fw = Math.min(w, primary.getWidth());
    double fh = Math.min(h, primary.getHeight());
    return new Rectangle2D(primary.getMinX() + (primary.getWidth() - fw) / 2,
        primary.getMinY() + (primary.getHeight() - fh) / 2, fw, fh);
  }

  private static boolean titleVisibleOn(Rectangle2D screen, double x, double y, double w) {
    double overlap = Math.min(x + w, screen.getMaxX()) - Math.max(x, screen.getMinX());
    return overlap >= Math.min(MIN_TITLE_VISIBLE, w) && y >= screen.getMinY()
        && y + TITLE_HEIGHT <= screen.getMaxY();
  }

  private static boolean positive(double v) {
    return Double.isFinite(v) && v > 0;
  }

  private static double clamp(double v, double min, double max) {
    return Math.max(min, Math.min(v, max));
  }
}
