package glomers.harness.workload.linkv;

import glomers.harness.check.CheckContext;
import glomers.harness.check.Checker;
import glomers.harness.check.Validity;
import glomers.harness.history.History;
import glomers.harness.history.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jepsen's {@code independent/checker} over per-key linearizability, as Maelstrom's lin-kv runs it
 * (docs/maelstrom.md#linearizability-lin-kv): split the client history by key (op values are {@code [k v]}
 * tuples), check each key's subhistory against a CAS register with {@link CasRegisterLinearizability}, and report
 * {@code results} per key plus {@code failures} (keys whose verdict is false). The overall verdict merges
 * the per-key ones (false beats unknown beats true).
 */
public final class LinKvChecker implements Checker {
  private final CasRegisterLinearizability.Budget budget;

  public LinKvChecker() {
    this(CasRegisterLinearizability.Budget.defaults());
  }

  public LinKvChecker(CasRegisterLinearizability.Budget budget) {
    this.budget = budget;
  }

  @Override
  public Map<String, Object> check(CheckContext ctx, History history) {
    Map<Object, CasRegisterLinearizability> byKey = new LinkedHashMap<>();
    for (Op inv : history.ops()) {
      if (!inv.isClient() || !inv.isInvoke()) continue;
      if (!(inv.value() instanceof List<?> kv) || kv.size() != 2) continue;
      String f = inv.f();
      if (!f.equals("read") && !f.equals("write") && !f.equals("cas")) continue;
      Op done = history.pairOf(inv);
      if (done != null && done.isFail()) continue;
      Object value = kv.get(1);
      if (f.equals("read")) {
        value = done != null && done.isOk() && done.value() instanceof List<?> r && r.size() == 2 ? r.get(1) : null;
      }
      byKey.computeIfAbsent(kv.get(0), k -> new CasRegisterLinearizability()).add(inv, done, f, value);
    }
    Map<String, Object> results = new LinkedHashMap<>();
    List<Object> failures = new ArrayList<>();
    Validity overall = Validity.TRUE;
    for (Map.Entry<Object, CasRegisterLinearizability> e : byKey.entrySet()) {
      Map<String, Object> lin = e.getValue().check(budget);
      Validity v = Checker.validity(lin);
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("linearizable", lin);
      r.put("timeline", Map.of("valid?", true));
      r.put("valid?", v.json());
      results.put(String.valueOf(e.getKey()), r);
      if (v == Validity.FALSE) failures.add(e.getKey());
      overall = overall.merge(v);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("valid?", overall.json());
    out.put("results", results);
    out.put("failures", failures);
    return out;
  }
}
