package com.retrainconsole.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Accepts 2026-11-22T18:30:00Z, 2026-11-22T18:30:00+01:00 or a date (midnight UTC). */
final class InstantConverter implements ITypeConverter<Instant> {
  @Override
  public Instant convert(String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException ignored) {
      // try the other forms
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException ignored) {
      // try a date
    }
    try {
      return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw new TypeConversionException("'" + value
          + "' is not a time; use ISO-8601 like 2026-11-22T18:30:00Z, 2026-11-22T18:30:00+01:00 or 2026-11-22");
    }
  }
}
