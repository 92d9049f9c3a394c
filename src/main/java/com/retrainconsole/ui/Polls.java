package com.retrainconsole.ui;

import javafx.animation.Timeline;
import javafx.scene.Node;

/** The views' polling rule in one place: a view polls the store only while it is on screen. */
public final class Polls {
  private Polls() {}

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
