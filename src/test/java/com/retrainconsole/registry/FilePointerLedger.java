package com.retrainconsole.registry;

import com.retrainconsole.audit.PointerLedger;
import com.retrainconsole.audit.PointerMove;
import com.retrainconsole.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A ledger in a JSON-lines file, for the crash test's child JVM (no Mongo there). Each entry is written
 * as "\n{json}", so an entry cut short by a kill is one unparseable line that reading skips.
 */
final class FilePointerLedger implements PointerLedger {
  private final Path file;

  FilePointerLedger(Path file) {
    this.file = file;
  }

  @Override
  public synchronized void append(PointerMove move) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("action", move.action());
    entry.put("device_id", move.deviceId());
    entry.put("from_version", move.fromVersion());
    entry.put("to_version", move.toVersion());
    entry.put("actor", move.actor());
    entry.put("reason", move.reason());
    entry.put("at", move.at().toString());
    writeLine(entry);
  }

  @Override
  public synchronized List<PointerMove> history(String deviceId) {
    List<PointerMove> moves = new ArrayList<>();
    for (Map<String, Object> e : entries()) {
      if (deviceId.equals(e.get("device_id")) && PointerMove.isPointerAction((String) e.get("action"))) {
        moves.add(
            new PointerMove(
                (String) e.get("action"),
                deviceId,
                (String) e.get("from_version"),
                (String) e.get("to_version"),
                (String) e.get("actor"),
                (String) e.get("reason"),
                java.time.Instant.parse((String) e.get("at"))));
      }
    }
    moves.sort(java.util.Comparator.comparing(PointerMove::at)); // stable: ties keep file order
    return moves;
  }

  @Override
  public synchronized void record(String action, String actor, Map<String, ?> details) {
    Map<String, Object> entry = new LinkedHashMap<>(details);
    entry.put("action", action);
    entry.put("actor", actor);
    writeLine(entry);
  }

  @SuppressWarnings("unchecked")
  synchronized List<Map<String, Object>> entries() {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Map<String, Object>> entries = new ArrayList<>();
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      try {
        entries.add(Json.MAPPER.readValue(line, Map.class));
      } catch (IOException torn) {
        // an entry cut short by a kill
      }
    }
    return entries;
  }

  private void writeLine(Map<String, Object> entry) {
    try {
      byte[] line = ("\n" + Json.MAPPER.writeValueAsString(entry)).getBytes(StandardCharsets.UTF_8);
      Files.write(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
