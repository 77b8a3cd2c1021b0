package glomers.harness.workload.uniqueids;

import static org.junit.jupiter.api.Assertions.*;

import glomers.harness.check.CheckContext;
import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UniqueIdsCheckerTest {
  static Map<String, Object> check(Object... ids) {
    List<Op> ops = new ArrayList<>();
    for (Object id : ids) {
      Op inv = Op.invoke(0, "generate", null);
      ops.add(inv);
      ops.add(id == OpType.INFO ? inv.complete(OpType.INFO, null) : inv.complete(OpType.OK, id));
    }
    return UniqueIdsWorkload.check(CheckContext.forTest(1, Map.of()), new History(ops));
  }

  @Test
  void distinctIdsAreValid() {
    Map<String, Object> r = check(3L, 1L, 2L, OpType.INFO);
    assertEquals(true, r.get("valid?"));
    assertEquals(4L, r.get("attempted-count"));
    assertEquals(3L, r.get("acknowledged-count"));
    assertEquals(Arrays.asList(1L, 3L), r.get("range"));
  }

  @Test
  void duplicatesAreInvalid() {
    Map<String, Object> r = check("a", "b", "a", "c", "b", "a");
    assertEquals(false, r.get("valid?"));
    assertEquals(2L, r.get("duplicated-count"));
    assertEquals(Map.of("a", 3L, "b", 2L), r.get("duplicated"));
  }

  @Test
  void oneAndOnePointZeroAreDifferentIds() {
    assertEquals(true, check(1L, 1.0).get("valid?"));
    assertEquals(false, check(List.of(1L, 2L), List.of(1L, 2L)).get("valid?"));
  }

  @Test
  void mixedIdTypesMakeTheRangeThrowLikeClojureCompare() {
    assertThrows(ClassCastException.class, () -> check(1L, "x"));
    assertThrows(ClassCastException.class, () -> check(Map.of("a", 1L), Map.of("a", 2L)));
  }
}
