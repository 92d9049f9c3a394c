package com.retrainconsole.store;

import com.mongodb.MongoCredential;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The password of the embedded store's one user, {@value #USER}: 32 random bytes (hex), new each time a
 * process opens the data file, kept in memory by that process and, while it serves the file to others, in
 * {@code <data-dir>/store.secret} (mode 0600, see {@link OwnerOnlyFiles}) beside the port file. Whoever can
 * read that file is the data folder's owner; everyone else is refused (see {@link AuthenticatingBackend}).
 * Clients pass it as a stock SCRAM-SHA-256 credential, so the driver authenticates every pooled connection.
 */
final class StoreSecret {
  static final String FILE_NAME = "store.secret";
  static final String USER = "retrain";
  static final String AUTH_DATABASE = "admin";
  static final String MECHANISM = "SCRAM-SHA-256";
  private static final int BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Logger log = LoggerFactory.getLogger(StoreSecret.class);

  private final String password;

  private StoreSecret(String password) {
    this.password = password;
  }

  static StoreSecret random() {
    byte[] bytes = new byte[BYTES];
    RANDOM.nextBytes(bytes);
    return new StoreSecret(HexFormat.of().formatHex(bytes));
  }

  static Path path(Path dataDir) {
    return dataDir.toAbsolutePath().normalize().resolve(FILE_NAME);
  }

  String password() {
    return password;
  }

  MongoCredential credential() {
    return MongoCredential.createScramSha256Credential(USER, AUTH_DATABASE, password.toCharArray());
  }

  /**
   * {@code mongodb://retrain:<secret>@127.0.0.1:<port>/<database>?authSource=admin&authMechanism=SCRAM-SHA-256}:
   * what a child process connects with. Holds the secret: environment only, never a command line or a log.
   */
  String uri(int port, String database) {
    return "mongodb://" + USER + ":" + password + "@127.0.0.1:" + port + "/" + database
        + "?authSource=" + AUTH_DATABASE + "&authMechanism=" + MECHANISM;
  }

  /** Writes the secret file (0600 from its creation, replaced atomically). */
  void write(Path dataDir) {
    try {
      OwnerOnlyFiles.writeAtomically(path(dataDir), Long.toString(ProcessHandle.current().pid()),
          (password + "\n").getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + path(dataDir) + ": " + e, e);
    }
  }

  /** The secret of the process serving {@code dataDir}, if its file is there and readable. */
  static Optional<StoreSecret> read(Path dataDir) {
    Path file = path(dataDir);
    try {
      String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
      if (text.length() != 2 * BYTES || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        log.warn("ignoring {}: not a store secret", file);
        return Optional.empty();
      }
      return Optional.of(new StoreSecret(text));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      log.warn("cannot read {}: {}", file, e.toString());
      return Optional.empty();
    }
  }

  /** Removes the secret file if it still holds this secret (clean shutdown of the server). */
  void removeIfOwn(Path dataDir) {
    if (read(dataDir).map(s -> s.password.equals(password)).orElse(false)) {
      try {
        Files.deleteIfExists(path(dataDir));
      } catch (IOException e) {
        log.warn("cannot remove {}: {}", path(dataDir), e.toString());
      }
    }
  }

  @Override
  public String toString() {
    return "StoreSecret[redacted]";
  }
}
