package glomers.harness.check.elle;

import glomers.harness.history.History;
import glomers.harness.history.Op;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Shared plumbing of Elle-style checkers: which extra graphs the models need, the cycle search that ends
 * every check, and Elle's result map ({@code valid?}, {@code anomaly-types}, {@code anomalies}, {@code not},
 * {@code also-not}).
 */
public final class ElleResult {
  private ElleResult() {}

  /** Result key: sizes (transactions) of the largest strongly connected components the cycle search met. */
  public static final String LARGEST_SCCS = "largest-sccs";

  /**
   * From this SCC size on, Maelstrom's Elle would probably give up with {@code cycle-search-timeout} and
   * answer unknown. Elle searches one SCC for at most {@code cycle-search-timeout} = 1000 ms
   * (https://github.com/jepsen-io/elle/blob/main/src/elle/txn.clj); real Maelstrom 0.2.3 on a 2-core
   * machine ran out of that budget on SCCs of 1 686 (searching G0), 324 (G-nonadjacent) and 265
   * (G-single-realtime) transactions. 265 is the smallest SCC seen to exhaust the budget, and it got through
   * most anomaly classes first, so the budget covers roughly 250 transactions there; we warn from 250
   * (the smallest observed failure, rounded down). See docs/txn.md.
   */
  public static final int MAELSTROM_TIMEOUT_SCC_SIZE = 250;

  /** The largest SCC size recorded in a checker result, or 0. */
  public static int largestScc(Map<String, Object> result) {
    return result != null && result.get(LARGEST_SCCS) instanceof List<?> l && !l.isEmpty()
        && l.get(0) instanceof Number n ? n.intValue() : 0;
  }

  /** Parses Maelstrom's {@code --consistency-models} option value (default strict-serializable). */
  @SuppressWarnings("unchecked")
  public static List<String> models(Object option) {
    if (option == null) return List.of("strict-serializable");
    if (option instanceof Collection<?> c) {
      List<String> out = new ArrayList<>();
      for (Object o : c) out.add(String.valueOf(o).replaceFirst("^:", ""));
      return out.isEmpty() ? List.of("strict-serializable") : out;
    }
    List<String> out = new ArrayList<>();
    for (String s : String.valueOf(option).split("\\s*,\\s*")) if (!s.isBlank()) out.add(s.trim().replaceFirst("^:", ""));
    return out.isEmpty() ? List.of("strict-serializable") : out;
  }

  /** Whether some reportable anomaly needs realtime edges. */
  public static boolean needsRealtime(Set<String> reportable) {
    for (String a : reportable) if (a.endsWith("-realtime") && CycleSearch.cycleTypes().contains(a)) return true;
    return false;
  }

  /** Whether some reportable anomaly needs process edges (only used when realtime is not needed). */
  public static boolean needsProcess(Set<String> reportable) {
    for (String a : reportable) if (a.endsWith("-process") && CycleSearch.cycleTypes().contains(a)) return true;
    return false;
  }

  /**
   * The end of every Elle check, once {@code g} holds the data dependencies (ww/wr/rw): adds the realtime
   * (or else process) order edges between the ops {@code include} accepts if a reportable anomaly needs
   * them, records an empty graph, adds every cycle anomaly found within {@code budgetMillis} per SCC to
   * {@code anomalies}, and returns the {@link #resultMap} (which reports only the reportable ones).
   */
  public static Map<String, Object> searchCycles(
      List<String> models,
      Map<String, List<Object>> anomalies,
      DepGraph g,
      History h,
      Predicate<Op> include,
      CycleSearch.Explainer explainer,
      long budgetMillis) {
    Set<String> reportable = ConsistencyModels.reportable(models);
    if (needsRealtime(reportable)) {
      OrderGraphs.addRealtime(g, h, include);
    } else if (needsProcess(reportable)) {
      OrderGraphs.addProcess(g, h, include);
    }
    if (g.isEmpty()) anomalies.computeIfAbsent("empty-transaction-graph", k -> new ArrayList<>()).add(true);
    // Like Elle's cycles!, every cycle class is searched whatever the models: the ones they allow cost budget
    // and shape the friendly boundary, but resultMap reports only the reportable ones.
    CycleSearch cycles = new CycleSearch(g, h, explainer, budgetMillis);
    cycles.search(CycleSearch.cycleTypes()).forEach((k, v) -> anomalies.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
    Map<String, Object> result = resultMap(models, anomalies);
    List<Integer> largest = cycles.largestSccs(5);
    if (!largest.isEmpty()) result.put(LARGEST_SCCS, largest);
    return result;
  }

  /**
   * Elle's {@code result-map}: reportable anomalies only; false if any prohibited one, unknown if only
   * housekeeping ones, else {@code {valid? true}}.
   */
  public static Map<String, Object> resultMap(List<String> models, Map<String, List<Object>> anomalies) {
    Set<String> prohibited = ConsistencyModels.prohibited(models);
    Set<String> reportable = ConsistencyModels.reportable(models);
    Map<String, Object> rep = new TreeMap<>();
    boolean bad = false;
    for (Map.Entry<String, List<Object>> e : anomalies.entrySet()) {
      if (e.getValue() == null || e.getValue().isEmpty()) continue;
      if (reportable.contains(e.getKey())) {
        // Elle records the empty graph as a bare flag, not a list of cases.
        boolean flag = e.getValue().size() == 1 && Boolean.TRUE.equals(e.getValue().get(0));
        rep.put(e.getKey(), flag ? (Object) true : e.getValue());
      }
      if (prohibited.contains(e.getKey())) bad = true;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    if (rep.isEmpty()) {
      out.put("valid?", true);
      return out;
    }
    out.put("valid?", bad ? (Object) false : "unknown");
    out.put("anomaly-types", new ArrayList<>(rep.keySet()));
    out.put("anomalies", rep);
    List<String> present = new ArrayList<>();
    for (Map.Entry<String, List<Object>> e : anomalies.entrySet()) if (!e.getValue().isEmpty()) present.add(e.getKey());
    out.putAll(ConsistencyModels.friendlyBoundary(present));
    return out;
  }
}
