package com.retrainconsole.training;

import com.retrainconsole.common.UserException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tribuo.Model;
import org.tribuo.regression.Regressor;

/** Tribuo protobuf model files. decision: never Java object serialization (unsafe to load, brittle). */
public final class ModelFiles {
  private ModelFiles() {}

  public static void save(Model<Regressor> model, Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      model.serializeToFile(file);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write model file " + file, e);
    }
  }

  public static Model<Regressor> load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new UserException("model file " + file + " does not exist; retrain the device or restore"
          + " the file");
    }
    Model<?> model;
    try {
      model = Model.deserializeFromFile(file);
    } catch (IOException | RuntimeException e) {
      throw new UserException("model file " + file + " is not a readable Tribuo model (" + e.getClass()
          .getSimpleName() + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage()))
          + "); it is corrupt or from another program: retrain or restore the file", e);
    }
    if (!model.validate(Regressor.class)) {
      throw new UserException("model file " + file + " holds a " + model.getOutputIDInfo().getClass()
          .getSimpleName() + " model, not a regression model; pick the right file");
    }
    return model.castModel(Regressor.class);
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
