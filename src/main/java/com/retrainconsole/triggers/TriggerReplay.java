package com.retrainconsole.triggers;

import com.retrainconsole.common.UserException;
import com.retrainconsole.registry.ModelRegistry;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import com.retrainconsole.telemetry.DeviceRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Replays a trigger's policy over stored telemetry and run history, slot by slot (each cron/interval slot,
 * each data check), and reports when it would have fired. Writes nothing.
 *
 * <p>decision: each replayed fire is assumed to have run at once, completed and promoted, with data up to
 * the fire — so cooldown, max-per-day and new-rows guards count replayed fires as a live scheduler with a
 * healthy worker would. Runs this trigger really fired are left out (the replay stands in for them); other
 * real runs count as they stood at each slot. The circuit breaker is not replayed (it depends on outcomes of
 * runs that never happened).
 */
public final class TriggerReplay {
  static final int MAX_STEPS = 100_000;

  private final Store store;
  private final DeviceRepository devices;
  private final ModelRegistry registry;

  public TriggerReplay(Store store, DeviceRepository devices, ModelRegistry registry) {
    this.store = store;
    this.devices = devices;
    this.registry = registry;
  }

  public record ReplayFire(Instant at, Double value, Double threshold, String reason) {}

  /** Evaluations made, the fires, and how many times the condition held but a guard refused. */
  public record Result(String triggerId, Instant from, Instant to, int evaluations, int refusedByGuards,
      List<ReplayFire> fires) {}

  /** Slots in {@code [from, to]}. */
  public Result replay(Trigger trigger, Instant from, Instant to) {
    if (!from.isBefore(to)) {
      throw new UserException("--from must be before --to (got " + from + " .. " + to + ")");
    }
    TriggerData data = new TriggerData(store, devices, registry);
    RunHistory real = RunHistory.load(store.collection(Collections.MODEL_RUNS), trigger.deviceId(), MAX_STEPS)
        .without(trigger.triggerId());
    List<RunHistory.RunInfo> replayed = new ArrayList<>();
    List<ReplayFire> fires = new ArrayList<>();
    Schedule schedule = trigger.schedule();
    Trigger t = withHistory(trigger, List.of());
    int evaluations = 0;
    int refused = 0;
    Optional<Schedule.Fire> slot = schedule.nextAfter(from.minusMillis(1));
    while (slot.isPresent() && !slot.get().at().isAfter(to)) {
      if (++evaluations > MAX_STEPS) {
        throw new UserException("Replay stopped after " + MAX_STEPS + " evaluations; pick a shorter --from/--to");
      }
      Instant at = slot.get().at();
      RunHistory runs = real.asOf(at);
      replayed.forEach(runs::add);
      TriggerPolicy.Decision d = TriggerPolicy.decide(t, slot.get(), at, runs, data, false, null);
      t = withHistory(t, d.history());
      if (d.fire()) {
        fires.add(new ReplayFire(at, d.value(), d.threshold(), d.reason()));
        replayed.add(new RunHistory.RunInfo("replay-" + fires.size(), at, at, RunStatus.COMPLETED, true, at, true,
            null, false, trigger.triggerId()));
      } else if (d.reason().startsWith("guard: ")) {
        refused++;
      }
      slot = schedule.nextAfter(at);
    }
    return new Result(trigger.triggerId(), from, to, evaluations, refused, fires);
  }

  private static Trigger withHistory(Trigger t, List<Boolean> history) {
    return new Trigger(t.triggerId(), t.deviceId(), t.type(), t.enabled(), t.spec(), t.guards(), t.createdAt(),
        t.updatedAt(), t.nextFireAt(), t.lastEvaluatedAt(), t.lastFiredAt(), t.circuit(), history);
  }
}
