package com.retrainconsole.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.app.AppContext;
import com.retrainconsole.common.NotFoundException;
import com.retrainconsole.devices.DeviceChanges;
import com.retrainconsole.registry.ModelMeta;
import com.retrainconsole.retrain.RetrainRequest;
import com.retrainconsole.runs.EnqueueRequest;
import com.retrainconsole.runs.RunFilter;
import com.retrainconsole.runs.RunSort;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.store.Store;
import com.retrainconsole.telemetry.SimulatorConfig;
import com.retrainconsole.testing.TestModels;
import com.retrainconsole.training.TrainerKind;
import com.retrainconsole.triggers.TriggerType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tribuo.Model;
import org.tribuo.regression.Regressor;

/**
 * Every guarded operation, by every kind of actor, on a device of each of two sites: the door lets through
 * exactly what the actor's role on that site allows, refuses the rest with "forbidden", and answers "not
 * found" for a site the actor may not see — and a refused call changes nothing.
 */
class SiteAccessMatrixTest {
  static final Model<Regressor> M1 = TestModels.train(1);
  static final Model<Regressor> M2 = TestModels.train(2);
  static final Actor FLEET_ADMIN = new Actor("root", Role.ADMIN);

  @TempDir Path dir;

  /** Devices n1 (site north) and s1 (site south), each with two versions, runs, a trigger and an alert. */
  static final class Fixture implements AutoCloseable {
    final AppContext ctx;
    final Operations ops;
    final Map<String, String> pendingRun = new java.util.HashMap<>();
    final Map<String, String> failedRun = new java.util.HashMap<>();
    final Map<String, String> oldRun = new java.util.HashMap<>();
    final Map<String, String> trigger = new java.util.HashMap<>();
    final Map<String, String> alert = new java.util.HashMap<>();
    final Map<String, ModelMeta> v1 = new java.util.HashMap<>();

    Fixture(Path dir) {
      ctx = AppContext.open(new AppConfig(null, dir.resolve("data"), dir.resolve("models")), Store.openInMemory(),
          Clock.systemUTC());
      ops = ctx.operations();
      for (String[] d : new String[][] {{"n1", "north"}, {"s1", "south"}}) {
        String id = d[0];
        ops.addDevice(FLEET_ADMIN, id, DeviceChanges.none().withSite(d[1]));
        ModelMeta a = ctx.registry().saveCandidate(id, M1, TestModels.draft(id, "run-a-" + id, 10));
        ModelMeta b = ctx.registry().saveCandidate(id, M2, TestModels.draft(id, "run-b-" + id, 9));
        ctx.registry().promote(id, a.version(), "root", "first");
        ctx.registry().promote(id, b.version(), "root", "second");
        v1.put(id, a);
        pendingRun.put(id, ctx.queue().enqueue(EnqueueRequest.manual(id, new RunRecord.Params(7, null, null, false), "root", "t"))
            .runId());
        failedRun.put(id, finished(id, RunStatus.FAILED));
        oldRun.put(id, finished(id, RunStatus.COMPLETED));
        trigger.put(id, ops.addTrigger(FLEET_ADMIN, id, TriggerType.INTERVAL, new Document("every", "PT6H"), null)
            .triggerId());
        alert.put(id, ctx.alerts().raiseAlert("stale_data", id, "stale:" + id, "no data", Map.of())
            .getString("alert_id"));
      }
    }

    private String finished(String device, RunStatus status) {
      String runId = ctx.runs().startInline(device, new Document("type", "manual"), new Document("days", 7))
          .getString("run_id");
      ctx.runs().finish(runId, status, new Document("error", status == RunStatus.FAILED ? "boom" : null));
      return runId;
    }

    @Override
    public void close() {
      ctx.close();
    }
  }

