package com.retrainconsole.cli;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.retrainconsole.app.AppContext;
import com.retrainconsole.common.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs the real CLI in-process against one data folder and one models folder, capturing both streams. */
final class Cli {
  private final Path dataDir;
  private final Path modelsDir;

  Cli(Path dataDir, Path modelsDir) {
    this.dataDir = dataDir;
    this.modelsDir = modelsDir;
  }

  /** The command followed by the global options (picocli accepts them after the sub-command too). */
  Result run(String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(List.of("--data-dir", dataDir.toString(), "--models-dir", modelsDir.toString()));
    return raw(all.toArray(String[]::new));
  }

  /** The global options first, then the command. */
  Result runGlobalFirst(String... args) {
    List<String> all = new ArrayList<>(List.of("--data-dir", dataDir.toString(), "--models-dir",
        modelsDir.toString()));
    all.addAll(Arrays.asList(args));
    return raw(all.toArray(String[]::new));
  }

  /** Exactly these arguments. */
  static Result raw(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = RetrainCli.run(AppContext::open, new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString(), List.of(args));
  }

  record Result(int code, String out, String err, List<String> args) {
    /** Stdout as JSON, after checking the command succeeded. */
    JsonNode json() {
      return expect(0).parsedOut();
    }

    JsonNode parsedOut() {
      try {
        return Json.MAPPER.readTree(out);
      } catch (IOException e) {
        throw new AssertionError("stdout of " + args + " is not JSON: " + out + "\nstderr: " + err, e);
      }
    }

    Result expect(int wanted) {
      if (code != wanted) {
        fail("exit " + code + " (wanted " + wanted + ") for " + args + "\nstdout: " + out + "\nstderr: " + err);
      }
      return this;
    }

    /** The "error: ..." line on stderr (progress lines come before it). */
    String errorLine() {
      return err.lines().filter(l -> l.startsWith("error: ")).findFirst()
          .orElseThrow(() -> new AssertionError("no 'error:' line on stderr of " + args + ": " + err));
    }
  }
}
