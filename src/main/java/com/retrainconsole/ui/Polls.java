package com.retrainconsole.ui;

import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.scene.Node;
import javafx.util.Duration;

/** The views' polling rule in one place: a view polls the store only while it is on screen. */
public final class Polls {
  private Polls() {}

  /** A timeline that runs {@code tick} every {@code every} until stopped (start it with {@link #whileShowing}). */
  public static Timeline every(Duration every, Runnable tick) {
    Timeline poll = new Timeline(new KeyFrame(every, e -> tick.run()));
    poll.setCycleCount(Timeline.INDEFINITE);
    return poll;
  }

  /** Plays {@code poll} while {@code node} is in a scene, after running {@code onShown}; stops it when not. */
  public static void whileShowing(Node node, Timeline poll, Runnable onShown) {
    node.sceneProperty().addListener((o, was, scene) -> {
      if (scene == null) {
        poll.stop();
      } else {
        onShown.run();
        poll.play();
      }
    });
  }
}
