package glomers.harness.workload.broadcast;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The neighbour maps Maelstrom sends in {@code topology} ({@code --topology},
 * https://github.com/jepsen-io/maelstrom/blob/v0.2.3/src/maelstrom/workload/broadcast.clj). Nodes are in test
 * order; neighbour lists keep Maelstrom's order. The whole map goes to every node.
 */
public final class Topologies {
  private Topologies() {}

  public static final List<String> NAMES = List.of("grid", "line", "tree", "tree2", "tree3", "tree4", "total");

  /** The map for {@code --topology name}; throws IllegalArgumentException for an unknown name. */
  public static Map<String, List<String>> build(String name, List<String> nodes) {
    return switch (name) {
      case "grid" -> grid(nodes);
      case "line" -> line(nodes);
      case "tree", "tree2" -> tree(nodes, 2);
      case "tree3" -> tree(nodes, 3);
      case "tree4" -> tree(nodes, 4);
      case "total" -> total(nodes);
      default -> throw new IllegalArgumentException("unknown topology " + name + "; expected one of " + NAMES);
    };
  }

  /**
   * Side s = ⌈√n⌉; the node at row i, column j is {@code v[i·s + j]} when that index exists. Neighbours in
   * the order (i+1, j), (i−1, j), (i, j+1), (i, j−1), missing cells dropped.
   */
  public static Map<String, List<String>> grid(List<String> v) {
    int n = v.size();
    int side = (int) Math.ceil(Math.sqrt(n));
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (int i = 0; i < side; i++) {
      for (int j = 0; j < side; j++) {
        String self = cell(v, side, i, j);
        if (self == null) continue;
        List<String> nb = new ArrayList<>();
        addIfPresent(nb, cell(v, side, i + 1, j));
        addIfPresent(nb, cell(v, side, i - 1, j));
        addIfPresent(nb, cell(v, side, i, j + 1));
        addIfPresent(nb, cell(v, side, i, j - 1));
        m.put(self, nb);
      }
    }
    return m;
  }

  private static String cell(List<String> v, int side, int i, int j) {
    if (i < 0 || j < 0 || j >= side) return null;
    int idx = i * side + j;
    return idx < v.size() ? v.get(idx) : null;
  }

  private static void addIfPresent(List<String> l, String s) {
    if (s != null) l.add(s);
  }

  /** {@code v[i] → [v[i−1], v[i+1]]}; with fewer than 2 nodes the map is empty (node absent!). */
  public static Map<String, List<String>> line(List<String> v) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    if (v.size() < 2) return m;
    for (int i = 0; i < v.size(); i++) {
      List<String> nb = new ArrayList<>();
      if (i > 0) nb.add(v.get(i - 1));
      if (i + 1 < v.size()) nb.add(v.get(i + 1));
      m.put(v.get(i), nb);
    }
    return m;
  }

  /**
   * Tiers of 1, b, b², … nodes filled in node order; the k-th node of a tier parents the k-th chunk of b
   * nodes of the next tier. Neighbours: {@code [parent, children…]} (the root has children only).
   */
  public static Map<String, List<String>> tree(List<String> v, int b) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (String s : v) m.put(s, new ArrayList<>());
    int tierStart = 0;
    int tierSize = 1;
    while (tierStart < v.size()) {
      int nextStart = tierStart + tierSize;
      for (int k = 0; k < tierSize && tierStart + k < v.size(); k++) {
        String parent = v.get(tierStart + k);
        for (int c = 0; c < b; c++) {
          int idx = nextStart + k * b + c;
          if (idx >= v.size()) break;
          m.get(parent).add(v.get(idx));
        }
      }
      tierStart = nextStart;
      tierSize *= b;
    }
    // parents first: rebuild each list as [parent, children…]
    Map<String, List<String>> out = new LinkedHashMap<>();
    Map<String, String> parentOf = new LinkedHashMap<>();
    m.forEach((p, cs) -> cs.forEach(c -> parentOf.put(c, p)));
    for (String s : v) {
      List<String> nb = new ArrayList<>();
      if (parentOf.containsKey(s)) nb.add(parentOf.get(s));
      nb.addAll(m.get(s));
      out.put(s, nb);
    }
    return out;
  }

  /** Every node lists every other node. */
  public static Map<String, List<String>> total(List<String> v) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (String s : v) {
      List<String> nb = new ArrayList<>(v);
      nb.remove(s);
      m.put(s, nb);
    }
    return m;
  }
}
