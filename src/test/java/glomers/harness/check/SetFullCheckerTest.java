package glomers.harness.check;

import static org.junit.jupiter.api.Assertions.*;

import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Golden valid and invalid histories for set-full (docs/maelstrom.md#set-full-broadcast-g-set, Jepsen 0.3.1). */
class SetFullCheckerTest {
  /** A tiny history builder: times in ms. */
  static final class H {
    final List<Op> ops = new ArrayList<>();

    H op(long ms, OpType t, long p, String f, Object v) {
      ops.add(new Op(-1, ms * 1_000_000, t, p, f, v, null, null, false, null));
      return this;
    }

    H inv(long ms, long p, String f, Object v) { return op(ms, OpType.INVOKE, p, f, v); }
    H ok(long ms, long p, String f, Object v) { return op(ms, OpType.OK, p, f, v); }

    Map<String, Object> check() {
      return new SetFullChecker("broadcast").check(CheckContext.forTest(2, Map.of()), new History(ops));
    }
  }

  @Test
  void stableImmediately() {
    Map<String, Object> r = new H()
        .inv(0, 0, "broadcast", 0L).ok(1, 0, "broadcast", 0L)
        .inv(2, 1, "read", null).ok(3, 1, "read", List.of(0L))
        .check();
    assertEquals(true, r.get("valid?"));
    assertEquals(1L, r.get("stable-count"));
    assertEquals(0L, r.get("stale-count"));
    assertEquals(Map.of("0", 0L, "0.5", 0L, "0.95", 0L, "0.99", 0L, "1", 0L), r.get("stable-latencies"));
  }

  @Test
  void staleLatencyRunsToTheStartOfTheLastMissingRead() {
    Map<String, Object> r = new H()
        .inv(0, 0, "broadcast", 0L).ok(10, 0, "broadcast", 0L)
        .inv(60, 1, "read", null).ok(61, 1, "read", List.of())          // missed, invoked at 60 ms
        .inv(150, 1, "read", null).ok(151, 1, "read", List.of(0L))
        .check();
    assertEquals(true, r.get("valid?"));
    assertEquals(List.of(0L), r.get("stale"));
    // (60 ms + 1 ns − 10 ms) truncated to ms = 50
    assertEquals(50L, ((Map<?, ?>) r.get("stable-latencies")).get("1"));
    List<?> worst = (List<?>) r.get("worst-stale");
    assertEquals(1, worst.size());
    Map<?, ?> w = (Map<?, ?>) worst.get(0);
    assertEquals("add", ((Map<?, ?>) w.get("known")).get("f"));
    assertEquals(60_000_000L, ((Map<?, ?>) w.get("last-absent")).get("time"));
  }

  @Test
  void lostWhenTheLatestReadMissesAnAckedElement() {
    Map<String, Object> r = new H()
        .inv(0, 0, "broadcast", 0L).ok(1, 0, "broadcast", 0L)
        .inv(2, 0, "broadcast", 1L).ok(3, 0, "broadcast", 1L)
        .inv(5, 1, "read", null).ok(6, 1, "read", List.of(0L, 1L))
        .inv(20, 1, "read", null).ok(21, 1, "read", List.of(1L))
        .check();
    assertEquals(false, r.get("valid?"));
    assertEquals(List.of(0L), r.get("lost"));
    assertEquals(1L, r.get("lost-count"));
    assertEquals(1L, r.get("stable-count"));
    // lost latency: last-present invocation (5 ms) + 1 ns − known (1 ms) → 4 ms
    assertEquals(4L, ((Map<?, ?>) r.get("lost-latencies")).get("0"));
  }

  @Test
  void neverPresentButAckedIsLost() {
    Map<String, Object> r = new H()
        .inv(0, 0, "broadcast", 0L).ok(1, 0, "broadcast", 0L)
        .inv(0, 2, "broadcast", 7L).ok(1, 2, "broadcast", 7L)
        .inv(5, 1, "read", null).ok(6, 1, "read", List.of(7L))
        .check();
    assertEquals(false, r.get("valid?"));
    assertEquals(List.of(0L), r.get("lost"));
    assertEquals(0L, ((Map<?, ?>) r.get("lost-latencies")).get("1"));
  }

  @Test
  void aReadConcurrentWithTheAddThatMissesItIsNotALoss() {
    Map<String, Object> r = new H()
        .inv(0, 0, "broadcast", 0L)
        .inv(1, 1, "read", null)
        .ok(2, 0, "broadcast", 0L)
        .ok(3, 1, "read", List.of())
        .check();
    assertEquals("unknown", r.get("valid?"));
    assertEquals(List.of(0L), r.get("never-read"));
    assertEquals(0L, r.get("lost-count"));
  }

  @Test
  void unackedElementsMissingFromReadsAreNeverRead() {
    Map<String, Object> r = new H()
        .inv(0, 0, "broadcast", 0L).op(5, OpType.INFO, 0, "broadcast", 0L)
        .inv(6, 3, "broadcast", 1L).ok(7, 3, "broadcast", 1L)
        .inv(10, 1, "read", null).ok(11, 1, "read", List.of(1L))
        .check();
    assertEquals(true, r.get("valid?"));
    assertEquals(List.of(0L), r.get("never-read"));
  }

  @Test
  void anInfoAddSeenByAReadBecomesKnownThenLost() {
    Map<String, Object> r = new H()
        .inv(0, 0, "broadcast", 0L).op(5, OpType.INFO, 0, "broadcast", 0L)
        .inv(10, 1, "read", null).ok(11, 1, "read", List.of(0L))
        .inv(20, 2, "read", null).ok(21, 2, "read", List.of())
        .check();
    assertEquals(false, r.get("valid?"));
    assertEquals(List.of(0L), r.get("lost"));
  }

  @Test
  void onlyTheLatestInvokedReadDecides() {
    // A missing read invoked earlier but completing later does not override a later-invoked present read.
    Map<String, Object> r = new H()
        .inv(0, 0, "broadcast", 0L).ok(1, 0, "broadcast", 0L)
        .inv(10, 1, "read", null)
        .inv(11, 2, "read", null)
        .ok(12, 2, "read", List.of(0L))
        .ok(13, 1, "read", List.of())
        .check();
    assertEquals(true, r.get("valid?"));
    assertEquals(9L, ((Map<?, ?>) r.get("stable-latencies")).get("0.5"));
  }

  @Test
  void failedAndInfoReadsAreIgnoredAndDuplicatesDoNotInvalidate() {
    Map<String, Object> r = new H()
        .inv(0, 0, "broadcast", 0L).ok(1, 0, "broadcast", 0L)
        .inv(2, 1, "read", null).op(3, OpType.FAIL, 1, "read", null)
        .inv(4, 1, "read", null).op(5, OpType.INFO, 1, "read", null)
        .inv(6, 2, "read", null).ok(7, 2, "read", List.of(0L, 0L))
        .check();
    assertEquals(true, r.get("valid?"));
    assertEquals(0L, r.get("duplicated-count"));
  }

  @Test
  void floatIsNotTheSameElementAsInteger() {
    Map<String, Object> r = new H()
        .inv(0, 0, "broadcast", 1L).ok(1, 0, "broadcast", 1L)
        .inv(2, 1, "read", null).ok(3, 1, "read", List.of(1.0))
        .check();
    assertEquals(false, r.get("valid?"));
  }

  @Test
  void noElementsIsUnknown() {
    Map<String, Object> r = new H().inv(0, 1, "read", null).ok(1, 1, "read", List.of()).check();
    assertEquals("unknown", r.get("valid?"));
    assertNull(r.get("stable-latencies"));
  }

  @Test
  void quantilesFollowJepsenIndexing() {
    List<Long> v = new ArrayList<>();
    for (long i = 1; i <= 10; i++) v.add(11 - i);
    assertEquals(Map.of("0", 1L, "0.5", 6L, "0.95", 10L, "0.99", 10L, "1", 10L), SetFullChecker.quantiles(v));
    List<Long> hundred = new ArrayList<>();
    for (long i = 0; i < 100; i++) hundred.add(i);
    assertEquals(Map.of("0", 0L, "0.5", 50L, "0.95", 95L, "0.99", 99L, "1", 99L), SetFullChecker.quantiles(hundred));
  }

  @Test
  void gsetUsesAddAndIgnoresOtherFs() {
    List<Op> ops = new ArrayList<>();
    ops.add(new Op(-1, 0, OpType.INVOKE, 0, "add", 5L, null, null, false, null));
    ops.add(new Op(-1, 1, OpType.OK, 0, "add", 5L, null, null, false, null));
    ops.add(new Op(-1, 2, OpType.INVOKE, 1, "read", null, null, null, false, null));
    ops.add(new Op(-1, 3, OpType.OK, 1, "read", List.of(), null, null, false, null));
    ops.add(new Op(-1, 4, OpType.INFO, Op.NEMESIS, "start-partition", null, null, null, false, null));
    Map<String, Object> r = new SetFullChecker("add").check(CheckContext.forTest(1, Map.of()), new History(ops));
    assertEquals(false, r.get("valid?"));
    assertEquals(List.of(5L), r.get("lost"));
  }
}
