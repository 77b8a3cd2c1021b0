package glomers.harness.workload.txn;

import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import java.util.ArrayList;
import java.util.List;

/** Builds txn histories for golden tests: {@code "r 1 nil; w 1 2; append 3 4; r 3 [1 2]"}. */
final class TxnHist {
  private final List<Op> ops = new ArrayList<>();
  private long time = 0;

  static List<Object> txn(String spec) {
    List<Object> out = new ArrayList<>();
    if (spec.isBlank()) return out;
    for (String part : spec.split(";")) {
      String[] w = part.trim().split("\\s+", 3);
      List<Object> m = new ArrayList<>();
      m.add(w[0]);
      m.add(Long.parseLong(w[1]));
      m.add(value(w[2].trim()));
      out.add(m);
    }
    return out;
  }

  static Object value(String s) {
    if (s.equals("nil")) return null;
    if (s.startsWith("[")) {
      List<Object> l = new ArrayList<>();
      String inner = s.substring(1, s.length() - 1).trim();
      if (!inner.isEmpty()) for (String e : inner.split("\\s+")) l.add(Long.parseLong(e));
      return l;
    }
    return Long.parseLong(s);
  }

  /** Invocation: reads become nil. */
  TxnHist invoke(long p, String spec) {
    List<Object> t = txn(spec);
    for (Object o : t) {
      @SuppressWarnings("unchecked")
      List<Object> m = (List<Object>) o;
      if (m.get(0).equals("r")) m.set(2, null);
    }
    ops.add(new Op(-1, time++, OpType.INVOKE, p, "txn", t, null, null, false, null));
    return this;
  }

  TxnHist complete(long p, OpType type, String spec) {
    ops.add(new Op(-1, time++, type, p, "txn", type == OpType.OK ? txn(spec) : invocationOf(p), null, null, false, null));
    return this;
  }

  private Object invocationOf(long p) {
    for (int i = ops.size() - 1; i >= 0; i--) if (ops.get(i).process() == p && ops.get(i).isInvoke()) return ops.get(i).value();
    return null;
  }

  /** invoke + ok in one step (sequential). */
  TxnHist ok(long p, String spec) {
    return invoke(p, spec).complete(p, OpType.OK, spec);
  }

  TxnHist fail(long p, String spec) {
    return invoke(p, spec).complete(p, OpType.FAIL, spec);
  }

  History build() {
    return new History(ops);
  }
}
