package com.retrainconsole.ui;

import com.retrainconsole.access.Actor;
import com.retrainconsole.access.Visibility;
import com.retrainconsole.runs.RunFilter;
import com.retrainconsole.telemetry.DeviceConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The devices a view shows: those of the site chosen in the console's site picker (or of every site, when
 * {@code site} is null) that the actor may see. Captured on the FX thread, read by the view's background
 * load: every method but {@link #everything} reads the store.
 */
public record DeviceScope(Visibility visibility, Actor actor, String site) {

  /**
   * The actor's roles as far as this scope reaches: with a site chosen, only their role on it. decision: a
   * narrowed actor, so the picker filters through the very rules {@link Visibility} applies to the actor.
   * For reads only; actions always go to the core as the real actor.
   */
  Actor viewer() {
    if (site == null) {
      return actor;
    }
    return new Actor(actor.user(), null, actor.roleOn(site).map(r -> Map.of(site, r)).orElse(Map.of()));
  }

  /** True when nothing is filtered: a fleet-wide actor with every site shown (no store read needed). */
  public boolean everything() {
    return site == null && actor.scope().all();
  }

  /** The ids of the devices in scope, or empty when every device is (no filter needed). */
  public Optional<Set<String>> deviceIds() {
    return everything() ? Optional.empty() : visibility.deviceFilter(viewer());
  }

  /** The configured devices in scope, by id. */
  public List<DeviceConfig> devices() {
    return visibility.devices(viewer());
  }

  /** The ids of the configured devices in scope, sorted: what device pickers list. */
  public List<String> deviceIdList() {
    return devices().stream().map(DeviceConfig::id).toList();
  }

  /**
   * Whether something about {@code deviceId} is shown. Something about no device (an alert about the
   * scheduler or the store) concerns the whole fleet: shown only when nothing is filtered.
   */
  public boolean includes(String deviceId) {
    if (everything()) {
      return true;
    }
    return deviceId != null && viewer().canSee(visibility.siteOf(deviceId));
  }

  /** {@code filter} restricted to the devices in scope. */
  public RunFilter restrict(RunFilter filter) {
    return filter.withDevicesIn(deviceIds().orElse(null));
  }
}
