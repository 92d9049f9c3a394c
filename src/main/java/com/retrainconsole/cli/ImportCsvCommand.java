package com.retrainconsole.cli;

import com.retrainconsole.services.Services;
import com.retrainconsole.common.DeviceIds;
import com.retrainconsole.common.UserException;
import com.retrainconsole.telemetry.CsvImportOptions;
import com.retrainconsole.telemetry.CsvImportResult;
import com.retrainconsole.telemetry.CsvImporter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import-csv", mixinStandardHelpOptions = true,
    description = "Import readings from a CSV file (header row). Importing the same file twice adds nothing; "
        + "a file with other fields for readings already stored adds its fields to them.")
final class ImportCsvCommand extends StoreCommand {
  private static final int SHOWN_REJECTIONS = 20;
  private static final int SHOWN_CONFLICTS = 10;
  private static final int SHOWN_DEVICES = 10;

  @Parameters(index = "0", paramLabel = "FILE") Path file;

  @Option(names = "--device", paramLabel = "ID", description = "All rows belong to this device.")
  String device;

  @Option(names = "--device-column", paramLabel = "COL", description = "Column holding the device id (default: device_id).")
  String deviceColumn;

  @Option(names = "--time-column", defaultValue = "timestamp", paramLabel = "COL") String timeColumn;

  @Option(names = "--time-format", paramLabel = "PATTERN",
      description = "java.time pattern, e.g. 'd/M/yyyy H:mm' (default: detected over the whole file).")
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

  @Option(names = "--columns", split = ",", paramLabel = "COL",
      description = "Import only these value columns (and the mapped ones).")
  List<String> columns = new ArrayList<>();

  @Option(names = "--skip", split = ",", paramLabel = "COL", description = "Leave these columns out.")
  List<String> skip = new ArrayList<>();

  @Option(names = "--where", split = ",", paramLabel = "COL=VALUE",
      description = "Import only rows whose column has this value, e.g. --where SOURCE_KEY=1BY6WEcLGh8j5v7")
  Map<String, String> where = new LinkedHashMap<>();

  @Option(names = "--scale", split = ",", paramLabel = "COL=FACTOR",
      description = "Multiply a column's values, e.g. --scale IRRADIATION=1000 (kW/m² to W/m²).")
  Map<String, Double> scale = new LinkedHashMap<>();

  @Option(names = "--replace", description = "A value that differs from the stored one replaces it (default: kept).")
  boolean replace;

  @Option(names = "--max-future", defaultValue = "1d", paramLabel = "DUR", converter = DurationConverter.class,
      description = "Reject readings later than now plus this (default: ${DEFAULT-VALUE}).")
  Duration maxFuture;

  @Option(names = "--encoding", paramLabel = "CHARSET",
      description = "The file's charset, e.g. windows-1252 (default: UTF-8, or UTF-16 with a byte-order mark).")
  String encoding;

  @Option(names = "--delimiter", paramLabel = "CHAR", description = "Field separator (default: detected, , or ;).")
  Character delimiter;

  @Override
  int call(Services ctx, Output out) {
    if (device != null && deviceColumn != null) {
      throw new UserException("Give either --device or --device-column, not both");
    }
    if (device != null) {
      DeviceIds.require(device);
    }
    CsvImportOptions options = new CsvImportOptions(file, device == null ? deviceColumn == null
            ? CsvImportOptions.DEFAULT_DEVICE_COLUMN : deviceColumn : null,
        device, timeColumn, timeFormat, SimulateCommand.zoneId(zone), target, mapping, delimiter,
        columns, skip, where, scale, replace, maxFuture, encoding);
    CsvImportResult r;
    try {
      r = ctx.operations().importCsv(actor(ctx), options, progress());
    } catch (CsvImporter.OutOfMemory e) {
      err().println("error: " + e.getMessage());
      return RetrainCli.EXIT_FAILED;
    }
    out.result(Output.map("file", file.toString(), "rows_read", r.rowsRead(), "imported", r.imported(),
            "updated", r.updated(), "already_present", r.alreadyPresent(), "filtered", r.filtered(),
            "rejected", r.rejectedCount(),
            "rejections", r.rejected().stream().map(j -> Output.map("line", j.line(), "reason", j.reason())).toList(),
            "skipped_columns", r.skippedColumns().stream()
                .map(c -> Output.map("column", c.column(), "reason", c.reason())).toList(),
            "conflict_count", r.conflictCount(), "replaced", r.replaced(),
            "conflicts", r.conflicts().stream().map(c -> Output.map("line", c.line(), "device_id", c.device(),
                "field", c.field(), "stored", c.stored(), "incoming", c.incoming())).toList(),
            "notes", r.notes(), "devices", r.devices()),
        () -> {
          List<String> shown = r.devices().stream().limit(SHOWN_DEVICES).toList();
          String devices = String.join(", ", shown)
              + (r.devices().size() > SHOWN_DEVICES ? ", ... " + r.devices().size() + " in all" : "");
          out.linef("%s: %d rows read, %d imported, %d updated, %d already present, %d rejected%s (devices: %s)",
              file, r.rowsRead(), r.imported(), r.updated(), r.alreadyPresent(), r.rejectedCount(),
              r.filtered() > 0 ? ", " + r.filtered() + " filtered out by --where" : "", devices);
          skippedLine(out, r, "text", "skipped text columns");
          skippedLine(out, r, "constant", "skipped constant columns");
          skippedLine(out, r, "--skip", "skipped with --skip");
          r.notes().forEach(n -> out.line("note: " + n));
          if (r.conflictCount() > 0) {
            out.linef("%d values differ from the stored ones: %s", r.conflictCount(),
                r.replaced() > 0 ? r.replaced() + " replaced (--replace)" : "stored values kept (--replace to take the file's)");
            r.conflicts().stream().limit(SHOWN_CONFLICTS).forEach(c -> out.line("  " + c));
            if (r.conflictCount() > SHOWN_CONFLICTS) {
              out.linef("  ... %d more (use --json for the first %d)", r.conflictCount() - SHOWN_CONFLICTS,
                  r.conflicts().size());
            }
          }
          r.rejected().stream().limit(SHOWN_REJECTIONS).forEach(j -> out.line("  " + j));
          if (r.rejected().size() > SHOWN_REJECTIONS) {
            out.linef("  ... %d more (use --json for all)", r.rejected().size() - SHOWN_REJECTIONS);
          }
        });
    return 0;
  }

  private static void skippedLine(Output out, CsvImportResult r, String reason, String label) {
    List<String> names = r.skipped(reason);
    if (!names.isEmpty()) {
      out.linef("%s: %s", label, String.join(", ", names));
    }
  }
}
