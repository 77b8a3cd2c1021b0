package glomers.harness.nemesis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The partition shapes of Jepsen's {@code partition-package} as Maelstrom uses them
 * (docs/maelstrom.md#partitions). A grudge maps each node to the set of sources it drops; {@link #forSpec}
 * returns an entry for every node (possibly empty), which is what the history shows.
 */
public final class Grudges {
  private Grudges() {}

  /** The four specs Maelstrom picks from uniformly on each start-partition. */
  public static final List<String> SPECS = List.of("one", "minority-third", "majority", "majorities-ring");

  public static Map<String, Set<String>> forSpec(String spec, List<String> nodes, SplittableRandom r) {
    return switch (spec) {
      case "one" -> {
        String loner = nodes.get(r.nextInt(nodes.size()));
        List<String> rest = new ArrayList<>(nodes);
        rest.remove(loner);
        yield complete(List.of(List.of(loner), rest), nodes);
      }
      case "minority-third" -> {
        List<String> s = shuffle(nodes, r);
        int k = (nodes.size() - 1) / 3;
        yield complete(List.of(s.subList(0, k), s.subList(k, s.size())), nodes);
      }
      case "majority" -> {
        List<String> s = shuffle(nodes, r);
        int k = nodes.size() / 2;
        yield complete(List.of(s.subList(0, k), s.subList(k, s.size())), nodes);
      }
      case "majorities-ring" -> nodes.size() <= 5 ? ringPerfect(nodes, r) : ringStochastic(nodes, r);
      default -> throw new IllegalArgumentException("unknown partition spec " + spec);
    };
  }

  /** Every node drops every node outside its own component. */
  static Map<String, Set<String>> complete(List<List<String>> components, List<String> nodes) {
    Map<String, Set<String>> g = empty(nodes);
    for (List<String> c : components) {
      for (String n : c) {
        for (String other : nodes) if (!c.contains(other)) g.get(n).add(other);
      }
    }
    return g;
  }

  /**
   * n ≤ 5: shuffle into a ring; each window of m = ⌊n/2⌋+1 consecutive nodes is the majority of the node at
   * its middle (index ⌊m/2⌋), which drops everything outside it. For n = 3 this yields one-way drops.
   */
  static Map<String, Set<String>> ringPerfect(List<String> nodes, SplittableRandom r) {
    int n = nodes.size();
    int m = n / 2 + 1;
    List<String> s = shuffle(nodes, r);
    Map<String, Set<String>> g = empty(nodes);
    for (int i = 0; i < n; i++) {
      List<String> window = new ArrayList<>();
      for (int j = 0; j < m; j++) window.add(s.get((i + j) % n));
      String self = window.get(m / 2);
      for (String other : nodes) if (!window.contains(other)) g.get(self).add(other);
    }
    return g;
  }

  /**
   * n > 5: a random symmetric graph in which every node is connected to at least a majority (itself
   * included); each node drops every node it is not connected to.
   */
  static Map<String, Set<String>> ringStochastic(List<String> nodes, SplittableRandom r) {
    int n = nodes.size();
    int m = n / 2 + 1;
    Map<String, Set<String>> conn = new LinkedHashMap<>();
    for (String v : nodes) conn.put(v, new HashSet<>(Set.of(v)));
    for (String v : shuffle(nodes, r)) {
      while (conn.get(v).size() < m) {
        List<String> candidates = new ArrayList<>();
        int best = Integer.MAX_VALUE;
        for (String u : nodes) {
          if (conn.get(v).contains(u)) continue;
          int d = conn.get(u).size();
          if (d < best) {
            best = d;
            candidates.clear();
          }
          if (d == best) candidates.add(u);
        }
        String u = candidates.get(r.nextInt(candidates.size()));
        conn.get(v).add(u);
        conn.get(u).add(v);
      }
    }
    Map<String, Set<String>> g = empty(nodes);
    for (String v : nodes) for (String u : nodes) if (!conn.get(v).contains(u)) g.get(v).add(u);
    return g;
  }

  private static Map<String, Set<String>> empty(List<String> nodes) {
    Map<String, Set<String>> g = new LinkedHashMap<>();
    for (String v : nodes) g.put(v, new TreeSet<>());
    return g;
  }

  static List<String> shuffle(List<String> nodes, SplittableRandom r) {
    List<String> s = new ArrayList<>(nodes);
    for (int i = s.size() - 1; i > 0; i--) Collections.swap(s, i, r.nextInt(i + 1));
    return s;
  }

  /** JSON-friendly copy: node → sorted list of dropped sources. */
  public static Map<String, Object> toJson(Map<String, Set<String>> g) {
    Map<String, Object> m = new LinkedHashMap<>();
    g.forEach((k, v) -> m.put(k, new ArrayList<>(new TreeSet<>(v))));
    return m;
  }
}
