package com.retrainconsole.common;

import java.util.regex.Pattern;

/**
 * The one rule for device ids, applied wherever an id enters the system (import, simulate, the API, the
 * devices service, the registry), so nothing can store data under an id that a later step refuses. The id
 * names a folder under the models directory, hence the file-name-safe alphabet.
 */
public final class DeviceIds {
  // decision: no leading '.', so "." and ".." (and hidden folders) can never be a device folder.
  private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}");
  public static final String RULE = "1-128 letters, digits, '-', '_' or '.', not starting with '.'";

  private DeviceIds() {}

  public static boolean isValid(String deviceId) {
    return deviceId != null && DEVICE.matcher(deviceId).matches();
  }

  /** The id itself, or a UserException saying what a device id may contain. */
  public static String require(String deviceId) {
    if (!isValid(deviceId)) {
      throw new UserException("Device id '" + deviceId + "' is not valid: use " + RULE);
    }
    return deviceId;
  }
}
