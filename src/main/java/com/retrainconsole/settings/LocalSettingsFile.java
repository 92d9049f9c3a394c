package com.retrainconsole.settings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.retrainconsole.common.Json;
import com.retrainconsole.common.UserException;
import com.retrainconsole.store.RedactedUri;
import com.retrainconsole.registry.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Reads and writes {@link LocalSettings} as {@code {"mongo_uri", "models_dir", "scheduler_on", "api_port"}}
 * (a file without "api_port", or with null, means the console does not serve the API). Writes are atomic (a
 * crash leaves the old file or the new one) and refuse a URI with a password.
 */
public final class LocalSettingsFile {
  public static final String FILE_NAME = "settings.json";
  private final Path file;

  public LocalSettingsFile(Path file) {
    this.file = file;
  }

  public Path path() {
    return file;
  }

  /** The saved settings, or the defaults when there is no file. */
  public LocalSettings read() {
    if (!Files.exists(file)) {
      return LocalSettings.defaults();
    }
    JsonNode n;
    try {
      n = Json.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      // decision: refuse rather than silently fall back: a broken file could mean the wrong store
      throw new UserException("the settings file " + file + " cannot be read (" + firstLine(e)
          + "); fix it or delete it to use the defaults");
    }
    if (n == null || !n.isObject()) {
      throw new UserException("the settings file " + file + " is not a JSON object; fix it or delete it");
    }
    String uri = text(n, "mongo_uri");
    String models = text(n, "models_dir");
    return new LocalSettings(uri, models == null ? null : Path.of(models), n.path("scheduler_on").asBoolean(false),
        apiPort(n));
  }

  private Integer apiPort(JsonNode n) {
    JsonNode v = n.get("api_port");
    if (v == null || v.isNull()) {
      return null;
    }
    // decision: a hand-edited bad port is refused like a broken file, not silently turned off
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new UserException("the settings file " + file + " has api_port " + v + ", not a port number; fix it or "
          + "set it to null");
    }
    int port = v.intValue();
    LocalSettings.checkApiPort(port).ifPresent(why -> {
      throw new UserException("the settings file " + file + ": api_port " + why + "; fix it or set it to null");
    });
    return port;
  }

  /** @throws UserException when the URI has a password (it must come from the environment) */
  public void write(LocalSettings s) {
    if (RedactedUri.hasPassword(s.mongoUri())) {
      throw new UserException("the store URI contains a password, which is never written to disk; set it in the "
          + "environment (RETRAIN_MONGO_URI) instead");
    }
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("mongo_uri", s.mongoUri());
    n.put("models_dir", s.modelsDir() == null ? null : s.modelsDir().toString());
    n.put("scheduler_on", s.schedulerOn());
    n.put("api_port", s.apiPort());
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      byte[] bytes = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
      AtomicFiles.write(file, bytes);
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UserException("cannot write the settings file " + file + ": " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode n, String key) {
    JsonNode v = n.get(key);
    return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
