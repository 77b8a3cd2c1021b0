package glomers.harness.check.elle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConsistencyModelsTest {
  @Test
  void prohibitedSetsMatchHarnessNotes() {
    assertEquals(Set.of("G0", "cyclic-versions", "duplicate-elements", "PL-1-cycle-exists").stream()
            .filter(a -> !a.endsWith("cycle-exists")).collect(java.util.stream.Collectors.toSet()),
        strip(ConsistencyModels.prohibited(List.of("read-uncommitted"))));
    assertEquals(Set.of("G0", "G1", "G1a", "G1b", "G1c", "cyclic-versions", "duplicate-elements", "incompatible-order",
            "dirty-update", "future-read"),
        strip(ConsistencyModels.prohibited(List.of("read-committed"))));
    Set<String> strict = ConsistencyModels.prohibited(List.of("strict-serializable"));
    for (String a : List.of("internal", "lost-update", "G-single", "G-single-realtime", "G2-item", "G-nonadjacent",
        "G0-realtime", "G1c-process", "G2-item-realtime", "G1a", "G1b", "cyclic-versions")) {
      assertTrue(strict.contains(a), a);
    }
    Set<String> rc = ConsistencyModels.prohibited(List.of("read-committed"));
    for (String a : List.of("internal", "lost-update", "G-single", "G2-item")) assertTrue(!rc.contains(a), a);
    assertTrue(!ConsistencyModels.prohibited(List.of("serializable")).contains("G-single-realtime"));
  }

  private static Set<String> strip(Set<String> s) {
    Set<String> o = new java.util.TreeSet<>();
    for (String a : s) if (!a.endsWith("cycle-exists")) o.add(a);
    return o;
  }

  @Test
  void unknownModelThrows() {
    assertThrows(IllegalArgumentException.class, () -> ConsistencyModels.prohibited(List.of("bogus")));
  }

  @Test
  void boundaryNamesWeakestModels() {
    Map<String, Object> b = ConsistencyModels.friendlyBoundary(List.of("G1c"));
    assertTrue(((List<?>) b.get("not")).contains("read-committed"), b.toString());
    assertTrue(((List<?>) b.get("also-not")).contains("serializable"), b.toString());
  }

  @Test
  void classification() {
    assertEquals("G0", CycleSearch.classify(steps("ww", "ww")));
    assertEquals("G1c", CycleSearch.classify(steps("ww", "wr")));
    assertEquals("G-single", CycleSearch.classify(steps("rw", "wr")));
    assertEquals("G2-item", CycleSearch.classify(steps("rw", "rw")));
    assertEquals("G-nonadjacent", CycleSearch.classify(steps("rw", "wr", "rw", "ww")));
    assertEquals("G-single-realtime", CycleSearch.classify(steps("rw", "realtime")));
    assertEquals("G0-process", CycleSearch.classify(steps("ww", "process")));
  }

  private static List<Map<String, Object>> steps(String... types) {
    List<Map<String, Object>> l = new java.util.ArrayList<>();
    for (String t : types) l.add(Map.of("type", t));
    return l;
  }
}
