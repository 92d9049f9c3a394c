package com.retrainconsole.access;

import com.retrainconsole.common.NotFoundException;
import com.retrainconsole.telemetry.DeviceConfig;
import com.retrainconsole.telemetry.DeviceRepository;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which devices, and so which runs, versions, alerts and triggers, an actor may see: those of the sites their
 * roles name. Every face filters its reads here, and a device outside the actor's sites is "not found" in
 * the very words a missing one gets, so a caller cannot probe another organization's devices.
 */
public final class Visibility {
  private final DeviceRepository devices;

  public Visibility(DeviceRepository devices) {
    this.devices = devices;
  }

  /** The site of a device id (the default site for an id no document names). */
  public String siteOf(String deviceId) {
    return devices.siteOf(deviceId);
  }

  public boolean canSee(Actor actor, String deviceId) {
    return actor.scope().all() || actor.canSee(siteOf(deviceId));
  }

  /**
   * The device ids the actor may see, or empty when they see every site (no filter needed). Removed devices
   * and bare telemetry summaries count: their history stays in their site.
   */
  public Optional<Set<String>> deviceFilter(Actor actor) {
    SiteScope scope = actor.scope();
    if (scope.all()) {
      return Optional.empty();
    }
    return Optional.of(devices.sitesById().entrySet().stream().filter(e -> scope.contains(e.getValue()))
        .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new)));
  }

  /** The configured devices the actor may see, by id. */
  public List<DeviceConfig> devices(Actor actor) {
    SiteScope scope = actor.scope();
    return devices.list().stream().filter(d -> scope.contains(d.siteOrDefault())).toList();
  }

  /** The sites with a device the actor may see, plus the sites named in their roles; sorted. */
  public List<String> sites(Actor actor) {
    Set<String> out = new TreeSet<>(actor.siteRoles().keySet());
    devices(actor).forEach(d -> out.add(d.siteOrDefault()));
    return List.copyOf(out);
  }

  /** Refuses a site the actor has no role on, in the words an unknown site gets. */
  public void requireSite(Actor actor, String site) {
    if (!actor.canSee(site)) {
      throw new NotFoundException("Unknown site '" + site + "'. Your sites: " + (actor.scope().all() ? "all"
          : String.join(", ", actor.scope().sites())));
    }
  }

  /**
   * The configured device, or {@link NotFoundException} when it does not exist or belongs to a site the actor
   * may not see (the same message, naming only devices they can see).
   */
  public DeviceConfig requireDevice(Actor actor, String deviceId) {
    return devices.find(deviceId).filter(d -> actor.canSee(d.siteOrDefault()))
        .orElseThrow(() -> unknownDevice(actor, deviceId));
  }

  /** Refuses an id the actor may not see; an id with no document at all passes (its service says more). */
  public String requireVisible(Actor actor, String deviceId) {
    String site = siteOf(deviceId);
    if (!actor.canSee(site)) {
      throw unknownDevice(actor, deviceId);
    }
    return site;
  }

  /** What a missing device and an invisible one both get: only visible devices are listed. */
  public NotFoundException unknownDevice(Actor actor, String deviceId) {
    List<String> known = devices(actor).stream().map(DeviceConfig::id).toList();
    if (known.isEmpty()) {
      return new NotFoundException("Unknown device '" + deviceId + "'. No devices yet: run simulate or import-csv"
          + " first");
    }
    String listed = known.size() <= 20 ? String.join(", ", known)
        : String.join(", ", known.subList(0, 20)) + " and " + (known.size() - 20) + " more (devices list)";
    return new NotFoundException("Unknown device '" + deviceId + "'. Known devices: " + listed);
  }
}
