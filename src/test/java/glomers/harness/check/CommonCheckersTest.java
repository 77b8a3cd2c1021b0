package glomers.harness.check;

import static org.junit.jupiter.api.Assertions.*;

import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Golden valid and invalid histories for stats, availability and exceptions. */
class CommonCheckersTest {
  static Op inv(long p, String f) {
    return Op.invoke(p, f, null);
  }

  static Op done(long p, String f, OpType t) {
    return new Op(-1, 0, t, p, f, null, null, null, false, null);
  }

  static History h(Op... ops) {
    return new History(List.of(ops));
  }

  @Test
  void statsNeedsAnOkForEveryF() {
    History valid = h(inv(0, "read"), done(0, "read", OpType.OK), inv(0, "add"), done(0, "add", OpType.FAIL),
        inv(0, "add"), done(0, "add", OpType.OK), inv(1, "add"), done(1, "add", OpType.INFO));
    Map<String, Object> r = new StatsChecker().check(CheckContext.forTest(1, Map.of()), valid);
    assertEquals(true, r.get("valid?"));
    assertEquals(4L, r.get("count"));
    assertEquals(2L, r.get("ok-count"));
    assertEquals(1L, r.get("fail-count"));
    assertEquals(1L, r.get("info-count"));
    assertEquals(3L, ((Map<?, ?>) ((Map<?, ?>) r.get("by-f")).get("add")).get("count"));

    History invalid = h(inv(0, "read"), done(0, "read", OpType.OK), inv(0, "add"), done(0, "add", OpType.FAIL),
        inv(0, "add"), done(0, "add", OpType.INFO));
    Map<String, Object> bad = new StatsChecker().check(CheckContext.forTest(1, Map.of()), invalid);
    assertEquals(false, bad.get("valid?"));
    assertEquals(false, ((Map<?, ?>) ((Map<?, ?>) bad.get("by-f")).get("add")).get("valid?"));

    History kafkaCrash = h(inv(0, "send"), done(0, "send", OpType.OK), inv(0, "crash"), done(0, "crash", OpType.INFO));
    assertEquals(true, new StatsChecker().check(CheckContext.forTest(1, Map.of()), kafkaCrash).get("valid?"));
    assertEquals(true, new StatsChecker().check(CheckContext.forTest(1, Map.of()), h()).get("valid?"));
  }

  @Test
  void statsIgnoresNemesis() {
    History hist = h(new Op(-1, 0, OpType.INFO, Op.NEMESIS, "start-partition", "one", null, null, false, null),
        inv(0, "read"), done(0, "read", OpType.OK));
    assertEquals(true, new StatsChecker().check(CheckContext.forTest(1, Map.of()), hist).get("valid?"));
  }

  @Test
  void availability() {
    History hist = h(inv(0, "g"), done(0, "g", OpType.OK), inv(0, "g"), done(0, "g", OpType.OK), inv(0, "g"),
        done(0, "g", OpType.OK), inv(0, "g"), done(0, "g", OpType.FAIL));
    AvailabilityChecker c = new AvailabilityChecker();
    assertEquals(0.75, c.check(CheckContext.forTest(1, Map.of()), hist).get("ok-fraction"));
    assertEquals(true, c.check(CheckContext.forTest(1, Map.of()), hist).get("valid?"));
    assertEquals(false, c.check(CheckContext.forTest(1, Map.of("availability", "total")), hist).get("valid?"));
    assertEquals(true, c.check(CheckContext.forTest(1, Map.of("availability", 0.75)), hist).get("valid?"));
    assertEquals(false, c.check(CheckContext.forTest(1, Map.of("availability", 0.8)), hist).get("valid?"));
    History pending = h(inv(0, "g"), done(0, "g", OpType.OK), inv(1, "g")); // still in flight counts against
    assertEquals(0.5, c.check(CheckContext.forTest(1, Map.of()), pending).get("ok-fraction"));
    assertEquals(1.0, c.check(CheckContext.forTest(1, Map.of("availability", "total")), h()).get("ok-fraction"));
    History all = h(inv(0, "g"), done(0, "g", OpType.OK));
    assertEquals(true, c.check(CheckContext.forTest(1, Map.of("availability", "total")), all).get("valid?"));
  }

  @Test
  void exceptionsGroupedByClass() {
    List<Op> ops = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ops.add(inv(i, "echo"));
      ops.add(done(i, "echo", OpType.INFO).withException(i < 2 ? "x.Malformed: bad" : "java.io.IOException"));
    }
    Map<String, Object> r = new ExceptionsChecker().check(CheckContext.forTest(1, Map.of()), new History(ops));
    assertEquals(true, r.get("valid?"));
    List<?> ex = (List<?>) r.get("exceptions");
    assertEquals(2, ex.size());
    assertEquals("x.Malformed", ((Map<?, ?>) ex.get(0)).get("class"));
    assertEquals(2L, ((Map<?, ?>) ex.get(0)).get("count"));
    assertNull(new ExceptionsChecker().check(CheckContext.forTest(1, Map.of()), h()).get("exceptions"));
  }
}
