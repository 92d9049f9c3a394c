package com.retrainconsole.cli;

import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.common.UserException;
import com.retrainconsole.store.EmbeddedStore;
import com.retrainconsole.store.EmbeddedStore.RestoreResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code store restore --from FILE}: puts a backup in place of the embedded data file; the file it replaces is
 * kept beside it. Refused while any process serves or holds the file. A store-level file operation: it needs
 * no role check beyond the OS permissions on the data folder (whoever may write there can replace the file by
 * hand), so it does not pass access.Operations, which would need the very store being replaced.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
    description = "Replace the embedded data file of --data-dir with a backup (no process may have it open);"
        + " the replaced file is kept as retrain.mv.db.before-restore-<time>.")
final class StoreRestoreCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--from", required = true, paramLabel = "FILE",
      description = "The backup to restore, e.g. <data-dir>/backups/retrain-<time>.mv.db (see: store backup --list).")
  Path from;

  @Override
  public Integer call() {
    GlobalOptions g = ((RetrainCli) spec.root().userObject()).global;
    AppConfig config = AppConfig.resolve(g.mongoUri, g.dataDir, g.modelsDir, System.getenv());
    if (config.mongoUri() != null) {
      throw new UserException("store restore works on the embedded store of --data-dir; restore a MongoDB server"
          + " named by --mongo-uri with its own tools (mongorestore)");
    }
    RestoreResult r = EmbeddedStore.restore(config.dataDir(), from);
    Output out = new Output(spec.commandLine().getOut(), g.json);
    out.result(Output.map("file", r.file().toString(), "from", r.from().toString(), "version", r.version(),
            "bytes", r.bytes(), "kept_aside", r.keptAside() == null ? null : r.keptAside().toString()),
        () -> out.linef("restored %s from %s (commit %d, %,d bytes)%s", r.file(), r.from(), r.version(), r.bytes(),
            r.keptAside() == null ? "" : "; the file it replaced is kept as " + r.keptAside()));
    return 0;
  }
}
