package com.retrainconsole.telemetry;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to read a CSV file of readings.
 *
 * @param file the CSV file (header row first)
 * @param deviceColumn column holding the device id, or null
 * @param fixedDevice device id for every row when the file has no device column, or null; with both
 *     null a column named {@code device_id} is used when present
 * @param timeColumn column holding the time (default {@code timestamp})
 * @param timeFormat a java.time pattern or {@code epoch-s} / {@code epoch-ms}; null = auto-detect
 * @param zone zone of times written without offset (default UTC)
 * @param target the canonical field models predict (default {@code power_w}); must exist after
 *     mapping
 * @param mapping site column name → canonical name; unmapped columns keep their name; mapping a
 *     column to an empty string leaves it out (e.g. a text status column)
 * @param delimiter field separator, or null to detect {@code ,} {@code ;} or tab from the header
 */
public record CsvImportOptions(
    Path file,
    String deviceColumn,
    String fixedDevice,
    String timeColumn,
    String timeFormat,
    ZoneId zone,
    String target,
    Map<String, String> mapping,
    Character delimiter) {
  public static final String DEFAULT_TIME_COLUMN = "timestamp";
  public static final String DEFAULT_DEVICE_COLUMN = "device_id";

  public CsvImportOptions {
    if (file == null) {
      throw new IllegalArgumentException("no file given");
    }
    deviceColumn = blankToNull(deviceColumn);
    fixedDevice = blankToNull(fixedDevice);
    timeColumn = blankToNull(timeColumn) == null ? DEFAULT_TIME_COLUMN : timeColumn.trim();
    timeFormat = blankToNull(timeFormat);
    zone = zone == null ? ZoneId.of("UTC") : zone;
    target = blankToNull(target) == null ? DeviceConfig.DEFAULT_TARGET : target.trim();
    mapping =
        mapping == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(mapping));
  }

  /** Defaults for a file whose rows all belong to {@code device}. */
  public static CsvImportOptions forDevice(Path file, String device) {
    return new CsvImportOptions(file, null, device, null, null, null, null, null, null);
  }

  /** Defaults for a file with a device column. */
  public static CsvImportOptions withDeviceColumn(Path file, String deviceColumn) {
    return new CsvImportOptions(file, deviceColumn, null, null, null, null, null, null, null);
  }

  public CsvImportOptions withTime(String column, String format, ZoneId newZone) {
    return new CsvImportOptions(
        file, deviceColumn, fixedDevice, column, format, newZone, target, mapping, delimiter);
  }

  public CsvImportOptions withMapping(Map<String, String> newMapping, String newTarget) {
    return new CsvImportOptions(
        file,
        deviceColumn,
        fixedDevice,
        timeColumn,
        timeFormat,
        zone,
        newTarget,
        newMapping,
        delimiter);
  }

  public CsvImportOptions withDelimiter(Character newDelimiter) {
    return new CsvImportOptions(
        file,
        deviceColumn,
        fixedDevice,
        timeColumn,
        timeFormat,
        zone,
        target,
        mapping,
        newDelimiter);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
