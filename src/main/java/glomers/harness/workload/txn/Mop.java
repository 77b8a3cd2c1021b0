package glomers.harness.workload.txn;

import glomers.harness.history.History;
import glomers.harness.history.Op;
import java.util.ArrayList;
import java.util.List;

/**
 * One micro-operation {@code [f, k, v]} of a transaction, as recorded in the history.
 *
 * @param index position in the transaction
 */
public record Mop(int index, String f, Object key, Object value) {
  public boolean isRead() {
    return f.equals("r");
  }

  public boolean isWrite() {
    return f.equals("w") || f.equals("append");
  }

  /** The mop as it appears in a history, {@code [f, k, v]}. */
  public List<Object> toList() {
    List<Object> l = new ArrayList<>(3);
    l.add(f);
    l.add(key);
    l.add(value);
    return l;
  }

  /** Parses a txn value; throws IllegalArgumentException when it is not a list of [f k v] triples. */
  public static List<Mop> parse(Object txn) {
    if (!(txn instanceof List<?> l)) throw new IllegalArgumentException("txn value is not a list: " + txn);
    List<Mop> out = new ArrayList<>(l.size());
    for (int i = 0; i < l.size(); i++) {
      if (!(l.get(i) instanceof List<?> m) || m.size() != 3 || !(m.get(0) instanceof String f)) {
        throw new IllegalArgumentException("malformed micro-op " + l.get(i));
      }
      out.add(new Mop(i, f.replaceFirst("^:", ""), m.get(1), m.get(2)));
    }
    return out;
  }

  /**
   * The transaction a completion stands for: its own value when it has one (ok completions carry the reads
   * the node returned), otherwise the invocation's (a timed-out txn is recorded with what was asked).
   */
  public static List<Mop> of(History h, Op completion) {
    Object v = completion.value();
    if (v == null) {
      Op inv = h.pairOf(completion);
      v = inv == null ? List.of() : inv.value();
    }
    return parse(v);
  }
}
