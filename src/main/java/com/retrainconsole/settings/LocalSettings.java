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
 * (null = beside the data), whether the console runs a scheduler, and the port on which the console serves
 * the management API while that scheduler is on (null = it does not). Flags and environment still win
 * (AppConfig); store changes apply on the next start.
 */
public record LocalSettings(String mongoUri, Path modelsDir, boolean schedulerOn, Integer apiPort) {
  /** Ports the console may serve the API on: no privileged ports, which would need root. */
  public static final int MIN_API_PORT = 1024;
  public static final int MAX_API_PORT = 65535;

  public LocalSettings {
    mongoUri = mongoUri == null || mongoUri.isBlank() ? null : mongoUri.strip();
    if (apiPort != null) {
      checkApiPort(apiPort).ifPresent(why -> {
        throw new UserException("API port " + why);
      });
    }
  }

  public static LocalSettings defaults() {
    return new LocalSettings(null, null, false, null);
  }

  public LocalSettings withSchedulerOn(boolean on) {
    return new LocalSettings(mongoUri, modelsDir, on, apiPort);
  }

  public LocalSettings withStore(String uri, Path models) {
    return new LocalSettings(uri, models, schedulerOn, apiPort);
  }

  /** {@code port}: serve the API there while the console's scheduler is on; null: do not serve it. */
  public LocalSettings withApiPort(Integer port) {
    return new LocalSettings(mongoUri, modelsDir, schedulerOn, port);
  }

  /** Why {@code port} cannot serve the API, or empty. */
  public static Optional<String> checkApiPort(int port) {
    return port < MIN_API_PORT || port > MAX_API_PORT
        ? Optional.of(port + " is outside " + MIN_API_PORT + "–" + MAX_API_PORT
            + " (ports below " + MIN_API_PORT + " need administrator rights)")
        : Optional.empty();
  }

  /** Why the typed {@code text} is not a usable API port, or empty (the form's inline check). */
  public static Optional<String> checkApiPort(String text) {
    String t = text == null ? "" : text.strip();
    if (t.isEmpty()) {
      return Optional.of("enter a port, e.g. 8787");
    }
    if (!t.chars().allMatch(Character::isDigit) || t.length() > 5) {
      return Optional.of("must be a whole number between " + MIN_API_PORT + " and " + MAX_API_PORT);
    }
    return checkApiPort(Integer.parseInt(t));
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
