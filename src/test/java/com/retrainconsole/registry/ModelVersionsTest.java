package com.retrainconsole.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.common.UserException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelVersionsTest {
  @Test
  void version_id_is_utc_second_plus_six_hex() {
    String id = ModelVersions.newId(Instant.parse("2026-11-22T18:30:00.987Z"));
    assertTrue(id.matches("20261122T183000Z-[0-9a-f]{6}"), id);
    assertTrue(ModelVersions.isVersionId(id));
  }

  @Test
  void version_ids_sort_by_time() {
    Instant t = Instant.parse("2026-01-31T23:59:58Z");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      ids.add(ModelVersions.newId(t.plus(Duration.ofSeconds(i * 3601L))));
    }
    List<String> sorted = new ArrayList<>(ids);
    sorted.sort(null);
    assertEquals(ids, sorted);
    assertEquals(50, new HashSet<>(ids).size());
  }

  @Test
  void rejects_ids_that_are_not_versions() {
    for (String bad : new String[] {"../x", "20261122T183000Z", "20261122T183000Z-3F2A9C", "x"}) {
      assertFalse(ModelVersions.isVersionId(bad), bad);
      assertThrows(UserException.class, () -> ModelVersions.requireVersionId(bad));
    }
  }
}
