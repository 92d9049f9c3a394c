package com.retrainconsole.store;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server side of SCRAM-SHA-256 (RFC 5802, RFC 7677) for one user and password, as the MongoDB driver
 * speaks it in {@code saslStart}/{@code saslContinue}: no channel binding, no authorization identity.
 *
 * <p>The salted password is derived once per server (random salt), so a connection costs the server two
 * HMACs and a hash; the driver caches its own derivation per client for the same reason.
 */
final class ScramSha256Server {
  /**
   * The least the driver accepts. decision: no more, because the password is 256 random bits: stretching
   * protects guessable passwords, and here it would only slow each client's first connection.
   */
  static final int ITERATIONS = 4096;
  private static final String GS2_HEADER = "n,,";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String user;
  private final byte[] salt;
  private final byte[] storedKey;
  private final byte[] serverKey;

  ScramSha256Server(String user, String password) {
    this.user = user;
    this.salt = new byte[16];
    RANDOM.nextBytes(salt);
    byte[] salted = pbkdf2(password, salt);
    this.storedKey = sha256(hmac(salted, "Client Key"));
    this.serverKey = hmac(salted, "Server Key");
  }

  /** Why a step was refused; the message is for the server's log, the client only learns "failed". */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  /** State between the two steps of one conversation. */
  record Challenge(String clientFirstBare, String serverFirst, String nonce) {}

  /** Step 1: the client-first-message gets the server-first-message (nonce, salt, iteration count). */
  Challenge start(byte[] clientFirstMessage) throws Refused {
    String message = new String(clientFirstMessage, StandardCharsets.UTF_8);
    // "n,," no channel binding and no authzid; "y,," the client could bind but believes we cannot: fine too
    if (!message.startsWith(GS2_HEADER) && !message.startsWith("y,,")) {
      throw new Refused("unsupported GS2 header (channel binding or authorization identity)");
    }
    String bare = message.substring(GS2_HEADER.length());
    Map<String, String> fields = fields(bare);
    String name = fields.get("n");
    String clientNonce = fields.get("r");
    if (name == null || clientNonce == null || clientNonce.isEmpty() || bare.startsWith("m=")) {
      throw new Refused("malformed client-first-message");
    }
    if (!user.equals(name.replace("=2C", ",").replace("=3D", "="))) {
      throw new Refused("unknown user " + name);
    }
    byte[] random = new byte[24];
    RANDOM.nextBytes(random);
    String nonce = clientNonce + Base64.getEncoder().encodeToString(random);
    String serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(salt) + ",i=" + ITERATIONS;
    return new Challenge(bare, serverFirst, nonce);
  }

  /**
   * Step 2: checks the client's proof of the password; returns the server-final-message (the server's own
   * signature, so the client knows it spoke to the holder of the same secret).
   */
  byte[] finish(Challenge challenge, byte[] clientFinalMessage) throws Refused {
    String message = new String(clientFinalMessage, StandardCharsets.UTF_8);
    int proofAt = message.lastIndexOf(",p=");
    if (proofAt < 0) {
      throw new Refused("client-final-message without proof");
    }
    String withoutProof = message.substring(0, proofAt);
    Map<String, String> fields = fields(withoutProof);
    String binding = fields.get("c");
    if (!"biws".equals(binding) && !"eSws".equals(binding)) { // base64 of "n,," or "y,,"
      throw new Refused("unexpected channel binding");
    }
    if (!challenge.nonce().equals(fields.get("r"))) {
      throw new Refused("nonce mismatch");
    }
    byte[] proof;
    try {
      proof = Base64.getDecoder().decode(message.substring(proofAt + 3));
    } catch (IllegalArgumentException e) {
      throw new Refused("proof is not base64");
    }
    String authMessage = challenge.clientFirstBare() + "," + challenge.serverFirst() + "," + withoutProof;
    byte[] clientSignature = hmac(storedKey, authMessage);
    if (proof.length != clientSignature.length) {
      throw new Refused("proof has the wrong length");
    }
    byte[] clientKey = new byte[proof.length];
    for (int i = 0; i < proof.length; i++) {
      clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
    }
    if (!MessageDigest.isEqual(sha256(clientKey), storedKey)) { // constant time
      throw new Refused("wrong password");
    }
    String serverFinal = "v=" + Base64.getEncoder().encodeToString(hmac(serverKey, authMessage));
    return serverFinal.getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, String> fields(String message) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String part : message.split(",")) {
      if (part.length() >= 2 && part.charAt(1) == '=') {
        fields.putIfAbsent(part.substring(0, 1), part.substring(2));
      }
    }
    return fields;
  }

  private static byte[] pbkdf2(String password, byte[] salt) {
    try {
      PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, ITERATIONS, 256);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this Java runtime", e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this Java runtime", e);
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }
}
