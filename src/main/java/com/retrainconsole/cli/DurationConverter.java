package com.retrainconsole.cli;

import com.retrainconsole.common.Durations;
import com.retrainconsole.common.UserException;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** "60s", "5m", "1h", "2d", or ISO-8601 "PT5M" (common.Durations), as a picocli conversion error. */
final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return Durations.parse(value);
    } catch (UserException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
