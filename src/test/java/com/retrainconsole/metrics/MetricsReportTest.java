package com.retrainconsole.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.audit.MongoAuditLog;
import com.retrainconsole.registry.ModelMeta;
import com.retrainconsole.registry.ModelRegistry;
import com.retrainconsole.runs.EnqueueRequest;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.runs.RetryPolicy;
import com.retrainconsole.runs.RunQueue;
import com.retrainconsole.runs.RunRepository;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.store.Store;
import com.retrainconsole.telemetry.DeviceConfig;
import com.retrainconsole.telemetry.DeviceRepository;
import com.retrainconsole.testing.SettableClock;
import com.retrainconsole.testing.TestModels;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsReportTest {
  // exposition format 0.0.4: comments, and samples `name{label="value"} number`
  static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) \\S.*");
  static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)");
  static final Pattern SAMPLE = Pattern.compile(
      "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\""
          + "(?:,[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\")*\\})? "
          + "(NaN|[+-]Inf|-?[0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)");

  @TempDir Path dir;
  private Store store;
  private SettableClock clock;

  @BeforeEach
  void open() {
    store = Store.openInMemory();
    clock = new SettableClock(Instant.parse("2026-11-22T10:00:00Z"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void the_metrics_text_parses_line_by_line_and_counts_the_known_runs() {
    DeviceRepository devices = new DeviceRepository(store);
    devices.upsert(DeviceConfig.of("tracker01"));
    devices.upsert(DeviceConfig.of("tracker02"));
    ModelRegistry registry = new ModelRegistry(dir.resolve("models"), new MongoAuditLog(store, clock), clock);
    ModelMeta saved = registry.saveCandidate("tracker01", TestModels.train(1), TestModels.draft("tracker01", "r1", 42.5));
    registry.promote("tracker01", saved.version(), "ada", "first model");

    RunRepository runs = new RunRepository(store, clock);
    finish(runs, "tracker01", RunStatus.COMPLETED);
    finish(runs, "tracker01", RunStatus.COMPLETED);
    finish(runs, "tracker02", RunStatus.FAILED);
    clock.advance(Duration.ofSeconds(100));
    finish(runs, "tracker01", RunStatus.COMPLETED); // tracker01's last run: 100 s after tracker02's
    runs.startInline("tracker02", new Document("type", "manual"), new Document()); // still running
    RunQueue queue = new RunQueue(store, clock, RetryPolicy.defaults(), registry::versionInServiceOfRun);
    queue.enqueue(EnqueueRequest.manual("tracker01", new RunRecord.Params(14, null, null, false), "ada", "test"));
    queue.enqueue(EnqueueRequest.manual("tracker02", new RunRecord.Params(14, null, null, false), "ada", "test"));
    clock.advance(Duration.ofSeconds(20));

    String text = MetricsReport.render(store, devices, registry, clock, () -> 0.25);

    Map<String, Double> samples = new LinkedHashMap<>();
    Set<String> typed = new HashSet<>();
    Set<String> helped = new HashSet<>();
    assertTrue(text.endsWith("\n"), "the exposition ends with a newline");
    for (String line : text.split("\n")) {
      Matcher m;
      if ((m = HELP.matcher(line)).matches()) {
        helped.add(m.group(1));
      } else if ((m = TYPE.matcher(line)).matches()) {
        assertFalse(typed.contains(m.group(1)), "one TYPE line per metric: " + line);
        typed.add(m.group(1));
      } else if ((m = SAMPLE.matcher(line)).matches()) {
        assertTrue(typed.contains(m.group(1)), "TYPE comes before the samples: " + line);
        String key = m.group(1) + (m.group(2) == null ? "" : m.group(2));
        assertFalse(samples.containsKey(key), "duplicate sample " + key);
        samples.put(key, Double.parseDouble(m.group(3).replace("+Inf", "Infinity").replace("-Inf", "-Infinity")));
      } else {
        throw new AssertionError("not a valid exposition line: '" + line + "'");
      }
    }
    assertEquals(typed, helped);
    assertEquals(Set.of("retrain_runs_total", "retrain_last_run_age_seconds", "retrain_model_mae_watts",
        "retrain_queue_depth", "retrain_scheduler_tick_seconds"), typed);

    assertEquals(3.0, samples.get("retrain_runs_total{status=\"completed\"}"));
    assertEquals(1.0, samples.get("retrain_runs_total{status=\"failed\"}"));
    assertEquals(1.0, samples.get("retrain_runs_total{status=\"running\"}"));
    assertEquals(2.0, samples.get("retrain_runs_total{status=\"pending\"}"));
    assertEquals(0.0, samples.get("retrain_runs_total{status=\"timed_out\"}"));
    assertEquals(20.0, samples.get("retrain_last_run_age_seconds{device_id=\"tracker01\",site=\"default\"}"));
    assertEquals(120.0, samples.get("retrain_last_run_age_seconds{device_id=\"tracker02\",site=\"default\"}"));
    assertEquals(42.5, samples.get("retrain_model_mae_watts{device_id=\"tracker01\",site=\"default\"}"));
    assertFalse(samples.containsKey("retrain_model_mae_watts{device_id=\"tracker02\",site=\"default\"}"), "no model, no sample");
    assertEquals(2.0, samples.get("retrain_queue_depth"));
    assertEquals(0.25, samples.get("retrain_scheduler_tick_seconds"));
  }

  @Test
  void label_values_are_escaped_and_special_numbers_spelled_as_prometheus_does() {
    assertEquals("a\\\"b\\\\c\\nd", MetricsReport.escape("a\"b\\c\nd"));
    assertEquals("NaN", MetricsReport.format(Double.NaN));
    assertEquals("+Inf", MetricsReport.format(Double.POSITIVE_INFINITY));
    assertEquals("3", MetricsReport.format(3.0));
    assertEquals("0.125", MetricsReport.format(0.125));
  }

  private static void finish(RunRepository runs, String device, RunStatus status) {
    String id = runs.startInline(device, new Document("type", "manual"), new Document()).getString("run_id");
    runs.finish(id, status, new Document());
  }
}
