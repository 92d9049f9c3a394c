package com.retrainconsole.cli;

import com.retrainconsole.common.UserException;
import com.retrainconsole.training.TrainerKind;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** decision: a bad --trainer is a bad flag, rejected with the usage text before the store is opened. */
final class TrainerKindConverter implements ITypeConverter<TrainerKind> {
  @Override
  public TrainerKind convert(String value) {
    try {
      return TrainerKind.parse(value);
    } catch (UserException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
