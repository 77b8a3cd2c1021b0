package glomers.harness.check.elle;

import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A transaction dependency graph: vertices are non-negative ints (history indexes of completion ops), and
 * each directed edge carries a set of {@link Rel} labels as a bitmask. Self-edges are never created (Elle
 * ignores a transaction depending on itself).
 *
 * <p>Stored as compact per-vertex adjacency arrays, and SCCs are found with an iterative Tarjan, because
 * a 60-second run at 1000 txn/s gives ~60 000 vertices and recursion (JGraphT's inspectors recurse) would
 * overflow the stack on long realtime chains. Not thread-safe.
 */
public final class DepGraph {
  private int[][] targets = new int[0][];
  private int[][] masks = new int[0][];
  private int[] degree = new int[0];
  /** Vertices with an edge, as bits: {@link #link} runs once per edge, so a boxed sorted set would dominate it. */
  private final BitSet vertices = new BitSet();
  private int edges;

  private void ensure(int v) {
    if (v < targets.length) return;
    int n = Math.max(v + 1, targets.length * 2 + 16);
    targets = Arrays.copyOf(targets, n);
    masks = Arrays.copyOf(masks, n);
    degree = Arrays.copyOf(degree, n);
  }

  /** Adds relation {@code rel} to the edge a → b (no-op when a == b). */
  public void link(int a, int b, Rel rel) {
    if (a == b) return;
    ensure(Math.max(a, b));
    vertices.set(a);
    vertices.set(b);
    int d = degree[a];
    int[] t = targets[a];
    for (int i = 0; i < d; i++) {
      if (t[i] == b) {
        masks[a][i] |= rel.bit();
        return;
      }
    }
    if (t == null || d == t.length) {
      int cap = t == null ? 4 : t.length * 2;
      targets[a] = t = t == null ? new int[cap] : Arrays.copyOf(t, cap);
      masks[a] = masks[a] == null ? new int[cap] : Arrays.copyOf(masks[a], cap);
    }
    t[d] = b;
    masks[a][d] = rel.bit();
    degree[a] = d + 1;
    edges++;
  }

  /** The relation bitmask of edge a → b, 0 if absent. */
  public int rels(int a, int b) {
    if (a >= degree.length) return 0;
    int[] t = targets[a];
    for (int i = 0; i < degree[a]; i++) if (t[i] == b) return masks[a][i];
    return 0;
  }

  /** Number of successors of a. */
  public int degree(int a) {
    return a < degree.length ? degree[a] : 0;
  }

  /** The i-th successor of a. */
  public int target(int a, int i) {
    return targets[a][i];
  }

  /** The relation mask of a's i-th edge. */
  public int mask(int a, int i) {
    return masks[a][i];
  }

  /** The vertices with some edge, ascending (a read-only view). */
  public Set<Integer> vertices() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Integer> iterator() {
        return new Iterator<>() {
          int next = vertices.nextSetBit(0);

          @Override
          public boolean hasNext() {
            return next >= 0;
          }

          @Override
          public Integer next() {
            if (next < 0) throw new NoSuchElementException();
            int v = next;
            next = vertices.nextSetBit(v + 1);
            return v;
          }
        };
      }

      @Override
      public boolean contains(Object o) {
        return o instanceof Integer i && i >= 0 && vertices.get(i);
      }

      @Override
      public int size() {
        return vertices.cardinality();
      }
    };
  }

  public boolean isEmpty() {
    return vertices.isEmpty();
  }

  public int edgeCount() {
    return edges;
  }

  /**
   * Strongly connected components with more than one vertex, considering only edges carrying some relation
   * in {@code mask} and (if {@code within} is not null) only vertices in {@code within}. Each component is
   * returned sorted; components are ordered by their smallest vertex.
   */
  public List<List<Integer>> sccs(int mask, Set<Integer> within) {
    int n = targets.length;
    if (scratchIndex == null || scratchIndex.length < n) {
      // Scratch arrays are allocated once and reset only where touched: the cycle search calls this for
      // every component and anomaly spec, so an O(all vertices) setup per call would dominate.
      scratchIndex = new int[n];
      Arrays.fill(scratchIndex, -1);
      scratchLow = new int[n];
      scratchOnStack = new boolean[n];
      scratchStack = new int[n];
      scratchCallV = new int[n];
      scratchCallI = new int[n];
    }
    int[] index = scratchIndex, low = scratchLow, stack = scratchStack, callV = scratchCallV, callI = scratchCallI;
    boolean[] onStack = scratchOnStack;
    List<Integer> touched = new ArrayList<>();
    int sp = 0;
    int counter = 0;
    List<List<Integer>> res = new ArrayList<>();
    Iterable<Integer> roots = within == null ? vertices() : within;
    for (int root : roots) {
      if (index[root] != -1) continue;
      int depth = 0;
      callV[0] = root;
      callI[0] = 0;
      index[root] = low[root] = counter++;
      touched.add(root);
      stack[sp++] = root;
      onStack[root] = true;
      while (depth >= 0) {
        int v = callV[depth];
        int i = callI[depth];
        if (i < degree[v]) {
          callI[depth] = i + 1;
          int w = targets[v][i];
          if ((masks[v][i] & mask) == 0 || (within != null && !within.contains(w))) continue;
          if (index[w] == -1) {
            index[w] = low[w] = counter++;
            touched.add(w);
            stack[sp++] = w;
            onStack[w] = true;
            depth++;
            callV[depth] = w;
            callI[depth] = 0;
          } else if (onStack[w]) {
            low[v] = Math.min(low[v], index[w]);
          }
        } else {
          if (low[v] == index[v]) {
            List<Integer> comp = new ArrayList<>();
            int w;
            do {
              w = stack[--sp];
              onStack[w] = false;
              comp.add(w);
            } while (w != v);
            if (comp.size() > 1) {
              comp.sort(null);
              res.add(comp);
            }
          }
          depth--;
          if (depth >= 0) {
            int parent = callV[depth];
            low[parent] = Math.min(low[parent], low[v]);
          }
        }
      }
    }
    for (int v : touched) index[v] = -1;
    res.sort((x, y) -> Integer.compare(x.get(0), y.get(0)));
    return res;
  }

  private int[] scratchIndex, scratchLow, scratchStack, scratchCallV, scratchCallI;
  private boolean[] scratchOnStack;
}
