package glomers.harness.nemesis;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Partition shapes per docs/maelstrom.md#partitions (observed shapes for n = 2, 3, 5). */
class GrudgesTest {
  static List<String> nodes(int n) {
    List<String> l = new ArrayList<>();
    for (int i = 0; i < n; i++) l.add("n" + i);
    return l;
  }

  static int total(Map<String, Set<String>> g) {
    return g.values().stream().mapToInt(Set::size).sum();
  }

  static boolean symmetric(Map<String, Set<String>> g) {
    for (var e : g.entrySet()) for (String s : e.getValue()) if (!g.get(s).contains(e.getKey())) return false;
    return true;
  }

  @Test
  void twoNodes() {
    SplittableRandom r = new SplittableRandom(1);
    for (String s : List.of("one", "majority")) {
      Map<String, Set<String>> g = Grudges.forSpec(s, nodes(2), r);
      assertEquals(Map.of("n0", Set.of("n1"), "n1", Set.of("n0")), g, s);
    }
    assertEquals(0, total(Grudges.forSpec("minority-third", nodes(2), r)));
    assertEquals(0, total(Grudges.forSpec("majorities-ring", nodes(2), r)));
  }

  @Test
  void threeNodes() {
    SplittableRandom r = new SplittableRandom(2);
    for (int i = 0; i < 20; i++) {
      for (String s : List.of("one", "majority")) {
        Map<String, Set<String>> g = Grudges.forSpec(s, nodes(3), r);
        assertTrue(symmetric(g));
        assertEquals(4, total(g), "1|2 both ways");
        assertEquals(1, g.values().stream().filter(x -> x.size() == 2).count());
      }
      assertEquals(0, total(Grudges.forSpec("minority-third", nodes(3), r)));
      Map<String, Set<String>> ring = Grudges.forSpec("majorities-ring", nodes(3), r);
      assertEquals(3, total(ring));
      assertFalse(symmetric(ring), "one-way ring for n = 3");
      for (Set<String> drops : ring.values()) assertEquals(1, drops.size());
    }
  }

  @Test
  void fiveNodes() {
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < 20; i++) {
      Map<String, Set<String>> one = Grudges.forSpec("one", nodes(5), r);
      assertEquals(8, total(one));
      Map<String, Set<String>> third = Grudges.forSpec("minority-third", nodes(5), r);
      assertEquals(8, total(third), "1|4");
      Map<String, Set<String>> maj = Grudges.forSpec("majority", nodes(5), r);
      assertEquals(12, total(maj), "2|3: 2·3 + 3·2");
      Map<String, Set<String>> ring = Grudges.forSpec("majorities-ring", nodes(5), r);
      for (var e : ring.entrySet()) {
        assertEquals(2, e.getValue().size(), "each node drops exactly 2");
        assertFalse(e.getValue().contains(e.getKey()));
      }
      assertTrue(symmetric(ring));
    }
  }

  @Test
  void manyNodesRingIsRandomSymmetricMajority() {
    SplittableRandom r = new SplittableRandom(4);
    for (int n : List.of(6, 7, 10, 25)) {
      Map<String, Set<String>> g = Grudges.forSpec("majorities-ring", nodes(n), r);
      assertTrue(symmetric(g));
      for (var e : g.entrySet()) {
        assertTrue(n - e.getValue().size() >= n / 2 + 1, "sees a majority incl. itself");
        assertFalse(e.getValue().contains(e.getKey()));
      }
    }
  }
}
