package com.retrainconsole.cli;

import com.retrainconsole.app.AppContext;
import com.retrainconsole.common.UserException;
import com.retrainconsole.telemetry.CsvImportOptions;
import com.retrainconsole.telemetry.CsvImportResult;
import com.retrainconsole.telemetry.CsvImporter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import-csv", mixinStandardHelpOptions = true,
    description = "Import readings from a CSV file (header row). Importing the same file twice adds nothing.")
final class ImportCsvCommand extends StoreCommand {
  private static final int SHOWN_REJECTIONS = 20;

  @Parameters(index = "0", paramLabel = "FILE") Path file;

  @Option(names = "--device", paramLabel = "ID", description = "All rows belong to this device.")
  String device;

  @Option(names = "--device-column", paramLabel = "COL", description = "Column holding the device id (default: device_id).")
  String deviceColumn;

  @Option(names = "--time-column", defaultValue = "timestamp", paramLabel = "COL") String timeColumn;

  @Option(names = "--time-format", paramLabel = "PATTERN",
      description = "java.time pattern, e.g. 'M/d/yyyy H:mm' (default: detected from the first rows).")
  String timeFormat;

  @Option(names = "--zone", defaultValue = "UTC", paramLabel = "IANA",
      description = "Zone of times written without an offset (default: ${DEFAULT-VALUE}).")
  String zone;

  @Option(names = "--target", defaultValue = "power_w", paramLabel = "FIELD",
      description = "Canonical name of the value to predict (default: ${DEFAULT-VALUE}).")
  String target;

  @Option(names = "--map", split = ",", paramLabel = "SITE=CANONICAL",
      description = "Rename site columns, e.g. --map P_AC=power_w,GHI=irradiance_wm2")
  Map<String, String> mapping = new LinkedHashMap<>();

  @Option(names = "--delimiter", paramLabel = "CHAR", description = "Field separator (default: detected, , or ;).")
  Character delimiter;

  @Override
  int call(AppContext ctx, Output out) {
    if (device != null && deviceColumn != null) {
      throw new UserException("Give either --device or --device-column, not both");
    }
    CsvImportOptions options = new CsvImportOptions(file, device == null ? deviceColumn == null
            ? CsvImportOptions.DEFAULT_DEVICE_COLUMN : deviceColumn : null,
        device, timeColumn, timeFormat, SimulateCommand.zoneId(zone), target, mapping, delimiter);
    CsvImportResult r = new CsvImporter(ctx.store()).importFile(options, progress());
    out.result(Output.map("file", file.toString(), "rows_read", r.rowsRead(), "imported", r.imported(),
            "already_present", r.alreadyPresent(), "rejected", r.rejectedCount(),
            "rejections", r.rejected().stream().map(j -> Output.map("line", j.line(), "reason", j.reason())).toList(),
            "devices", r.devices()),
        () -> {
          out.linef("%s: %d rows read, %d imported, %d already present, %d rejected (devices: %s)", file,
              r.rowsRead(), r.imported(), r.alreadyPresent(), r.rejectedCount(), String.join(", ", r.devices()));
          r.rejected().stream().limit(SHOWN_REJECTIONS).forEach(j -> out.line("  " + j));
          if (r.rejected().size() > SHOWN_REJECTIONS) {
            out.linef("  ... %d more (use --json for all)", r.rejected().size() - SHOWN_REJECTIONS);
          }
        });
    return 0;
  }
}
