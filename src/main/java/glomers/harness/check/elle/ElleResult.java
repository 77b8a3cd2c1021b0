package glomers.harness.check.elle;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Shared plumbing of Elle-style checkers: which extra graphs the models need, and Elle's result map
 * ({@code valid?}, {@code anomaly-types}, {@code anomalies}, {@code not}, {@code also-not}).
 */
public final class ElleResult {
  private ElleResult() {}

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
