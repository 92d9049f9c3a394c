package com.retrainconsole.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.retrainconsole.common.Json;
import java.io.PrintWriter;
import java.util.Map;

/** Writes a command's result: one JSON object with --json, readable text otherwise. Progress goes to stderr. */
final class Output {
  private final PrintWriter out;
  private final boolean json;

  Output(PrintWriter out, boolean json) {
    this.out = out;
    this.json = json;
  }

  boolean json() {
    return json;
  }

  /** In JSON mode prints the object; in text mode runs the text printer. */
  void result(Object jsonValue, Runnable textPrinter) {
    if (json) {
      try {
        out.println(Json.MAPPER.writeValueAsString(jsonValue));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot render JSON", e);
      }
    } else {
      textPrinter.run();
    }
    out.flush();
  }

  void line(String text) {
    out.println(text);
  }

  void linef(String format, Object... args) {
    out.println(String.format(java.util.Locale.ROOT, format, args));
  }

  static Map<String, Object> map(Object... keyValues) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }
}
