package com.retrainconsole.settings;

import com.mongodb.ConnectionString;
import com.retrainconsole.common.UserException;
import com.retrainconsole.store.RedactedUri;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What this machine's console uses, kept in a small JSON file in the per-user config folder because it
 * cannot live in the store it points to: the store (null URI = the embedded store), the models folder
 * (null = beside the data) and whether the console runs a scheduler. Flags and environment still win
 * (AppConfig); changes apply on the next start.
 */
public record LocalSettings(String mongoUri, Path modelsDir, boolean schedulerOn) {
  public LocalSettings {
    mongoUri = mongoUri == null || mongoUri.isBlank() ? null : mongoUri.strip();
  }

  public static LocalSettings defaults() {
    return new LocalSettings(null, null, false);
  }

  public LocalSettings withSchedulerOn(boolean on) {
    return new LocalSettings(mongoUri, modelsDir, on);
  }

  public LocalSettings withStore(String uri, Path models) {
    return new LocalSettings(uri, models, schedulerOn);
  }

  /**
   * Why {@code uri} cannot be saved, or empty. A password is refused: it would sit in a file on disk;
   * it belongs in the environment variable, which wins over this file anyway.
   */
  public static Optional<String> checkUri(String uri, String envVariable) {
    if (uri == null || uri.isBlank()) {
      return Optional.of("enter a MongoDB URI such as mongodb://host:27017/retrain, or choose Embedded");
    }
    String u = uri.strip();
    if (!u.startsWith("mongodb://") && !u.startsWith("mongodb+srv://")) {
      return Optional.of("must start with mongodb:// or mongodb+srv://");
    }
    try {
      new ConnectionString(u);
    } catch (IllegalArgumentException e) {
      if (RedactedUri.hasPassword(u)) {
        return Optional.of(passwordRefusal(envVariable));
      }
      if (String.valueOf(e.getMessage()).contains("Password can not be null")) {
        return Optional.of("names a user but no password; a URI with credentials belongs in the environment "
            + "variable " + envVariable + " (it takes precedence over this setting)");
      }
      return Optional.of("is malformed: " + RedactedUri.scrub(e.getMessage(), u));
    }
    if (RedactedUri.hasPassword(u)) {
      return Optional.of(passwordRefusal(envVariable));
    }
    return Optional.empty();
  }

  private static String passwordRefusal(String envVariable) {
    return "contains a password, which is never written to disk: set the environment variable " + envVariable
        + " to this URI instead (it takes precedence over this setting)";
  }

  /** Why {@code dir} cannot hold models (must exist or be creatable, and be writable), or empty. */
  public static Optional<String> checkModelsDir(Path dir) {
    if (dir == null) {
      return Optional.of("choose a folder");
    }
    if (!dir.isAbsolute()) {
      return Optional.of("must be an absolute path, e.g. " + Path.of(System.getProperty("user.home"), "models"));
    }
    if (Files.exists(dir)) {
      if (!Files.isDirectory(dir)) {
        return Optional.of(dir + " is a file, not a folder");
      }
      return Files.isWritable(dir) ? Optional.empty() : Optional.of("cannot write to " + dir + " (permissions)");
    }
    Path existing = dir.getParent();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing)) {
      return Optional.of(dir + " cannot be created: no existing parent folder");
    }
    return Files.isWritable(existing) ? Optional.empty()
        : Optional.of(dir + " cannot be created: " + existing + " is not writable");
  }

  /** Creates the models folder if needed (checked first). */
  public static void createModelsDir(Path dir) {
    checkModelsDir(dir).ifPresent(why -> {
      throw new UserException("models folder " + why);
    });
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UserException("cannot create the models folder " + dir + ": " + e.getMessage(), e);
    }
  }
}
