package glomers.harness.check.elle;

import glomers.harness.history.History;
import glomers.harness.history.Op;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Elle's cycle hunt: inside every strongly connected component of the dependency graph, look for one
 * example cycle per anomaly specification, explain its steps, and classify it (Elle's cycle-anomaly-specs,
 * https://github.com/jepsen-io/elle/blob/main/src/elle/txn.clj).
 *
 * <p>Each specification constrains which relations the first edge and the remaining edges may use; a BFS
 * finds a short cycle under those constraints, and specifications that stand for a refined class
 * ({@code G-nonadjacent}, {@code G2-item}, and every {@code -process}/{@code -realtime} variant) keep the cycle
 * only if its classification is exactly that class. Like Elle, this is a search for <em>one</em> witness per
 * class and component, not an enumeration, so a G-nonadjacent cycle hidden behind a shorter G-single one in
 * the same component is not reported; the verdict is unaffected because the shorter cycle is itself
 * prohibited whenever G-nonadjacent is. Each component gets a time budget (Elle: 1 s); running out records
 * {@code cycle-search-timeout}.
 */
public final class CycleSearch {
  /** Explains one dependency edge a → b under relation rel (ww/wr/rw), as an Elle step map. */
  @FunctionalInterface
  public interface Explainer {
    Map<String, Object> explain(int a, int b, Rel rel);
  }

  /** One anomaly specification of Elle's little search language. */
  record Spec(String type, int first, int rest, boolean rels, boolean filter) {}

  private static final int WW = Rel.WW.bit(), WR = Rel.WR.bit(), RW = Rel.RW.bit();
  private static final int P = Rel.PROCESS.bit(), RT = Rel.REALTIME.bit();
  private static final int ALL = WW | WR | RW | P | RT;

  static final List<Spec> SPECS = new ArrayList<>();

  static {
    // Plain data-dependency cycles, then the same with process and realtime edges allowed.
    String[] suffix = {"", "-process", "-realtime"};
    int[] extra = {0, P, RT};
    for (int i = 0; i < 3; i++) {
      String s = suffix[i];
      int x = extra[i];
      boolean f = i > 0;
      SPECS.add(new Spec("G0" + s, WW | x, WW | x, true, f));
      SPECS.add(new Spec("G1c" + s, WR, WW | WR | x, false, f));
      SPECS.add(new Spec("G-single" + s, RW, WW | WR | x, false, f));
      SPECS.add(new Spec("G-nonadjacent" + s, WW | WR | RW | x, WW | WR | RW | x, true, true));
      SPECS.add(new Spec("G2-item" + s, RW, WW | WR | RW | x, false, true));
    }
  }

  /** All cycle anomaly types this search can report. */
  public static Set<String> cycleTypes() {
    Set<String> s = new HashSet<>();
    for (Spec sp : SPECS) s.add(sp.type());
    return s;
  }

  private final DepGraph graph;
  private final History history;
  private final Explainer explainer;
  private final long budgetNanos;

  public CycleSearch(DepGraph graph, History history, Explainer explainer, long budgetMillis) {
    this.graph = graph;
    this.history = history;
    this.explainer = explainer;
    this.budgetNanos = budgetMillis * 1_000_000L;
  }

  /**
   * Searches every non-trivial SCC for the given anomaly types; returns type → list of cycle explanations
   * (insertion-ordered), plus {@code cycle-search-timeout} entries for components whose budget ran out.
   */
  public Map<String, List<Object>> search(Set<String> types) {
    Map<String, List<Object>> found = new TreeMap<>();
    List<Spec> specs = new ArrayList<>();
    for (Spec s : SPECS) if (types.contains(s.type())) specs.add(s);
    if (specs.isEmpty()) return found;
    // Elle splits the whole graph (every relation built) into SCCs and searches each for every class, so
    // an SCC glued by edges that no searched class may use still costs budget, as in Maelstrom.
    for (List<Integer> scc : graph.sccs(ALL, null)) {
      sccSizes.add(scc.size());
      long deadline = System.nanoTime() + budgetNanos;
      Set<Integer> members = new HashSet<>(scc);
      for (Spec spec : specs) {
        List<Integer> cycle;
        try {
          cycle = spec.rels() ? findCycle(spec.first(), members, deadline)
              : findCycleStartingWith(spec.first(), spec.rest(), scc, members, deadline);
        } catch (Timeout t) {
          Map<String, Object> to = new LinkedHashMap<>();
          to.put("type", "cycle-search-timeout");
          to.put("anomaly-spec-type", spec.type());
          to.put("scc-size", scc.size());
          found.computeIfAbsent("cycle-search-timeout", k -> new ArrayList<>()).add(to);
          break;
        }
        if (cycle == null) continue;
        Map<String, Object> ex = explain(cycle, spec);
        if (spec.filter() && !spec.type().equals(ex.get("type"))) continue;
        found.computeIfAbsent((String) ex.get("type"), k -> new ArrayList<>()).add(ex);
      }
    }
    return found;
  }

  private final List<Integer> sccSizes = new ArrayList<>();

  /** The sizes of the largest strongly connected components the last search met, largest first (at most n). */
  public List<Integer> largestSccs(int n) {
    List<Integer> l = new ArrayList<>(sccSizes);
    l.sort(java.util.Collections.reverseOrder());
    return new ArrayList<>(l.subList(0, Math.min(n, l.size())));
  }

  /**
   * Without a time budget, for every strongly connected component over {@code mask} edges (ordered by its
   * smallest vertex), the shortest cycle through its smallest vertex: the kafka checker's one example per
   * component, which needs no anomaly specification since all its cycles are alike.
   */
  public static List<List<Integer>> shortestCycles(DepGraph graph, int mask) {
    CycleSearch search = new CycleSearch(graph, null, null, 0);
    List<List<Integer>> cycles = new ArrayList<>();
    for (List<Integer> scc : graph.sccs(mask, null)) {
      cycles.add(search.findCycle(mask, new HashSet<>(scc), Long.MAX_VALUE));
    }
    return cycles;
  }

  private static final class Timeout extends RuntimeException {
    Timeout() {
      super(null, null, false, false);
    }
  }

  /** Shortest cycle, through the smallest vertex of the first sub-component, using only {@code mask} edges. */
  private List<Integer> findCycle(int mask, Set<Integer> members, long deadline) {
    List<List<Integer>> sub = graph.sccs(mask, members);
    if (sub.isEmpty()) return null;
    int start = sub.get(0).get(0);
    Set<Integer> inSub = new HashSet<>(sub.get(0));
    List<Integer> path = new ArrayList<>();
    for (int i = 0; i < graph.degree(start); i++) {
      int succ = graph.target(start, i);
      if ((graph.mask(start, i) & mask) == 0 || !inSub.contains(succ)) continue;
      List<Integer> p = bfs(succ, start, mask, inSub, deadline);
      if (p != null && (path.isEmpty() || p.size() < path.size())) path = prepend(start, p);
    }
    return path.isEmpty() ? null : path;
  }

  /** A cycle whose first edge carries {@code first} and whose other edges carry {@code rest}. */
  private List<Integer> findCycleStartingWith(
      int first, int rest, List<Integer> scc, Set<Integer> members, long deadline) {
    // Cheap pass: a first-edge a→b whose ends share a component of the rest-graph certainly closes a cycle.
    Map<Integer, Integer> comp = new HashMap<>();
    int id = 0;
    for (List<Integer> c : graph.sccs(rest, members)) {
      for (Integer v : c) comp.put(v, id);
      id++;
    }
    List<int[]> others = new ArrayList<>();
    for (Integer a : scc) {
      for (int i = 0; i < graph.degree(a); i++) {
        int b = graph.target(a, i);
        if ((graph.mask(a, i) & first) == 0 || !members.contains(b)) continue;
        Integer ca = comp.get(a), cb = comp.get(b);
        if (ca != null && ca.equals(cb)) {
          List<Integer> p = bfs(b, a, rest, members, deadline);
          if (p != null) return prepend(a, p);
        } else {
          others.add(new int[] {a, b});
        }
      }
    }
    for (int[] ab : others) {
      List<Integer> p = bfs(ab[1], ab[0], rest, members, deadline);
      if (p != null) return prepend(ab[0], p);
    }
    return null;
  }

  /** The cycle a → p… (p ends with a again, which is dropped: cycles list each vertex once). */
  private static List<Integer> prepend(int a, List<Integer> p) {
    List<Integer> c = new ArrayList<>(p.size());
    c.add(a);
    c.addAll(p.subList(0, p.size() - 1));
    return c;
  }

  /** Shortest path from → … → to over {@code mask} edges inside {@code members}; includes both ends. */
  private List<Integer> bfs(int from, int to, int mask, Set<Integer> members, long deadline) {
    if (from == to) return List.of(to);
    Map<Integer, Integer> parent = new HashMap<>();
    ArrayDeque<Integer> q = new ArrayDeque<>();
    parent.put(from, from);
    q.add(from);
    int steps = 0;
    while (!q.isEmpty()) {
      if ((++steps & 1023) == 0 && System.nanoTime() > deadline) throw new Timeout();
      int v = q.poll();
      for (int i = 0; i < graph.degree(v); i++) {
        int w = graph.target(v, i);
        if ((graph.mask(v, i) & mask) == 0 || !members.contains(w) || parent.containsKey(w)) continue;
        parent.put(w, v);
        if (w == to) {
          ArrayList<Integer> path = new ArrayList<>();
          for (int x = to; x != from; x = parent.get(x)) path.add(x);
          path.add(from);
          java.util.Collections.reverse(path);
          return path;
        }
        q.add(w);
      }
    }
    if (System.nanoTime() > deadline) throw new Timeout();
    return null;
  }

  /** Elle's cycle explanation: ops (first repeated at the end), one step per edge, a type, and prose. */
  Map<String, Object> explain(List<Integer> cycle, Spec spec) {
    List<Map<String, Object>> steps = new ArrayList<>();
    int n = cycle.size();
    for (int i = 0; i < n; i++) {
      int a = cycle.get(i), b = cycle.get((i + 1) % n);
      int allowed = graph.rels(a, b) & (i == 0 ? spec.first() : spec.rest());
      Rel chosen = null;
      for (Rel r : Rel.PREFERENCE) {
        if ((allowed & r.bit()) != 0) {
          chosen = r;
          break;
        }
      }
      steps.add(explainStep(a, b, chosen));
    }
    String type = classify(steps);
    List<Object> ops = new ArrayList<>();
    for (int v : cycle) ops.add(history.get(v).toMap());
    ops.add(history.get(cycle.get(0)).toMap());
    Map<String, Object> ex = new LinkedHashMap<>();
    ex.put("cycle", ops);
    ex.put("steps", steps);
    ex.put("type", type);
    ex.put("explanation", prose(cycle, steps, type));
    return ex;
  }

  private Map<String, Object> explainStep(int a, int b, Rel rel) {
    Map<String, Object> s;
    switch (rel) {
      case PROCESS -> {
        s = new LinkedHashMap<>();
        s.put("type", "process");
        s.put("process", history.get(a).process());
      }
      case REALTIME -> {
        s = new LinkedHashMap<>();
        s.put("type", "realtime");
        s.put("a'", history.get(a).toMap());
        Op inv = history.pairOf(history.get(b));
        s.put("b", inv == null ? null : inv.toMap());
      }
      default -> {
        Map<String, Object> e = explainer.explain(a, b, rel);
        s = new LinkedHashMap<>();
        s.put("type", rel.keyword());
        if (e != null) e.forEach((k, v) -> {
          if (!k.equals("type")) s.put(k, v);
        });
      }
    }
    return s;
  }

  /** Classifies a cycle by its step types, as Elle's cycle-explainer does (txn.clj). */
  public static String classify(List<Map<String, Object>> steps) {
    int rw = 0, wr = 0, rt = 0, proc = 0;
    boolean adjacentRw = false;
    int n = steps.size();
    for (int i = 0; i < n; i++) {
      String t = (String) steps.get(i).get("type");
      switch (t) {
        case "rw" -> {
          rw++;
          if ("rw".equals(steps.get((i + 1) % n).get("type")) && n > 1) adjacentRw = true;
        }
        case "wr" -> wr++;
        case "realtime" -> rt++;
        case "process" -> proc++;
        default -> {}
      }
    }
    String base = rw == 1 ? "G-single" : rw > 1 ? (adjacentRw ? "G2-item" : "G-nonadjacent") : wr > 0 ? "G1c" : "G0";
    return base + (rt > 0 ? "-realtime" : proc > 0 ? "-process" : "");
  }

  private String prose(List<Integer> cycle, List<Map<String, Object>> steps, String type) {
    StringBuilder sb = new StringBuilder("Let:\n");
    Map<Integer, String> name = new HashMap<>();
    for (int i = 0; i < cycle.size(); i++) {
      name.put(cycle.get(i), "T" + (i + 1));
      Op op = history.get(cycle.get(i));
      sb.append("  T").append(i + 1).append(" = {index ").append(op.index()).append(", process ")
          .append(op.process()).append(", type ").append(op.type().keyword()).append(", value ")
          .append(op.value()).append("}\n");
    }
    sb.append("\nThen:\n");
    for (int i = 0; i < cycle.size(); i++) {
      String a = name.get(cycle.get(i)), b = name.get(cycle.get((i + 1) % cycle.size()));
      Map<String, Object> s = steps.get(i);
      sb.append("  - ").append(a).append(" < ").append(b).append(", because ");
      switch ((String) s.get("type")) {
        case "ww" -> sb.append(a).append(" set key ").append(s.get("key")).append(" to ").append(s.get("value"))
            .append(", which was then overwritten by ").append(b).append(" with ").append(s.get("value'"));
        case "wr" -> sb.append(a).append(" wrote key ").append(s.get("key")).append(" = ").append(s.get("value"))
            .append(", which was read by ").append(b);
        case "rw" -> sb.append(a).append(" read key ").append(s.get("key")).append(" = ").append(s.get("value"))
            .append(", and ").append(b).append(" installed the next version ").append(s.get("value'"));
        case "process" -> sb.append(a).append(" and ").append(b).append(" are consecutive operations of process ")
            .append(s.get("process"));
        case "realtime" -> sb.append(a).append(" completed before ").append(b).append(" was invoked");
        default -> sb.append(s);
      }
      sb.append(".\n");
    }
    StringBuilder loop = new StringBuilder();
    for (int i = 0; i <= cycle.size(); i++) {
      if (i > 0) loop.append(" < ");
      loop.append(name.get(cycle.get(i % cycle.size())));
    }
    sb.append("  - However, ").append(loop).append(": a contradiction! (").append(type).append(")");
    return sb.toString();
  }
}
