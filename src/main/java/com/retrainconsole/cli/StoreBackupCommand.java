package com.retrainconsole.cli;

import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.common.UserException;
import com.retrainconsole.store.EmbeddedStore;
import com.retrainconsole.store.StoreBackups;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code store backup [--list]}: a backup of the embedded store now, into {@code <data-dir>/backups} (the
 * newest {@value StoreBackups#KEEP} are kept; a process serving the store also writes one daily). A running
 * scheduler is asked to write it; otherwise the closed file is checked and copied here. A store-level file
 * operation: no role check beyond the OS permissions on the data folder (docs/ARCHITECTURE.md §2).
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
    description = "Back the embedded store of --data-dir up into <data-dir>/backups now (or --list the backups).")
final class StoreBackupCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--list", description = "List the backups, newest first, instead of writing one.")
  boolean list;

  @Override
  public Integer call() {
    GlobalOptions g = ((RetrainCli) spec.root().userObject()).global;
    AppConfig config = AppConfig.resolve(g.mongoUri, g.dataDir, g.modelsDir, System.getenv());
    if (config.mongoUri() != null) {
      throw new UserException("store backup works on the embedded store of --data-dir; back a MongoDB server named"
          + " by --mongo-uri up with its own tools (mongodump)");
    }
    Output out = new Output(spec.commandLine().getOut(), g.json);
    if (list) {
      List<StoreBackups.Backup> backups = StoreBackups.list(config.dataDir());
      out.result(Output.map("folder", StoreBackups.folder(config.dataDir()).toString(), "backups",
              backups.stream().map(b -> Output.map("file", b.file().toString(), "taken_at", b.takenAt().toString(),
                  "bytes", b.bytes())).toList()),
          () -> {
            if (backups.isEmpty()) {
              out.line("no backups in " + StoreBackups.folder(config.dataDir()));
            }
            backups.forEach(b -> out.linef("%s  %s  %,d bytes", b.takenAt(), b.file(), b.bytes()));
          });
      return 0;
    }
    StoreBackups.BackupResult r = EmbeddedStore.backup(config.dataDir());
    out.result(Output.map("file", r.backup().file().toString(), "bytes", r.backup().bytes(), "version", r.version(),
            "millis", r.took().toMillis(), "removed", r.removed().stream().map(Object::toString).toList()),
        () -> out.linef("backup %s: %,d bytes (commit %d) in %d ms%s", r.backup().file(), r.backup().bytes(),
            r.version(), r.took().toMillis(),
            r.removed().isEmpty() ? "" : "; removed " + r.removed().size() + " older backup(s)"));
    return 0;
  }
}
