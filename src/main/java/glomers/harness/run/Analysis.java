package glomers.harness.run;

import glomers.harness.check.AvailabilityChecker;
import glomers.harness.check.CheckContext;
import glomers.harness.check.Checker;
import glomers.harness.check.ExceptionsChecker;
import glomers.harness.check.StatsChecker;
import glomers.harness.check.Validity;
import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.net.NetStats;
import glomers.harness.workload.Errors;
import glomers.harness.workload.TestSpec;
import glomers.harness.workload.Workload;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The analysis phase of a run: Maelstrom's common checkers plus the workload's checker over one history,
 * merged into the results map that becomes results.json. Pure: it needs only the history, the test's
 * options, the network's counters and the run's diagnostics, so a stored run can be analysed again.
 */
public final class Analysis {
  private Analysis() {}

  /**
   * @param netStats the network's counters of the run (the {@code "net"} entry)
   * @param diagnostics the run's harness diagnostics (the {@code "protocol"} entry under {@code --strict})
   */
  public static Map<String, Object> analyse(TestSpec spec, Workload workload, History h, NetStats netStats,
      List<String> diagnostics) {
    long ops = 0;
    for (Op o : h.ops()) if (o.isClient() && o.isInvoke()) ops++;
    return analyse(spec, workload, h, netStats.result(ops), diagnostics);
  }

  /** As above, with the {@code "net"} entry already computed (e.g. read back from a stored run). */
  public static Map<String, Object> analyse(TestSpec spec, Workload workload, History h, Map<String, Object> net,
      List<String> diagnostics) {
    CheckContext ctx = spec.checkContext();
    Map<String, Object> r = new LinkedHashMap<>();
    // Maelstrom's perf checker only draws graphs; its result shape is kept (always valid here: no plots).
    Map<String, Object> perf = new LinkedHashMap<>();
    perf.put("latency-graph", Map.of("valid?", true));
    perf.put("rate-graph", Map.of("valid?", true));
    perf.put("valid?", true);
    r.put("perf", perf);
    r.put("timeline", Map.of("valid?", true));
    r.put("exceptions", safe(new ExceptionsChecker(), ctx, h));
    r.put("stats", safe(new StatsChecker(), ctx, h));
    r.put("availability", safe(new AvailabilityChecker(), ctx, h));
    r.put("net", net);
    r.put("workload", safe(workload.checker(spec), ctx, h));
    if (spec.strict()) {
      // --strict only: protocol violations Maelstrom tolerates silently (a silenced node, a request a
      // service could not handle …) make the run invalid.
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("valid?", diagnostics.isEmpty());
      p.put("violations", diagnostics);
      r.put("protocol", p);
    }
    Validity v = Validity.TRUE;
    for (Object res : r.values()) {
      if (res instanceof Map<?, ?> m) v = v.merge(Validity.fromJson(m.get("valid?")));
    }
    r.put("valid?", v.json());
    return r;
  }

  /** Jepsen: a checker that throws yields {@code :valid? :unknown} with the error. */
  private static Map<String, Object> safe(Checker c, CheckContext ctx, History h) {
    try {
      Map<String, Object> m = c.check(ctx, h);
      return m == null ? Map.of("valid?", "unknown", "error", "checker returned null") : m;
    } catch (RuntimeException | StackOverflowError e) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("valid?", "unknown");
      m.put("error", Errors.describe(e));
      return m;
    }
  }
}
