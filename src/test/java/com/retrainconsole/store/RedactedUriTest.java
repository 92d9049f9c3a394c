package com.retrainconsole.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class RedactedUriTest {
  @Test
  void password_in_user_info_is_masked_and_user_kept() {
    assertEquals(
        "mongodb://alice:***@db.example:27017/retrain",
        RedactedUri.redact("mongodb://alice:s3cret@db.example:27017/retrain"));
    assertEquals(
        "mongodb+srv://alice:***@cluster0.example.net/retrain?retryWrites=true",
        RedactedUri.redact("mongodb+srv://alice:s3cret@cluster0.example.net/retrain?retryWrites=true"));
  }

  @Test
  void uri_without_credentials_is_unchanged() {
    assertEquals("mongodb://db1:27017,db2:27017/retrain?replicaSet=rs0", RedactedUri.redact("mongodb://db1:27017,db2:27017/retrain?replicaSet=rs0"));
    assertEquals("mongodb://alice@db:27017/?authMechanism=MONGODB-X509", RedactedUri.redact("mongodb://alice@db:27017/?authMechanism=MONGODB-X509"));
  }

  @Test
  void unencoded_at_sign_in_the_password_is_masked_whole() {
    String redacted = RedactedUri.redact("mongodb://alice:p@ss@db:27017/retrain");
    assertEquals("mongodb://alice:***@db:27017/retrain", redacted);
  }

  @Test
  void secret_options_are_masked() {
    String uri =
        "mongodb://db:27017/retrain?password=hunter2&tlsCertificateKeyFilePassword=keypass"
            + "&authMechanismProperties=AWS_SESSION_TOKEN:tok123&appName=console";
    String redacted = RedactedUri.redact(uri);
    assertEquals(
        "mongodb://db:27017/retrain?password=***&tlsCertificateKeyFilePassword=***"
            + "&authMechanismProperties=***&appName=console",
        redacted);
  }

  @Test
  void scrub_removes_raw_and_url_decoded_passwords_from_any_text() {
    String uri = "mongodb://alice:p%40ss%3Aw0rd@db:27017/retrain?password=other";
    String text = "auth failed for p@ss:w0rd (raw p%40ss%3Aw0rd), also other; uri " + uri;
    String scrubbed = RedactedUri.scrub(text, uri);
    assertFalse(scrubbed.contains("p@ss:w0rd"), scrubbed);
    assertFalse(scrubbed.contains("p%40ss%3Aw0rd"), scrubbed);
    assertFalse(scrubbed.contains("other"), scrubbed);
    assertEquals(
        "auth failed for *** (raw ***), also ***; uri mongodb://alice:***@db:27017/retrain?password=***", scrubbed);
  }

  @Test
  void null_uri_prints_as_none() {
    assertEquals("<none>", RedactedUri.redact(null));
  }
}
