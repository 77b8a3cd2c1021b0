package glomers.harness.check.elle;

import glomers.harness.history.History;
import glomers.harness.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The order relations Elle adds on top of data dependencies when a model needs them (https://github.com/jepsen-io/elle/blob/main/src/elle/core.clj). */
public final class OrderGraphs {
  private OrderGraphs() {}

  /**
   * Realtime order, transitively reduced the way Elle builds it: keep a frontier of ok completions not yet
   * implied by a later ok; every invocation gets an edge from each frontier op to its completion (whatever
   * its type); an ok completion evicts the frontier ops that point to it and joins the frontier.
   *
   * @param include which client ops take part (e.g. only {@code f = txn})
   */
  public static void addRealtime(DepGraph g, History h, Predicate<Op> include) {
    List<Integer> frontier = new ArrayList<>();
    for (Op op : h.ops()) {
      if (!op.isClient() || !include.test(op)) continue;
      if (op.isInvoke()) {
        Op c = h.pairOf(op);
        if (c == null) continue;
        for (int a : frontier) g.link(a, c.index(), Rel.REALTIME);
      } else if (op.isOk()) {
        int idx = op.index();
        frontier.removeIf(a -> g.rels(a, idx) != 0 && (g.rels(a, idx) & Rel.REALTIME.bit()) != 0);
        frontier.add(idx);
      }
    }
  }

  /** Process order: consecutive ok completions of each process. */
  public static void addProcess(DepGraph g, History h, Predicate<Op> include) {
    Map<Long, Integer> last = new HashMap<>();
    for (Op op : h.ops()) {
      if (!op.isClient() || !op.isOk() || !include.test(op)) continue;
      Integer prev = last.put(op.process(), op.index());
      if (prev != null) g.link(prev, op.index(), Rel.PROCESS);
    }
  }
}
