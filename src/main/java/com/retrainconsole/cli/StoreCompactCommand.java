package com.retrainconsole.cli;

import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.common.UserException;
import com.retrainconsole.store.EmbeddedStore;
import com.retrainconsole.store.EmbeddedStore.CompactionResult;
import com.retrainconsole.store.StorePortFile;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code store compact}: full offline compaction of the embedded data file (docs/ARCHITECTURE.md §2: the durable
 * backend appends a chunk per commit), after a backup. Needs the file closed, so a served store is refused up
 * front. A store-level file operation: no role check beyond the OS permissions on the data folder.
 */
@Command(name = "compact", mixinStandardHelpOptions = true,
    description = "Compact the embedded data file of --data-dir (no process may have it open).")
final class StoreCompactCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    GlobalOptions g = ((RetrainCli) spec.root().userObject()).global;
    AppConfig config = AppConfig.resolve(g.mongoUri, g.dataDir, g.modelsDir, System.getenv());
    if (config.mongoUri() != null) {
      throw new UserException("store compact works on the embedded store of --data-dir; a MongoDB server named"
          + " by --mongo-uri compacts itself (see its `compact` command)");
    }
    StorePortFile.read(config.dataDir())
        .filter(e -> ProcessHandle.of(e.pid()).map(ProcessHandle::isAlive).orElse(false))
        .ifPresent(e -> {
          throw new UserException("The store in " + config.dataDir() + " is served by process " + e.pid()
              + " on 127.0.0.1:" + e.port() + "; stop it (SIGTERM) before compacting");
        });
    Output out = new Output(spec.commandLine().getOut(), g.json);
    CompactionResult r = EmbeddedStore.compact(config.dataDir());
    out.result(Output.map("file", r.file().toString(), "bytes_before", r.bytesBefore(),
            "bytes_after", r.bytesAfter(), "millis", r.took().toMillis(),
            "backup", r.backup().backup().file().toString()),
        () -> {
          out.linef("compacted %s: %,d -> %,d bytes (%.1f%%) in %d ms", r.file(), r.bytesBefore(),
              r.bytesAfter(), r.bytesBefore() == 0 ? 100.0 : 100.0 * r.bytesAfter() / r.bytesBefore(),
              r.took().toMillis());
          out.linef("backup before compacting: %s (%,d bytes)", r.backup().backup().file(),
              r.backup().backup().bytes());
        });
    return 0;
  }
}