  /** One guarded operation on one device, the permission it needs, and what it changed when let through. */
  enum Op {
    RETRAIN(Permission.RETRAIN) {
      void run(Fixture f, Actor a, String d) {
        f.ops.enqueueRetrain(a, new RetrainRequest(d, 7, null, TrainerKind.CART, false, "manual", "m", a.user()));
      }
    },
    CANCEL(Permission.CANCEL_RUN) {
      void run(Fixture f, Actor a, String d) {
        f.ops.cancelRun(a, f.pendingRun.get(d));
      }
    },
    RETRY(Permission.RETRY_RUN) {
      void run(Fixture f, Actor a, String d) {
        f.ops.retryRun(a, f.failedRun.get(d));
      }
    },
    DELETE_RUN(Permission.DELETE_RUN) {
      void run(Fixture f, Actor a, String d) {
        f.ops.deleteRun(a, f.oldRun.get(d));
      }
    },
    PROMOTE(Permission.PROMOTE) {
      void run(Fixture f, Actor a, String d) {
        f.ops.promote(a, d, f.v1.get(d).version(), "back to the first");
      }
    },
    LABEL_VERSION(Permission.LABEL_VERSION) {
      void run(Fixture f, Actor a, String d) {
        f.ops.labelVersion(a, d, f.v1.get(d).version(),
            com.retrainconsole.registry.VersionNotes.of("after soiling clean", null, List.of("winter")));
      }
    },
    ROLLBACK(Permission.ROLLBACK) {
      void run(Fixture f, Actor a, String d) {
        f.ops.rollback(a, d, Optional.empty(), "complaint");
      }
    },
    ADD_TRIGGER(Permission.EDIT_TRIGGERS) {
      void run(Fixture f, Actor a, String d) {
        f.ops.addTrigger(a, d, TriggerType.INTERVAL, new Document("every", "PT12H"), null);
      }
    },
    DISABLE_TRIGGER(Permission.EDIT_TRIGGERS) {
      void run(Fixture f, Actor a, String d) {
        f.ops.setTriggerEnabled(a, f.trigger.get(d), false);
      }
    },
    REMOVE_TRIGGER(Permission.EDIT_TRIGGERS) {
      void run(Fixture f, Actor a, String d) {
        f.ops.removeTrigger(a, f.trigger.get(d));
      }
    },
    EDIT_DEVICE(Permission.EDIT_DEVICES) {
      void run(Fixture f, Actor a, String d) {
        f.ops.editDevice(a, d, DeviceChanges.none().withNotes("row 4"));
      }
    },
    SIMULATE(Permission.EDIT_DEVICES) {
      void run(Fixture f, Actor a, String d) {
        f.ops.simulateDevices(a, new SimulatorConfig(List.of(d), Instant.parse("2026-11-02T00:00:00Z"), 1,
            Duration.ofHours(1), 7, 37.1, -3.6), (stage, fraction) -> { });
      }
    },
    REMOVE_DEVICE(Permission.EDIT_DEVICES) {
      void prepare(Fixture f, String d) {
        f.ops.cancelRun(FLEET_ADMIN, f.pendingRun.get(d)); // removal waits for queued runs
      }

      void run(Fixture f, Actor a, String d) {
        f.ops.removeDevice(a, d);
      }
    },
    ACK_ALERT(Permission.ACK_ALERT) {
      void run(Fixture f, Actor a, String d) {
        f.ops.ackAlert(a, f.alert.get(d), "seen");
      }
    },
    DELETE_TELEMETRY(Permission.DELETE_TELEMETRY) {
      void run(Fixture f, Actor a, String d) {
        f.ops.deleteTelemetry(a, d, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-02-01T00:00:00Z"));
      }
    };

    final Permission permission;

    Op(Permission permission) {
      this.permission = permission;
    }

    void prepare(Fixture f, String device) {}

    abstract void run(Fixture f, Actor a, String device);
  }

  enum Outcome { DONE, FORBIDDEN, NOT_FOUND }

  static final List<Actor> ACTORS = List.of(
      new Actor("anna", null, Map.of("north", Role.ANALYST)),
      new Actor("otto", null, Map.of("north", Role.OPERATOR)),
      new Actor("ada", null, Map.of("north", Role.ADMIN)),
      new Actor("mia", null, Map.of("north", Role.ADMIN, "south", Role.ANALYST)),
      new Actor("olga", Role.OPERATOR, Map.of("south", Role.ADMIN)),
      new Actor("fiona", Role.ANALYST),
      FLEET_ADMIN);

  static Stream<Arguments> cells() {
    List<Arguments> out = new ArrayList<>();
    for (Actor a : ACTORS) {
      for (String device : List.of("n1", "s1")) {
        for (Op op : Op.values()) {
          out.add(Arguments.of(a.describe(), a, device, op));
        }
      }
    }
    return out.stream();
  }

