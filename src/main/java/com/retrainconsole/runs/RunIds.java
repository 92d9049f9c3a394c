package com.retrainconsole.runs;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * Run ids sort by start time, like model versions: {@code run-20261122T183000Z-3f2a9c01d4}. The
 * random tail is 40 bits because a scheduler enqueues hundreds of runs within one second (500 ids
 * in one second collide with odds of about 1 in 10 million; 24 bits made that 1 in 135).
 */
public final class RunIds {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();

  private RunIds() {}

  public static String newId(Instant now) {
    byte[] b = new byte[5];
    RANDOM.nextBytes(b);
    return "run-" + STAMP.format(now) + "-" + HexFormat.of().formatHex(b);
  }
}
