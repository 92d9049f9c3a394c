package com.retrainconsole.registry;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Child JVM of {@link PointerCrashTest}: promotes the given versions in turn, as fast as it can, until
 * it is killed. Prints "ready" once the first promote is done so the parent knows writes are under way.
 * Args: models-dir device ledger-file version...
 */
public final class PointerCrashChild {
  private PointerCrashChild() {}

  public static void main(String[] args) {
    Path modelsDir = Path.of(args[0]);
    String device = args[1];
    FilePointerLedger ledger = new FilePointerLedger(Path.of(args[2]));
    List<String> versions = List.of(args).subList(3, args.length);
    ModelRegistry registry = new ModelRegistry(modelsDir, ledger, Clock.systemUTC());
    String current = registry.current(device).map(Pointer::version).orElse(null);
    int next = (versions.indexOf(current) + 1) % versions.size();
    for (long i = 0; ; i++) {
      registry.promote(device, versions.get(next), "crash-child", "promote #" + i);
      next = (next + 1) % versions.size();
      if (i == 0) {
        System.out.println("ready");
        System.out.flush();
      }
    }
  }
}
