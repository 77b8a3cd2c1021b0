package glomers.harness.history;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable, indexed history with invocation/completion pairing.
 *
 * <p>Pairing follows Jepsen: a process has at most one operation in flight, so an invocation is paired
 * with the next entry of the same process. An invocation with no later entry (still pending at the end)
 * is unpaired.
 */
public final class History {
  private final List<Op> ops;
  private final int[] pair;

  public History(List<Op> ops) {
    List<Op> indexed = new ArrayList<>(ops.size());
    for (int i = 0; i < ops.size(); i++) {
      Op o = ops.get(i);
      indexed.add(o.index() == i ? o : o.withIndex(i));
    }
    this.ops = Collections.unmodifiableList(indexed);
    this.pair = new int[indexed.size()];
    java.util.Arrays.fill(pair, -1);
    Map<Long, Integer> open = new HashMap<>();
    for (Op o : indexed) {
      if (o.isInvoke()) {
        open.put(o.process(), o.index());
      } else {
        Integer inv = open.remove(o.process());
        if (inv != null) {
          pair[inv] = o.index();
          pair[o.index()] = inv;
        }
      }
    }
  }

  /** Builds a history from ops, assigning indexes in list order. */
  public static History of(Op... ops) {
    return new History(List.of(ops));
  }

  public List<Op> ops() {
    return ops;
  }

  public int size() {
    return ops.size();
  }

  public Op get(int index) {
    return ops.get(index);
  }

  /** The completion of an invocation (or the invocation of a completion); null when unpaired. */
  public Op pairOf(Op op) {
    int p = pair[op.index()];
    return p < 0 ? null : ops.get(p);
  }

  /** Client (non-nemesis) entries, in history order. */
  public List<Op> clientOps() {
    List<Op> out = new ArrayList<>();
    for (Op o : ops) if (o.isClient()) out.add(o);
    return out;
  }

  /** Completions (ok/fail/info) of client operations, in history order. */
  public List<Op> clientCompletions() {
    List<Op> out = new ArrayList<>();
    for (Op o : ops) if (o.isClient() && !o.isInvoke()) out.add(o);
    return out;
  }
}
