package glomers.harness.check;

import glomers.harness.history.History;
import glomers.harness.history.Op;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Jepsen's {@code stats} checker (https://github.com/jepsen-io/jepsen/blob/v0.3.1/jepsen/src/jepsen/checker.clj):
 * counts client completions overall and per {@code f};
 * valid iff every {@code f} that has completions has at least one {@code :ok} (kafka's {@code crash} and
 * {@code debug-topic-partitions} are exempt).
 */
public final class StatsChecker implements Checker {
  static final Set<String> EXEMPT = Set.of("crash", "debug-topic-partitions");

  @Override
  public Map<String, Object> check(CheckContext ctx, History history) {
    long[] total = new long[4];
    Map<String, long[]> byF = new TreeMap<>();
    for (Op o : history.clientCompletions()) {
      long[] c = byF.computeIfAbsent(o.f(), k -> new long[4]);
      int i = switch (o.type()) {
        case OK -> 1;
        case FAIL -> 2;
        case INFO -> 3;
        default -> 0;
      };
      c[0]++;
      c[i]++;
      total[0]++;
      total[i]++;
    }
    boolean valid = true;
    Map<String, Object> fs = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : byF.entrySet()) {
      boolean v = e.getValue()[1] > 0 || EXEMPT.contains(e.getKey());
      valid &= v;
      fs.put(e.getKey(), counts(v, e.getValue()));
    }
    Map<String, Object> m = counts(valid, total);
    m.put("by-f", fs);
    return m;
  }

  private static Map<String, Object> counts(boolean valid, long[] c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("valid?", valid);
    m.put("count", c[0]);
    m.put("ok-count", c[1]);
    m.put("fail-count", c[2]);
    m.put("info-count", c[3]);
    return m;
  }
}
