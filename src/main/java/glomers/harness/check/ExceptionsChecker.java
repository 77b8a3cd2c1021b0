package glomers.harness.check;

import glomers.harness.history.History;
import glomers.harness.history.Op;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jepsen's {@code unhandled-exceptions}: groups {@code :info} completions carrying an exception by exception
 * class, most frequent first, one example each. Always valid.
 */
public final class ExceptionsChecker implements Checker {
  @Override
  public Map<String, Object> check(CheckContext ctx, History history) {
    Map<String, List<Op>> byClass = new LinkedHashMap<>();
    for (Op o : history.clientCompletions()) {
      if (!o.isInfo() || o.exception() == null) continue;
      String ex = o.exception();
      int colon = ex.indexOf(':');
      byClass.computeIfAbsent(colon < 0 ? ex : ex.substring(0, colon), k -> new ArrayList<>()).add(o);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("valid?", true);
    if (!byClass.isEmpty()) {
      List<Map<String, Object>> exes = new ArrayList<>();
      byClass.forEach((cls, ops) -> {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("count", (long) ops.size());
        e.put("class", cls);
        e.put("example", ops.get(0).toMap());
        exes.add(e);
      });
      exes.sort(Comparator.comparingLong(e -> -(Long) e.get("count")));
      m.put("exceptions", exes);
    }
    return m;
  }
}
