package com.retrainconsole.audit;

import java.util.List;
import java.util.Map;

/**
 * Append-only history of pointer moves per device, plus a general record of other state-changing
 * actions. The registry writes the pointer file first and the ledger second; it reconciles the ledger
 * from the pointer when a crash fell between the two.
 */
public interface PointerLedger {
  void append(PointerMove move);

  /** Pointer moves of one device, oldest first (ties in {@code at} keep append order). */
  List<PointerMove> history(String deviceId);

  /**
   * Any other state-changing action (stage change, retention delete, trigger edit...). A {@code
   * device_id} entry in {@code details} is stored as the entry's device.
   */
  void record(String action, String actor, Map<String, ?> details);
}
