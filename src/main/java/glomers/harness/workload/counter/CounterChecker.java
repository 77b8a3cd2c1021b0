package glomers.harness.workload.counter;

import glomers.harness.check.CheckContext;
import glomers.harness.check.Checker;
import glomers.harness.history.History;
import glomers.harness.history.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maelstrom's pn-counter checker, used for both {@code g-counter} and {@code pn-counter}
 * (docs/maelstrom.md#counters).
 *
 * <p>The adds that definitely happened ({@code :ok}) sum to {@code definite}; every indeterminate add
 * ({@code :info}) may or may not have happened, so the acceptable final values are {@code definite} plus
 * any subset sum of the indeterminate deltas. Maelstrom keeps that set in a Guava {@code TreeRangeSet} of
 * open ranges {@code (lo-1, hi+1)} so that ranges of adjacent integers coalesce while non-adjacent ones
 * (e.g. {0, 2}) stay apart; {@link IntervalSet} is the same set as sorted disjoint closed intervals.
 * Only {@code :ok} reads marked {@code :final? true} are judged; non-final reads, failed or timed-out
 * final reads are never checked (the {@code :stats} checker still wants one ok read somewhere).
 *
 * <p>Result keys mirror {@code results.edn}: {@code valid?}, {@code errors} (the offending final read
 * ops, or null when there are none, as Clojure's {@code (seq ())}), {@code final-reads} (values in history
 * order) and {@code acceptable} (list of {@code [lo hi]} inclusive pairs).
 */
public final class CounterChecker implements Checker {

  @Override
  public Map<String, Object> check(CheckContext ctx, History history) {
    long definite = 0;
    List<Long> indeterminate = new ArrayList<>();
    List<Op> finalReads = new ArrayList<>();
    for (Op op : history.ops()) {
      if (!op.isClient()) continue;
      if ("add".equals(op.f())) {
        if (op.isOk()) {
          definite += delta(history, op);
        } else if (op.isInfo()) {
          indeterminate.add(delta(history, op));
        }
        // :fail adds definitely did not happen (none occur: these clients have no error handling).
      } else if (op.isFinal() && op.isOk() && "read".equals(op.f())) {
        finalReads.add(op);
      }
    }
    IntervalSet acceptable = IntervalSet.of(definite);
    for (long d : indeterminate) acceptable = acceptable.unionShifted(d);

    List<Object> errors = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    boolean unknown = false;
    for (Op r : finalReads) {
      values.add(r.value());
      // Maelstrom asserts the value is an integer (the reply schema already guarantees it); a
      // non-integer makes its checker throw, which Jepsen reports as :valid? :unknown.
      if (!(r.value() instanceof Long v)) {
        unknown = true;
        continue;
      }
      if (!acceptable.contains(v)) errors.add(r.toMap());
    }

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("valid?", !errors.isEmpty() ? Boolean.FALSE : unknown ? "unknown" : Boolean.TRUE);
    out.put("errors", errors.isEmpty() ? null : errors);
    out.put("final-reads", values);
    out.put("acceptable", acceptable.toPairs());
    return out;
  }

  /** An add's delta: the completion's value, or its invocation's when the completion carries none. */
  private static long delta(History h, Op completion) {
    Object v = completion.value();
    if (v == null) {
      Op inv = h.pairOf(completion);
      v = inv == null ? null : inv.value();
    }
    if (v instanceof Number n) return n.longValue();
    throw new IllegalArgumentException("add without an integer delta: " + completion);
  }

  /** A set of integers as sorted, disjoint, non-adjacent closed intervals {@code [lo, hi]}. Immutable. */
  static final class IntervalSet {
    private final long[] lo;
    private final long[] hi;

    private IntervalSet(long[] lo, long[] hi) {
      this.lo = lo;
      this.hi = hi;
    }

    static IntervalSet of(long x) {
      return new IntervalSet(new long[] {x}, new long[] {x});
    }

    /** {@code this ∪ (this + d)}: every member may or may not have {@code d} added. */
    IntervalSet unionShifted(long d) {
      if (d == 0) return this;
      int n = lo.length;
      // Both inputs are sorted; merge them like merge sort, coalescing overlapping/adjacent intervals.
      long[] mlo = new long[2 * n];
      long[] mhi = new long[2 * n];
      int i = 0, j = 0, k = 0;
      while (i < n || j < n) {
        long l, h;
        if (j >= n || (i < n && lo[i] <= lo[j] + d)) {
          l = lo[i];
          h = hi[i];
          i++;
        } else {
          l = lo[j] + d;
          h = hi[j] + d;
          j++;
        }
        if (k > 0 && l <= mhi[k - 1] + 1) {
          mhi[k - 1] = Math.max(mhi[k - 1], h);
        } else {
          mlo[k] = l;
          mhi[k] = h;
          k++;
        }
      }
      return new IntervalSet(java.util.Arrays.copyOf(mlo, k), java.util.Arrays.copyOf(mhi, k));
    }

    boolean contains(long x) {
      int a = 0, b = lo.length - 1;
      while (a <= b) {
        int m = (a + b) >>> 1;
        if (x < lo[m]) b = m - 1;
        else if (x > hi[m]) a = m + 1;
        else return true;
      }
      return false;
    }

    List<Object> toPairs() {
      List<Object> out = new ArrayList<>(lo.length);
      for (int i = 0; i < lo.length; i++) out.add(List.of(lo[i], hi[i]));
      return out;
    }
  }
}
