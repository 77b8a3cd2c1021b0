package glomers.harness.workload.gset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.harness.check.CheckContext;
import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import glomers.harness.workload.GenContext;
import glomers.harness.workload.Generator;
import glomers.harness.workload.TestSpec;
import glomers.harness.workload.Workload;
import glomers.harness.workload.Workloads;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GSetWorkloadTest {
  private final Workload w = Workloads.get("g-set");
  private final TestSpec spec = TestSpec.builder().nodeCount(3).seed(2).build();

  @Test
  void generatorAddsUniqueIncreasingElementsAndReads() {
    Generator g = w.generator(spec);
    SplittableRandom r = new SplittableRandom(4);
    Set<Object> seen = new HashSet<>();
    long last = -1;
    int reads = 0;
    for (int i = 0; i < 1000; i++) {
      Op op = g.next(GenContext.of(spec, i % 3, i % 3, 0, r));
      if (op.f().equals("add")) {
        assertTrue(seen.add(op.value()));
        assertEquals(last + 1, (long) (Long) op.value());
        last = (Long) op.value();
      } else {
        reads++;
      }
    }
    assertTrue(reads > 400 && reads < 600);
    Generator fin = w.finalGenerator(spec);
    for (int t = 0; t < 3; t++) {
      Op op = fin.next(GenContext.of(spec, t, t, 0, r));
      assertEquals("read", op.f());
      assertFalse(op.isFinal(), "g-set's final reads carry no :final? in v0.2.3");
    }
    assertNull(fin.next(GenContext.of(spec, 0, 0, 0, r)));
  }

  private final List<Op> ops = new ArrayList<>();
  private long t;

  private void op(long p, OpType type, String f, Object v) {
    ops.add(new Op(-1, t += 1_000_000, type, p, f, v, null, null, false, null));
  }

  /** Golden INVALID: a node that forgets an acknowledged element is reported lost. */
  @Test
  void checkerRejectsASetThatForgetsElements() {
    op(0, OpType.INVOKE, "add", 0L);
    op(0, OpType.OK, "add", 0L);
    op(1, OpType.INVOKE, "add", 1L);
    op(1, OpType.OK, "add", 1L);
    op(2, OpType.INVOKE, "read", null);
    op(2, OpType.OK, "read", List.of(0L, 1L));
    op(0, OpType.INVOKE, "read", null);
    op(0, OpType.OK, "read", List.of(0L));
    Map<String, Object> r = w.checker(spec).check(CheckContext.forTest(3, Map.of()), new History(ops));
    assertEquals(false, r.get("valid?"));
    assertEquals(1L, ((Number) r.get("lost-count")).longValue());
  }

  @Test
  void checkerAcceptsConvergedReads() {
    op(0, OpType.INVOKE, "add", 0L);
    op(0, OpType.OK, "add", 0L);
    op(1, OpType.INVOKE, "read", null);
    op(1, OpType.OK, "read", List.of());
    op(1, OpType.INVOKE, "read", null);
    op(1, OpType.OK, "read", List.of(0L));
    Map<String, Object> r = w.checker(spec).check(CheckContext.forTest(3, Map.of()), new History(ops));
    assertEquals(true, r.get("valid?"));
    assertEquals(1L, ((Number) r.get("stable-count")).longValue());
  }
}
