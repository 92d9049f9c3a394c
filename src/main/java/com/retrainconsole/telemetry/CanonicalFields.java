package com.retrainconsole.telemetry;

import com.retrainconsole.common.FieldException;
import com.retrainconsole.common.ZoneHints;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The canonical field names the app understands (what a site's columns are mapped to), with their
 * units. A site may keep other numeric fields under names of its own; what is refused is a name that is
 * one slip away from a canonical one ({@code irradiance_wn2}), which would silently become a new field
 * that no feature spec reads.
 */
public final class CanonicalFields {
  public static final String POWER = "power_w";
  public static final String IRRADIANCE = "irradiance_wm2";
  public static final String AMBIENT = "ambient_temp_c";
  public static final String MODULE = "module_temp_c";
  public static final String WIND = "wind_speed_ms";
  public static final String TRACKER = "tracker_angle_deg";

  /** Name → unit and meaning, in the order forms list them. */
  public static final Map<String, String> KNOWN;

  static {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(POWER, "W · AC power");
    m.put(IRRADIANCE, "W/m² · plane-of-array or global irradiance");
    m.put(AMBIENT, "°C · ambient temperature");
    m.put(MODULE, "°C · module (back-of-panel) temperature");
    m.put(WIND, "m/s · wind speed");
    m.put(TRACKER, "° · tracker rotation angle");
    KNOWN = java.util.Collections.unmodifiableMap(m);
  }

  /** The weather inputs a default feature spec uses when the device has them. */
  public static final java.util.List<String> WEATHER_INPUTS = java.util.List.of(IRRADIANCE, AMBIENT, MODULE);

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  private CanonicalFields() {}

  /** The unit of a canonical field ("W"), if it is one. */
  public static Optional<String> unitOf(String field) {
    String u = KNOWN.get(field);
    return u == null ? Optional.empty() : Optional.of(u.substring(0, u.indexOf(" · ")));
  }

  /**
   * {@code name} itself when it is a canonical name or a plausible site-specific one; otherwise a
   * FieldException on {@code field} naming the canonical field it was probably meant to be.
   */
  public static String check(String name, String field) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new FieldException(field, "'" + name + "' is not a usable field name: use lower-case letters, digits"
          + " and '_', starting with a letter (canonical names: " + String.join(", ", KNOWN.keySet()) + ")");
    }
    if (KNOWN.containsKey(name)) {
      return name;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    for (String known : KNOWN.keySet()) {
      if (ZoneHints.distance(lower, known) <= 2) {
        throw new FieldException(field, "unknown field '" + name + "'. Did you mean " + known + "? Canonical"
            + " fields: " + String.join(", ", KNOWN.keySet()));
      }
    }
    return name;
  }
}
