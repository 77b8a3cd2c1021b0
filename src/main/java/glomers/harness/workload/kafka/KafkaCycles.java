package glomers.harness.workload.kafka;

import glomers.harness.check.elle.CycleSearch;
import glomers.harness.check.elle.DepGraph;
import glomers.harness.check.elle.OrderGraphs;
import glomers.harness.check.elle.Rel;
import glomers.harness.history.History;
import glomers.harness.history.Op;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The kafka checker's cycle analysis on the shared Elle graph ({@link DepGraph}): wr edges from the send of
 * each polled value to every poll that returned it, plus Elle's realtime order over sends and polls
 * ({@link OrderGraphs#addRealtime}). Since wr edges only leave sends and only enter polls, every cycle needs
 * a realtime step: a poll that returned a message before its send was even invoked. Every strongly
 * connected component counts as one cycle, explained by the shortest cycle through its smallest op
 * ({@link CycleSearch#shortestCycles}); each type keeps its shortest examples first.
 */
final class KafkaCycles {
  private KafkaCycles() {}

  /** How many example cycles each cycle type keeps (the rest are only counted). */
  static final int MAX_EXAMPLES = 8;

  /** Adds {@code G1c-realtime} (or, with no graph at all, {@code empty-transaction-graph}) to {@code errors}. */
  static void report(KafkaIndex index, Map<String, Object> errors) {
    DepGraph g = new DepGraph();
    wrEdges(index, (w, r, k, v) -> g.link(w, r, Rel.WR));
    OrderGraphs.addRealtime(g, index.history, KafkaOps::isSendOrPoll);
    if (g.isEmpty()) {
      errors.put("empty-transaction-graph", true);
      return;
    }
    List<List<Integer>> cycles = CycleSearch.shortestCycles(g, Rel.mask(Rel.WR, Rel.REALTIME));
    if (cycles.isEmpty()) return;
    // Which key and value each wr edge stands for (the first in index order) matters only to explain a cycle.
    Map<Long, Object[]> wrWhy = new HashMap<>();
    wrEdges(index, (w, r, k, v) -> wrWhy.putIfAbsent(edge(w, r), new Object[] {k, v}));
    Map<String, List<Map<String, Object>>> byType = new TreeMap<>();
    for (List<Integer> cycle : cycles) {
      Map<String, Object> c = explain(index.history, g, wrWhy, cycle);
      byType.computeIfAbsent((String) c.get("type"), t -> new ArrayList<>()).add(c);
    }
    byType.forEach((t, cs) -> {
      cs.sort(Comparator.comparingInt(c -> ((List<?>) c.get("cycle")).size()));
      errors.put(t, KafkaChecker.condense(cs, MAX_EXAMPLES, false));
    });
  }

  /** One wr edge: the send at history index {@code w} wrote {@code v} to {@code k}, which the poll at {@code r} read. */
  @FunctionalInterface
  private interface WrEdge {
    void accept(int w, int r, String k, Object v);
  }

  /** Every wr edge, from each polled value's send to each other poll that returned it, in index order. */
  private static void wrEdges(KafkaIndex index, WrEdge edge) {
    index.readersOf.forEach((k, byValue) -> byValue.forEach((v, readers) -> {
      Op w = index.writer(k, v);
      for (Op r : readers) {
        if (r != w) edge.accept(w.index(), r.index(), k, v);
      }
    }));
  }

  private static long edge(int a, int b) {
    return ((long) a << 32) | (b & 0xffffffffL);
  }

  /** Jepsen's cycle explanation: the ops (first repeated at the end), one step per edge, the type. */
  private static Map<String, Object> explain(History h, DepGraph g, Map<Long, Object[]> wrWhy, List<Integer> path) {
    List<Map<String, Object>> cycle = new ArrayList<>();
    List<Map<String, Object>> steps = new ArrayList<>();
    for (int i = 0; i < path.size(); i++) {
      int a = path.get(i), b = path.get((i + 1) % path.size());
      cycle.add(h.get(a).toMap());
      Map<String, Object> step = new LinkedHashMap<>();
      if ((g.rels(a, b) & Rel.WR.bit()) != 0) {
        Object[] why = wrWhy.get(edge(a, b));
        step.put("type", "wr");
        step.put("key", why[0]);
        step.put("value", why[1]);
      } else {
        step.put("type", "realtime");
        step.put("a'", h.get(a).toMap());
        step.put("b", h.get(b).toMap());
      }
      steps.add(step);
    }
    cycle.add(h.get(path.get(0)).toMap());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", CycleSearch.classify(steps));
    m.put("cycle", cycle);
    m.put("steps", steps);
    return m;
  }
}
