package com.retrainconsole.runs;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/** Run ids sort by start time, like model versions: {@code run-20261122T183000Z-3f2a9c}. */
public final class RunIds {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();

  private RunIds() {}

  public static String newId(Instant now) {
    byte[] b = new byte[3];
    RANDOM.nextBytes(b);
    return "run-" + STAMP.format(now) + "-" + HexFormat.of().formatHex(b);
  }
}
