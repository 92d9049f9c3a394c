package com.retrainconsole.registry;

import com.retrainconsole.common.DeviceIds;
import com.retrainconsole.common.UserException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Version ids ({@code 20261122T183000Z-3f2a9c}: UTC second + 6 random hex) (device ids are checked by {@link DeviceIds}). */
public final class ModelVersions {
  public static final String MODEL_SUFFIX = ".tribuo";
  public static final String META_SUFFIX = ".meta.json";

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern VERSION = Pattern.compile("\\d{8}T\\d{6}Z-[0-9a-f]{6}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private ModelVersions() {}

  /** A new id for a model created at {@code at}; ids sort by time (to the second). */
  public static String newId(Instant at) {
    byte[] suffix = new byte[3];
    RANDOM.nextBytes(suffix);
    return STAMP.format(at.truncatedTo(ChronoUnit.SECONDS)) + "-" + HexFormat.of().formatHex(suffix);
  }

  public static boolean isVersionId(String text) {
    return text != null && VERSION.matcher(text).matches();
  }

  public static String requireVersionId(String text) {
    if (!isVersionId(text)) {
      throw new UserException(
          "Model version '" + text + "' is not a valid version id: expected e.g. 20261122T183000Z-3f2a9c"
              + " (see `model list --device <id>`)");
    }
    return text;
  }

  public static String requireDeviceId(String deviceId) {
    return DeviceIds.require(deviceId);
  }
}
