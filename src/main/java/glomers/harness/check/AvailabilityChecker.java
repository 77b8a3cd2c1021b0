package glomers.harness.check;

import glomers.harness.history.History;
import glomers.harness.history.Op;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maelstrom's availability checker: {@code ok-fraction} = ok completions / client invocations (1 when there
 * are none). Valid always without {@code --availability}; with {@code total}: ok-fraction = 1; with a
 * number a: ok-fraction ≥ a.
 */
public final class AvailabilityChecker implements Checker {
  @Override
  public Map<String, Object> check(CheckContext ctx, History history) {
    long invokes = 0, ok = 0;
    for (Op o : history.ops()) {
      if (!o.isClient()) continue;
      if (o.isInvoke()) invokes++;
      else if (o.isOk()) ok++;
    }
    double frac = invokes == 0 ? 1.0 : (double) ok / invokes;
    Object a = ctx.option("availability");
    boolean valid;
    if (a == null) valid = true;
    else if ("total".equals(a)) valid = invokes == ok;
    else valid = frac >= ((Number) a).doubleValue();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("valid?", valid);
    m.put("ok-fraction", glomers.harness.net.NetStats.asFloat(frac)); // a float in Maelstrom's output
    return m;
  }
}
