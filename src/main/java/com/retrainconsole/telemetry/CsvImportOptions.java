package com.retrainconsole.telemetry;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
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
 * @param keepColumns value columns to import (site names); empty = every numeric column. Mapped
 *     columns are always kept.
 * @param skipColumns value columns to leave out (site names)
 * @param where only rows whose column equals the value (site name → text) are imported; others are
 *     counted as filtered out
 * @param scale site column → factor its values are multiplied by (e.g. kW/m² → W/m²: 1000)
 * @param replace an incoming value that differs from the stored one replaces it (default: kept)
 * @param maxFuture readings later than the import time plus this are rejected (default 1 day)
 * @param encoding charset name, or null to read UTF-8 (or UTF-16 with a byte-order mark) and refuse
 *     a file that is not valid UTF-8
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
    Character delimiter,
    List<String> keepColumns,
    List<String> skipColumns,
    Map<String, String> where,
    Map<String, Double> scale,
    boolean replace,
    Duration maxFuture,
    String encoding) {
  public static final String DEFAULT_TIME_COLUMN = "timestamp";
  public static final String DEFAULT_DEVICE_COLUMN = "device_id";
  public static final Duration DEFAULT_MAX_FUTURE = Duration.ofDays(1);

  public CsvImportOptions(
      Path file,
      String deviceColumn,
      String fixedDevice,
      String timeColumn,
      String timeFormat,
      ZoneId zone,
      String target,
      Map<String, String> mapping,
      Character delimiter) {
    this(file, deviceColumn, fixedDevice, timeColumn, timeFormat, zone, target, mapping, delimiter,
        null, null, null, null, false, null, null);
  }

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
    keepColumns = keepColumns == null ? List.of() : List.copyOf(keepColumns);
    skipColumns = skipColumns == null ? List.of() : List.copyOf(skipColumns);
    where =
        where == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(where));
    scale =
        scale == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scale));
    maxFuture = maxFuture == null ? DEFAULT_MAX_FUTURE : maxFuture;
    encoding = blankToNull(encoding);
  }

  /** Keep only {@code keep} (empty: all) and leave out {@code skip}. */
  public CsvImportOptions withColumns(List<String> keep, List<String> skip) {
    return new CsvImportOptions(file, deviceColumn, fixedDevice, timeColumn, timeFormat, zone,
        target, mapping, delimiter, keep, skip, where, scale, replace, maxFuture, encoding);
  }

  public CsvImportOptions withWhere(Map<String, String> newWhere) {
    return new CsvImportOptions(file, deviceColumn, fixedDevice, timeColumn, timeFormat, zone,
        target, mapping, delimiter, keepColumns, skipColumns, newWhere, scale, replace, maxFuture,
        encoding);
  }

  public CsvImportOptions withScale(Map<String, Double> newScale) {
    return new CsvImportOptions(file, deviceColumn, fixedDevice, timeColumn, timeFormat, zone,
        target, mapping, delimiter, keepColumns, skipColumns, where, newScale, replace, maxFuture,
        encoding);
  }

  public CsvImportOptions withReplace(boolean newReplace) {
    return new CsvImportOptions(file, deviceColumn, fixedDevice, timeColumn, timeFormat, zone,
        target, mapping, delimiter, keepColumns, skipColumns, where, scale, newReplace, maxFuture,
        encoding);
  }

  public CsvImportOptions withMaxFuture(Duration newMaxFuture) {
    return new CsvImportOptions(file, deviceColumn, fixedDevice, timeColumn, timeFormat, zone,
        target, mapping, delimiter, keepColumns, skipColumns, where, scale, replace, newMaxFuture,
        encoding);
  }

  public CsvImportOptions withEncoding(String newEncoding) {
    return new CsvImportOptions(file, deviceColumn, fixedDevice, timeColumn, timeFormat, zone,
        target, mapping, delimiter, keepColumns, skipColumns, where, scale, replace, maxFuture,
        newEncoding);
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
    return new CsvImportOptions(file, deviceColumn, fixedDevice, column, format, newZone, target,
        mapping, delimiter, keepColumns, skipColumns, where, scale, replace, maxFuture, encoding);
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
        delimiter,
        keepColumns,
        skipColumns,
        where,
        scale,
        replace,
        maxFuture,
        encoding);
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
        newDelimiter,
        keepColumns,
        skipColumns,
        where,
        scale,
        replace,
        maxFuture,
        encoding);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
