package com.retrainconsole.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import javafx.geometry.Rectangle2D;
import org.junit.jupiter.api.Test;

class WindowPlacementTest {
  static final Rectangle2D LAPTOP = new Rectangle2D(0, 0, 1366, 728); // 1366×768 less a 40 px task bar
  static final Rectangle2D NETBOOK = new Rectangle2D(0, 0, 1024, 600);
  static final Rectangle2D RIGHT_MONITOR = new Rectangle2D(1366, 0, 2560, 1400);

  @Test
  void without_remembered_bounds_the_default_size_opens_centred_on_the_primary_screen() {
    Rectangle2D big = new Rectangle2D(0, 0, 1920, 1040);
    assertEquals(new Rectangle2D(300, 140, 1320, 760), WindowPlacement.fit(null, List.of(big), 1320, 760));
  }

  @Test
  void the_default_size_is_clamped_to_a_small_screen_and_centred() {
    assertEquals(new Rectangle2D(0, 0, 1024, 600), WindowPlacement.fit(null, List.of(NETBOOK), 1320, 760));
    Rectangle2D sizeOnly = new Rectangle2D(Double.NaN, Double.NaN, 1320, 760);
    assertEquals(new Rectangle2D(23, 0, 1320, 728), WindowPlacement.fit(sizeOnly, List.of(LAPTOP), 1320, 760));
  }

  @Test
  void a_remembered_position_on_screen_is_kept() {
    Rectangle2D left = new Rectangle2D(10, 20, 800, 500);
    assertEquals(left, WindowPlacement.fit(left, List.of(LAPTOP), 1320, 760));
  }

  @Test
  void a_window_hanging_over_the_screen_edge_is_moved_inside_and_shrunk_to_fit() {
    Rectangle2D hanging = new Rectangle2D(900, 400, 1320, 760);
    assertEquals(new Rectangle2D(46, 0, 1320, 728), WindowPlacement.fit(hanging, List.of(LAPTOP), 1320, 760));
  }

  @Test
  void a_position_on_a_second_monitor_stays_there_sized_to_that_monitor() {
    Rectangle2D there = new Rectangle2D(1500, 100, 2000, 1200);
    assertEquals(there, WindowPlacement.fit(there, List.of(LAPTOP, RIGHT_MONITOR), 1320, 760));
  }

  @Test
  void a_position_on_a_monitor_no_longer_attached_is_recentred_on_the_primary() {
    Rectangle2D gone = new Rectangle2D(1500, 100, 2000, 1200);
    assertEquals(new Rectangle2D(0, 0, 1366, 728), WindowPlacement.fit(gone, List.of(LAPTOP), 1320, 760));
    Rectangle2D small = new Rectangle2D(1500, 100, 800, 500);
    assertEquals(new Rectangle2D(283, 114, 800, 500), WindowPlacement.fit(small, List.of(LAPTOP), 1320, 760));
  }

  @Test
  void a_title_bar_with_less_than_100_px_on_screen_or_above_the_top_is_recentred() {
    Rectangle2D sliver = new Rectangle2D(1366 - 60, 100, 800, 500); // 60 px of title bar visible
    assertEquals(new Rectangle2D(283, 114, 800, 500), WindowPlacement.fit(sliver, List.of(LAPTOP), 1320, 760));
    Rectangle2D enough = new Rectangle2D(1366 - 150, 100, 800, 500);
    assertEquals(new Rectangle2D(566, 100, 800, 500), WindowPlacement.fit(enough, List.of(LAPTOP), 1320, 760));
    Rectangle2D aboveTop = new Rectangle2D(100, -40, 800, 500);
    assertEquals(new Rectangle2D(283, 114, 800, 500), WindowPlacement.fit(aboveTop, List.of(LAPTOP), 1320, 760));
  }

  @Test
  void a_remembered_size_that_is_not_positive_falls_back_to_the_default() {
    Rectangle2D zero = new Rectangle2D(Double.NaN, Double.NaN, 0, 0);
    assertEquals(new Rectangle2D(23, 0, 1320, 728), WindowPlacement.fit(zero, List.of(LAPTOP), 1320, 760));
  }

  @Test
  void no_screen_is_refused() {
    assertThrows(IllegalArgumentException.class, () -> WindowPlacement.fit(null, List.of(), 1320, 760));
  }
}