  static Outcome expected(Actor a, String device, Op op) {
    String site = device.equals("n1") ? "north" : "south";
    if (!a.canSee(site)) {
      return Outcome.NOT_FOUND;
    }
    return a.can(op.permission, site) ? Outcome.DONE : Outcome.FORBIDDEN;
  }

  @ParameterizedTest(name = "{0} {3} on {2}")
  @MethodSource("cells")
  void the_door_lets_through_exactly_what_the_role_on_the_devices_site_allows(String who, Actor actor,
      String device, Op op) throws Exception {
    Path cell = Files.createTempDirectory(dir, "cell");
    try (Fixture f = new Fixture(cell)) {
      op.prepare(f, device);
      Document before = snapshot(f);
      Outcome got;
      try {
        op.run(f, actor, device);
        got = Outcome.DONE;
      } catch (NotFoundException e) {
        got = Outcome.NOT_FOUND;
        assertFalse(e.getMessage().contains(device.equals("n1") ? "s1" : "n1")
                && !actor.canSee(device.equals("n1") ? "south" : "north"),
            "a not-found message lists only visible devices: " + e.getMessage());
      } catch (AccessDeniedException e) {
        got = Outcome.FORBIDDEN;
        assertTrue(e.getMessage().contains(op.permission.phrase()), e.getMessage());
      }
      assertEquals(expected(actor, device, op), got, who + " " + op + " on " + device);
      if (got != Outcome.DONE) {
        assertEquals(before, snapshot(f), "a refused call changes nothing");
      }
    }
  }

  /** Everything a guarded write may touch, read back from the store and the registry. */
  private static Document snapshot(Fixture f) {
    Document d = new Document();
    for (String c : List.of("devices", "model_runs", "run_queue", "triggers", "alerts", "telemetry", "audit")) {
      List<Document> docs = f.ctx.store().collection(c).find().into(new ArrayList<>());
      docs.forEach(x -> {
        x.remove("_id");
        x.remove("summary"); // the telemetry summary's timestamps are not state a refused write could move
      });
      d.append(c, docs.toString());
    }
    for (String device : List.of("n1", "s1")) {
      d.append("pointer-" + device, f.ctx.registry().current(device).map(p -> p.version()).orElse(null));
      d.append("notes-" + device, f.ctx.registry().list(device).stream().map(m -> m.notes().toString()).toList());
    }
    return d;
  }

  @Test
  void reads_through_visibility_show_only_the_sites_of_the_actor(@TempDir Path tmp) {
    try (Fixture f = new Fixture(tmp)) {
      Visibility v = f.ops.visibility();
      Actor anna = ACTORS.get(0);
      assertEquals(List.of("n1"), v.devices(anna).stream().map(d -> d.id()).toList());
      assertEquals(List.of("north"), v.sites(anna));
      RunFilter mine = RunFilter.all().withDevicesIn(v.deviceFilter(anna).orElseThrow());
      List<RunRecord> runs = f.ctx.runs().page(mine, RunSort.newestFirst(), 0, 100);
      assertFalse(runs.isEmpty());
      assertTrue(runs.stream().allMatch(r -> r.deviceId().equals("n1")), runs.toString());
      assertEquals(Optional.empty(), v.deviceFilter(FLEET_ADMIN), "a fleet-wide role needs no filter");
      NotFoundException e = assertThrows(NotFoundException.class, () -> v.requireDevice(anna, "s1"));
      assertEquals(assertThrows(NotFoundException.class, () -> v.requireDevice(anna, "nope")).getMessage()
          .replace("nope", "s1"), e.getMessage(), "another site's device reads exactly like a missing one");
      assertEquals(List.of("north", "south"), v.sites(FLEET_ADMIN));
    }
  }

  @Test
  void a_removed_device_keeps_its_site_so_its_history_stays_hidden(@TempDir Path tmp) {
    try (Fixture f = new Fixture(tmp)) {
      f.ops.cancelRun(FLEET_ADMIN, f.pendingRun.get("s1"));
      f.ops.removeDevice(FLEET_ADMIN, "s1");
      Actor anna = ACTORS.get(0);
      assertFalse(f.ops.visibility().deviceFilter(anna).orElseThrow().contains("s1"));
      assertThrows(NotFoundException.class, () -> f.ops.deleteRun(ACTORS.get(2), f.oldRun.get("s1")));
    }
  }
}
