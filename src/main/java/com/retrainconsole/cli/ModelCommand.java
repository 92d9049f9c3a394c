package com.retrainconsole.cli;

import com.retrainconsole.services.Services;
import com.retrainconsole.common.Json;
import com.retrainconsole.common.UserException;
import com.retrainconsole.registry.LoadedModel;
import com.retrainconsole.registry.ModelMeta;
import com.retrainconsole.registry.ModelVersions;
import com.retrainconsole.registry.Pointer;
import com.retrainconsole.registry.VersionNotes;
import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "model", mixinStandardHelpOptions = true, description = "Inspect model versions of a device.",
    subcommands = {ModelCommand.Current.class, ModelCommand.ListVersions.class, ModelCommand.At.class,
        ModelCommand.Label.class})
final class ModelCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "Missing sub-command: current, list, at or label");
  }

  static Map<String, Object> metaJson(ModelMeta meta) {
    return Json.MAPPER.convertValue(meta, Json.MAPPER.getTypeFactory().constructMapType(Map.class, String.class, Object.class));
  }

  @Command(name = "current", mixinStandardHelpOptions = true,
      description = "The version in service, verified against its sha256.")
  static final class Current extends StoreCommand {
    @Option(names = "--device", required = true, paramLabel = "ID") String device;

    @Override
    int call(Services ctx, Output out) {
      device(ctx, device);
      Optional<Pointer> pointer = ctx.registry().current(device);
      if (pointer.isEmpty()) {
        throw new UserException("Device " + device + " has no model in service yet. Train one with: train --device "
            + device);
      }
      LoadedModel loaded = ctx.registry().loadCurrent(device); // verifies the sha256
      out.result(Output.map("device_id", device, "pointer", pointer.get(), "verified", true,
          "meta", metaJson(loaded.meta())), () -> {
            Pointer p = pointer.get();
            out.linef("%s: %s (sha256 verified)", device, p.version());
            out.linef("  promoted %s by %s: %s", p.promotedAt(), p.promotedBy(), p.reason());
            out.linef("  previous %s", p.previousVersion() == null ? "-" : p.previousVersion());
            out.linef("  trainer %s  MAE %.2f  RMSE %.2f  R² %.4f", loaded.meta().trainer(),
                loaded.meta().metrics().mae(), loaded.meta().metrics().rmse(), loaded.meta().metrics().r2());
          });
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Versions of a device, newest first.")
  static final class ListVersions extends StoreCommand {
    @Option(names = "--device", required = true, paramLabel = "ID") String device;

    @Override
    int call(Services ctx, Output out) {
      device(ctx, device);
      List<ModelMeta> versions = ctx.registry().list(device);
      String current = ctx.registry().current(device).map(Pointer::version).orElse(null);
      out.result(Output.map("device_id", device, "current", current,
          "versions", versions.stream().map(ModelCommand::metaJson).toList()), () -> {
            if (versions.isEmpty()) {
              out.line("no versions for " + device);
            }
            for (ModelMeta m : versions) {
              out.linef("%s %-24s %-10s %-8s MAE %8.2f  R² %.4f  run %s%s", m.version().equals(current) ? "*" : " ",
                  m.version(), m.stage().json(), m.trainer(), m.metrics().mae(), m.metrics().r2(), m.runId(),
                  notesText(m.notes()));
            }
          });
      return 0;
    }
  }

  @Command(name = "at", mixinStandardHelpOptions = true,
      description = "Which version was in service at a given time (from the audit ledger).")
  static final class At extends StoreCommand {
    @Option(names = "--device", required = true, paramLabel = "ID") String device;

    @Option(names = "--time", required = true, paramLabel = "TIME", converter = InstantConverter.class)
    Instant time;

    @Override
    int call(Services ctx, Output out) {
      device(ctx, device);
      Optional<String> version = ctx.registry().versionAt(device, time);
      out.result(Output.map("device_id", device, "time", time.toString(), "version", version.orElse(null)),
          () -> out.line(version.map(v -> device + " at " + time + ": " + v)
              .orElse(device + " had no model in service at " + time)));
      return 0;
    }
  }

  /** "  "after soiling clean" [winter, baseline]" for a list line; empty when nothing was written. */
  static String notesText(VersionNotes n) {
    String label = n.label() == null ? "" : "  \"" + n.label() + "\"";
    String tags = n.tags().isEmpty() ? "" : "  [" + String.join(", ", n.tags()) + "]";
    return label + tags;
  }

  @Command(name = "label", mixinStandardHelpOptions = true,
      description = {"Set the label, note or tags of a version (operator or above on the device's site).",
          "Options left out keep their value; --label \"\" or --note \"\" clears one; --tag adds to the tags,"
              + " after --clear-tags replaces them."})
  static final class Label extends StoreCommand {
    @Option(names = "--device", required = true, paramLabel = "ID") String device;

    @Option(names = "--version", required = true, paramLabel = "V") String version;

    @Option(names = "--label", paramLabel = "TEXT",
        description = "Short label, at most " + VersionNotes.MAX_LABEL + " characters.")
    String label;

    @Option(names = "--note", paramLabel = "TEXT", description = "Free note, at most " + VersionNotes.MAX_NOTE
        + " characters.")
    String note;

    @Option(names = "--tag", paramLabel = "T", description = "A tag to add (repeatable): lowercase word "
        + VersionNotes.TAG_RULE + ", at most " + VersionNotes.MAX_TAGS + " per version.")
    List<String> tags = new ArrayList<>();

    @Option(names = "--clear-tags", description = "Drop the version's tags first.")
    boolean clearTags;

    @Override
    int call(Services ctx, Output out) {
      device(ctx, device);
      ModelVersions.requireVersionId(version);
      VersionNotes now = ctx.registry().meta(device, version).notes();
      List<String> newTags = new ArrayList<>(clearTags ? List.of() : now.tags());
      newTags.addAll(tags);
      VersionNotes wanted = new VersionNotes(label != null ? label : now.label(), note != null ? note : now.note(),
          newTags);
      ModelMeta saved = ctx.operations().labelVersion(actor(ctx), device, version, wanted);
      VersionNotes n = saved.notes();
      out.result(Output.map("device_id", device, "version", version, "label", n.label(), "note", n.note(),
          "tags", n.tags()), () -> {
            out.linef("%s %s: label %s", device, version, n.label() == null ? "-" : "\"" + n.label() + "\"");
            out.linef("  tags %s", n.tags().isEmpty() ? "-" : String.join(", ", n.tags()));
            out.linef("  note %s", n.note() == null ? "-" : n.note());
          });
      return 0;
    }
  }
}
