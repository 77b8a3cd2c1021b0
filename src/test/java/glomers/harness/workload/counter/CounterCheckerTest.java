package glomers.harness.workload.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.harness.check.CheckContext;
import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CounterCheckerTest {
  private final List<Op> ops = new ArrayList<>();
  private long t;

  private void op(long p, OpType type, String f, Object v, boolean fin) {
    ops.add(new Op(-1, t += 1_000_000, type, p, f, v, null, null, fin, null));
  }

  private void add(long p, long d, OpType outcome) {
    op(p, OpType.INVOKE, "add", d, false);
    op(p, outcome, "add", d, false);
  }

  private void read(long p, Long v, boolean fin) {
    op(p, OpType.INVOKE, "read", null, fin);
    op(p, OpType.OK, "read", v, fin);
  }

  private Map<String, Object> check() {
    return new CounterChecker().check(CheckContext.forTest(3, Map.of()), new History(ops));
  }

  private static List<Object> pair(long a, long b) {
    return List.of(a, b);
  }

  @Test
  void exactFinalReadsAreValid() {
    add(0, 3, OpType.OK);
    add(1, 4, OpType.OK);
    read(2, 2L, false); // non-final reads are never judged
    read(0, 7L, true);
    read(1, 7L, true);
    read(2, 7L, true);
    Map<String, Object> r = check();
    assertEquals(true, r.get("valid?"));
    assertNull(r.get("errors"));
    assertEquals(List.of(7L, 7L, 7L), r.get("final-reads"));
    assertEquals(List.of(pair(7, 7)), r.get("acceptable"));
  }

  /** Golden INVALID: the shape of examples/g-counter-invalid.edn (nodes that never share their counts). */
  @Test
  void wrongFinalValueIsInvalid() {
    add(0, 3, OpType.OK);
    add(1, 4, OpType.OK);
    add(2, 1, OpType.OK);
    read(0, 3L, true);
    read(1, 8L, true);
    read(2, 1L, true);
    Map<String, Object> r = check();
    assertEquals(false, r.get("valid?"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> errors = (List<Map<String, Object>>) r.get("errors");
    assertEquals(2, errors.size());
    assertEquals(3L, errors.get(0).get("value"));
    assertEquals(1L, errors.get(1).get("value"));
    assertEquals(true, errors.get(0).get("final?"));
    assertEquals(List.of(pair(8, 8)), r.get("acceptable"));
  }

  @Test
  void indeterminateAddsMayOrMayNotCount() {
    add(0, 10, OpType.OK);
    add(1, 2, OpType.INFO);
    add(2, 5, OpType.INFO);
    // acceptable = 10 + subset sums of {2, 5} = {10, 12, 15, 17}
    read(0, 12L, true);
    read(1, 17L, true);
    read(2, 10L, true);
    Map<String, Object> r = check();
    assertEquals(true, r.get("valid?"));
    assertEquals(List.of(pair(10, 10), pair(12, 12), pair(15, 15), pair(17, 17)), r.get("acceptable"));
    ops.clear();
    add(0, 10, OpType.OK);
    add(1, 2, OpType.INFO);
    add(2, 5, OpType.INFO);
    read(0, 11L, true); // between two acceptable values: not a subset sum
    assertEquals(false, check().get("valid?"));
  }

  @Test
  void adjacentIntegersCoalesceAndNegativeDeltasWork() {
    add(0, -5, OpType.OK);
    add(1, 1, OpType.INFO);
    add(2, 1, OpType.INFO);
    add(0, -3, OpType.INFO);
    add(1, 0, OpType.INFO);
    // -5 + subsets of {1, 1, -3} = {-8,-7,-6} ∪ {-5,-4,-3}
    read(0, -8L, true);
    read(1, -3L, true);
    Map<String, Object> r = check();
    assertEquals(true, r.get("valid?"));
    assertEquals(List.of(pair(-8, -3)), r.get("acceptable"));
  }

  @Test
  void failedAndUnfinishedFinalReadsAreNotChecked() {
    add(0, 2, OpType.OK);
    op(1, OpType.INVOKE, "read", null, true);
    op(1, OpType.INFO, "read", null, true);
    op(2, OpType.INVOKE, "read", null, true); // never completes
    read(0, 2L, true);
    assertEquals(true, check().get("valid?"));
  }

  @Test
  void infoCompletionWithoutValueUsesTheInvocationDelta() {
    op(0, OpType.INVOKE, "add", 4L, false);
    op(0, OpType.INFO, "add", null, false);
    read(1, 4L, true);
    Map<String, Object> r = check();
    assertEquals(true, r.get("valid?"));
    assertEquals(List.of(pair(0, 0), pair(4, 4)), r.get("acceptable"));
  }

  @Test
  void noFinalReadsIsVacuouslyValid() {
    add(0, 1, OpType.OK);
    Map<String, Object> r = check();
    assertTrue((Boolean) r.get("valid?"));
    assertEquals(List.of(), r.get("final-reads"));
  }

  @Test
  void intervalSetMatchesBruteForceSubsetSums() {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
    for (int round = 0; round < 200; round++) {
      long base = rnd.nextInt(-20, 20);
      CounterChecker.IntervalSet s = CounterChecker.IntervalSet.of(base);
      java.util.Set<Long> brute = new java.util.HashSet<>(List.of(base));
      int n = rnd.nextInt(0, 9);
      for (int i = 0; i < n; i++) {
        long d = rnd.nextInt(-7, 8);
        s = s.unionShifted(d);
        java.util.Set<Long> next = new java.util.HashSet<>(brute);
        for (long x : brute) next.add(x + d);
        brute = next;
      }
      for (long x = -100; x <= 100; x++) {
        assertEquals(brute.contains(x), s.contains(x), "round " + round + " x=" + x);
      }
      assertFalse(s.toPairs().isEmpty());
    }
  }
}
