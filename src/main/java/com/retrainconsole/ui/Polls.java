package com.retrainconsole.ui;

import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.scene.Node;
import javafx.util.Duration;

/**
 * The views' polling rule in one place: a view polls the store only while it is on screen, and reads it at
 * once when the user comes back to it (the shell swaps views in and out of the scene, see MainWindow#navigate).
 */
public final class Polls {
  private Polls() {}

  /** A timeline that runs {@code tick} every {@code every} until stopped (start it with {@link #whileShowing}). */
  public static Timeline every(Duration every, Runnable tick) {
    Timeline poll = new Timeline(new KeyFrame(every, e -> tick.run()));
    poll.setCycleCount(Timeline.INDEFINITE);
    return poll;
  }

  /**
   * Plays {@code poll} while {@code node} is in a scene and stops it when not; each time the node comes back
   * (see {@link #onReshown}) {@code refresh} runs first, so the view never shows data up to a poll old.
   */
  public static void whileShowing(Node node, Timeline poll, Runnable refresh) {
    onReshown(node, refresh);
    node.sceneProperty().addListener((o, was, scene) -> {
      if (scene == null) {
        poll.stop();
      } else {
        poll.play(); // restarts the period: the next tick is a full period after the refresh above
      }
    });
  }

  /**
   * Runs {@code refresh} whenever {@code node} enters a scene again after having left one. decision: not on
   * the first time it enters one: a view loads its data in initialize, and a second read there would load
   * the view twice on first open.
   */
  public static void onReshown(Node node, Runnable refresh) {
    boolean[] left = {false};
    node.sceneProperty().addListener((o, was, scene) -> {
      if (scene == null) {
        left[0] = true;
      } else if (left[0]) {
        left[0] = false;
        refresh.run();
      }
    });
  }
}
