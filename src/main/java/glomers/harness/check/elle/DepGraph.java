package glomers.harness.check.elle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.GabowStrongConnectivityInspector;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.SimpleDirectedGraph;

/**
 * A transaction dependency graph: vertices are history indexes of completion ops, and each directed edge
 * carries a set of {@link Rel} labels. Self-edges are never created (Elle ignores a transaction depending
 * on itself). Not thread-safe.
 */
public final class DepGraph {
  /** from → (to → relation bitmask); sorted for deterministic search order. */
  private final Map<Integer, Map<Integer, Integer>> out = new TreeMap<>();

  private final Set<Integer> vertices = new TreeSet<>();

  /** Adds relation {@code rel} to the edge a → b (no-op when a == b). */
  public void link(int a, int b, Rel rel) {
    if (a == b) return;
    vertices.add(a);
    vertices.add(b);
    out.computeIfAbsent(a, k -> new HashMap<>()).merge(b, rel.bit(), (x, y) -> x | y);
  }

  /** The relation bitmask of edge a → b, 0 if absent. */
  public int rels(int a, int b) {
    Map<Integer, Integer> m = out.get(a);
    if (m == null) return 0;
    return m.getOrDefault(b, 0);
  }

  /** Successors of a with their relation masks (empty map if none). */
  public Map<Integer, Integer> successors(int a) {
    return out.getOrDefault(a, Map.of());
  }

  public Set<Integer> vertices() {
    return vertices;
  }

  public boolean isEmpty() {
    return vertices.isEmpty();
  }

  public int edgeCount() {
    int n = 0;
    for (Map<Integer, Integer> m : out.values()) n += m.size();
    return n;
  }

  /**
   * Strongly connected components with more than one vertex, considering only edges carrying some relation
   * in {@code mask} and (if {@code within} is not null) only vertices in {@code within}. Each component is
   * returned sorted; components are ordered by their smallest vertex.
   */
  public List<List<Integer>> sccs(int mask, Set<Integer> within) {
    Graph<Integer, DefaultEdge> g = new SimpleDirectedGraph<>(DefaultEdge.class);
    Iterable<Integer> vs = within == null ? vertices : within;
    for (Integer v : vs) g.addVertex(v);
    for (Integer a : vs) {
      for (Map.Entry<Integer, Integer> e : successors(a).entrySet()) {
        if ((e.getValue() & mask) != 0 && g.containsVertex(e.getKey())) g.addEdge(a, e.getKey());
      }
    }
    List<List<Integer>> res = new ArrayList<>();
    for (Set<Integer> c : new GabowStrongConnectivityInspector<>(g).stronglyConnectedSets()) {
      if (c.size() > 1) res.add(new ArrayList<>(new TreeSet<>(c)));
    }
    res.sort((x, y) -> Integer.compare(x.get(0), y.get(0)));
    return res;
  }
}
