package com.retrainconsole.comparison;

import com.retrainconsole.audit.PointerLedger;
import com.retrainconsole.audit.PointerMove;
import com.retrainconsole.registry.ModelMeta;
import com.retrainconsole.registry.ModelRegistry;
import com.retrainconsole.registry.Pointer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A device's saved versions (oldest first) with the pointer moves of its audit ledger (promotions,
 * rollbacks, reconciled entries; oldest first) and the version in service now.
 */
public record VersionHistory(
    String deviceId, List<VersionPoint> versions, List<PointerMove> moves, String currentVersion) {

  public VersionHistory {
    versions = List.copyOf(versions);
    moves = List.copyOf(moves);
  }

  public static VersionHistory empty(String deviceId) {
    return new VersionHistory(deviceId, List.of(), List.of(), null);
  }

  /**
   * Reads every meta file of the device (one file per version: the slow part with thousands of versions),
   * the pointer and the ledger. Versions without a creation time are left out: they cannot be placed on a
   * time axis.
   */
  public static VersionHistory load(ModelRegistry registry, PointerLedger ledger, String deviceId) {
    // current() first: it reconciles the ledger with the pointer, so the moves include the latest one
    String current = registry.current(deviceId).map(Pointer::version).orElse(null);
    List<ModelMeta> newestFirst = registry.list(deviceId);
    List<VersionPoint> points = new ArrayList<>(newestFirst.size());
    for (ModelMeta meta : newestFirst) {
      if (meta.createdAt() != null) {
        points.add(VersionPoint.of(meta, current));
      }
    }
    Collections.reverse(points);
    points.sort(java.util.Comparator.comparing(VersionPoint::createdAt)); // stable: keeps the registry's tie order
    List<PointerMove> moves = ledger.history(deviceId).stream()
        .filter(m -> PointerMove.isPointerAction(m.action()))
        .toList();
    return new VersionHistory(deviceId, points, moves, current);
  }

  public VersionPoint find(String version) {
    for (VersionPoint p : versions) {
      if (p.version().equals(version)) {
        return p;
      }
    }
    return null;
  }

  /** Cheap equality for "did anything change since the last poll". */
  public boolean sameAs(VersionHistory other) {
    return other != null && Objects.equals(deviceId, other.deviceId) && Objects.equals(currentVersion,
        other.currentVersion) && versions.equals(other.versions) && moves.size() == other.moves.size();
  }
}
