package glomers.harness.workload.linkv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.harness.check.CheckContext;
import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Golden valid and invalid lin-kv histories for the per-key linearizability checker. */
class LinKvCheckerTest {
  /** A tiny history DSL: ops are appended in the order written (= real-time order). */
  static final class H {
    final List<Op> ops = new ArrayList<>();
    final Map<Long, Op> open = new java.util.HashMap<>();
    long t;

    H inv(long p, String f, Object k, Object v) {
      if (k instanceof Integer i) k = (long) i;
      Op o = new Op(-1, t++, OpType.INVOKE, p, f, Arrays.asList(k, v), null, null, false, null);
      ops.add(o);
      open.put(p, o);
      return this;
    }

    H w(long p, Object k, long v) {
      return inv(p, "write", k, v);
    }

    H r(long p, Object k) {
      return inv(p, "read", k, null);
    }

    H cas(long p, Object k, long a, long b) {
      return inv(p, "cas", k, List.of(a, b));
    }

    H done(long p, OpType type, Object readValue) {
      Op i = open.remove(p);
      Object v = i.f().equals("read") && type == OpType.OK ? Arrays.asList(((List<?>) i.value()).get(0), readValue) : i.value();
      ops.add(new Op(-1, t++, type, p, i.f(), v, null, null, false, null));
      return this;
    }

    H ok(long p) {
      return done(p, OpType.OK, null);
    }

    H ok(long p, Object readValue) {
      return done(p, OpType.OK, readValue);
    }

    H fail(long p) {
      return done(p, OpType.FAIL, null);
    }

    H info(long p) {
      return done(p, OpType.INFO, null);
    }

    Map<String, Object> check() {
      return new LinKvChecker().check(CheckContext.forTest(2, Map.of()), new History(ops));
    }
  }

  private static Object valid(Map<String, Object> r) {
    return r.get("valid?");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> lin(Map<String, Object> r, String key) {
    return (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) r.get("results")).get(key)).get("linearizable");
  }

  @Test
  void sequentialHistoryIsLinearizable() {
    H h = new H().w(0, 0, 1).ok(0).r(1, 0).ok(1, 1L).cas(0, 0, 1, 2).ok(0).r(1, 0).ok(1, 2L);
    Map<String, Object> r = h.check();
    assertEquals(true, valid(r));
    assertEquals(List.of(), r.get("failures"));
    assertEquals(2L, ((Map<?, ?>) ((Map<?, ?>) ((List<?>) lin(r, "0").get("configs")).get(0)).get("model")).get("value"));
  }

  @Test
  void concurrentReadMaySeeEitherValue() {
    // read overlaps write 2: both 1 and 2 are fine
    for (long seen : new long[] {1, 2}) {
      H h = new H().w(0, 0, 1).ok(0).r(1, 0).w(0, 0, 2).ok(1, seen).ok(0);
      assertEquals(true, valid(h.check()), "read " + seen);
    }
  }

  @Test
  void staleReadIsNotLinearizable() {
    H h = new H().w(0, 0, 1).ok(0).w(0, 0, 2).ok(0).r(1, 0).ok(1, 1L);
    Map<String, Object> r = h.check();
    assertEquals(false, valid(r));
    assertEquals(List.of(0L), r.get("failures"));
    Map<String, Object> l = lin(r, "0");
    assertEquals("read", ((Map<?, ?>) l.get("op")).get("f"));
    String why = (String) l.get("explanation");
    assertTrue(why.contains("cannot linearize read 1"), why);
    assertTrue(why.contains("register at 2"), why);
  }

  @Test
  void lostWriteIsNotLinearizable() {
    // cas 1→3 was acknowledged, yet a later read still sees 1
    H h = new H().w(0, 0, 1).ok(0).cas(1, 0, 1, 3).ok(1).r(2, 0).ok(2, 1L);
    assertEquals(false, valid(h.check()));
  }

  @Test
  void casOnStaleValueIsNotLinearizable() {
    H h = new H().w(0, 0, 1).ok(0).w(1, 0, 2).ok(1).cas(2, 0, 1, 3).ok(2);
    Map<String, Object> r = h.check();
    assertEquals(false, valid(r));
    assertEquals("cas", ((Map<?, ?>) lin(r, "0").get("op")).get("f"));
  }

  @Test
  void infoWriteMayTakeEffectLaterButOnlyOnce() {
    // write 2 is indeterminate: it may take effect between the two reads...
    H ok = new H().w(0, 0, 1).ok(0).w(1, 0, 2).info(1).r(2, 0).ok(2, 1L).r(2, 0).ok(2, 2L);
    assertEquals(true, valid(ok.check()));
    // ...or never...
    H never = new H().w(0, 0, 1).ok(0).w(1, 0, 2).info(1).r(2, 0).ok(2, 1L).r(2, 0).ok(2, 1L);
    assertEquals(true, valid(never.check()));
    // ...but not before it was invoked, and not twice.
    H early = new H().w(0, 0, 1).ok(0).r(2, 0).ok(2, 2L).w(1, 0, 2).info(1);
    assertEquals(false, valid(early.check()));
    H twice = new H().w(0, 0, 1).ok(0).w(1, 0, 2).info(1).r(2, 0).ok(2, 2L).w(0, 0, 1).ok(0).r(2, 0).ok(2, 2L);
    assertEquals(false, valid(twice.check()));
  }

  @Test
  void pendingInvocationAtTheEndBehavesLikeInfo() {
    H h = new H().w(0, 0, 1).ok(0).cas(1, 0, 1, 4).r(2, 0).ok(2, 4L);
    assertEquals(true, valid(h.check()));
  }

  @Test
  void failedOpsDidNotHappen() {
    H h = new H().w(0, 0, 1).ok(0).w(1, 0, 3).fail(1).r(2, 0).ok(2, 3L);
    assertEquals(false, valid(h.check()));
    H failedRead = new H().w(0, 0, 1).ok(0).r(1, 0).fail(1).r(2, 0).ok(2, 1L);
    assertEquals(true, valid(failedRead.check()));
  }

  @Test
  void nullReadsAreAlwaysLegalLikeKnossos() {
    H h = new H().w(0, 0, 1).ok(0).r(1, 0).ok(1, null).r(1, 0).ok(1, 1L);
    assertEquals(true, valid(h.check()));
  }

  @Test
  void keysAreIndependent() {
    H h = new H().w(0, 0, 1).ok(0).w(1, 1, 2).ok(1).r(2, 1).ok(2, 2L).r(3, 0).ok(3, 2L);
    Map<String, Object> r = h.check();
    assertEquals(false, valid(r));
    assertEquals(List.of(0L), r.get("failures"));
    assertEquals(true, ((Map<?, ?>) ((Map<?, ?>) r.get("results")).get("1")).get("valid?"));
  }

  @Test
  void budgetExhaustionGivesUnknownNotAHang() {
    // Many indeterminate writes of distinct values followed by a read nobody wrote: proving it
    // impossible means trying every subset/order; with a tiny budget the answer is unknown.
    H h = new H();
    for (int p = 0; p < 14; p++) h.w(p, 0, p).info(p);
    h.r(99, 0).ok(99, 1000L);
    Map<String, Object> r = new LinKvChecker(new CasRegisterLinearizability.Budget(1000, 10_000))
        .check(CheckContext.forTest(2, Map.of()), new History(h.ops));
    assertEquals("unknown", valid(r));
    assertEquals(false, valid(h.check()), "with the default budget the search completes");
  }

  @Test
  void goldenFromMaelstromInvalidExample() {
    // lin-kv-invalid.edn: process 0 reads 1 (completes at index 56), then process 1, whose read was
    // invoked at 55 (before), completes with 3 at 57 — with no write of 3 concurrent, impossible.
    H h = new H().w(2, 0, 1).ok(2).w(3, 0, 3).ok(3).w(2, 0, 1).ok(2).r(1, 0).r(0, 0).ok(0, 1L).ok(1, 3L);
    Map<String, Object> r = h.check();
    assertEquals(false, valid(r));
    Map<String, Object> l = lin(r, "0");
    assertEquals(3L, ((List<?>) ((Map<?, ?>) l.get("op")).get("value")).get(1));
    assertTrue(((List<?>) l.get("window")).size() >= 4);
  }

  /** A random linearizable history: ops take effect at a random instant inside their interval. */
  static List<Op> randomLinearizableHistory(long seed, int keys, int procsPerKey, long durationSec, double infoRate) {
    SplittableRandom rnd = new SplittableRandom(seed);
    record Ev(long time, int kind, Op op, Object payload) {}
    List<Ev> events = new ArrayList<>();
    long nextProcess = 0;
    for (int k = 0; k < keys; k++) {
      // Per key: generate op intervals per process, then values by linearization-point order.
      record Iv(long proc, long inv, long lin, long ret, String f, Object arg, boolean info) {}
      List<Iv> ivs = new ArrayList<>();
      for (int p = 0; p < procsPerKey; p++) {
        long proc = nextProcess++;
        long t = rnd.nextLong(20);
        while (t < durationSec * 1_000_000) {
          long dur = 200 + rnd.nextLong(20_000); // µs
          String f = p < procsPerKey / 2 ? "read" : (rnd.nextInt(3) == 0 ? "write" : "cas");
          Object arg = f.equals("write") ? (Object) (long) rnd.nextInt(5) : f.equals("cas") ? List.of((long) rnd.nextInt(5), (long) rnd.nextInt(5)) : null;
          boolean info = !f.equals("read") && rnd.nextDouble() < infoRate;
          long lin = t + rnd.nextLong(dur);
          if (info && rnd.nextBoolean()) lin = Long.MAX_VALUE; // never takes effect
          ivs.add(new Iv(proc, t, lin, t + dur, f, arg, info));
          if (info) proc += 1_000_000; // a crashed process is replaced
          t += dur + rnd.nextLong(50_000);
        }
      }
      ivs.sort((a, b) -> Long.compare(a.lin, b.lin));
      Object state = null;
      for (Iv iv : ivs) {
        Object result = null;
        OpType type = OpType.OK;
        if (iv.lin != Long.MAX_VALUE) {
          switch (iv.f) {
            case "read" -> result = state;
            case "write" -> state = iv.arg;
            default -> {
              List<?> ab = (List<?>) iv.arg;
              if (java.util.Objects.equals(state, ab.get(0))) state = ab.get(1);
              else type = OpType.FAIL;
            }
          }
        }
        if (iv.info) type = OpType.INFO;
        if (iv.f.equals("read") && result == null) type = OpType.FAIL; // missing key: error 20
        Object invVal = Arrays.asList((long) k, iv.f.equals("read") ? null : iv.arg);
        Object doneVal = Arrays.asList((long) k, iv.f.equals("read") ? result : iv.arg);
        events.add(new Ev(iv.inv, 0, new Op(-1, iv.inv * 1000, OpType.INVOKE, iv.proc, iv.f, invVal, null, null, false, null), null));
        events.add(new Ev(iv.ret, 1, new Op(-1, iv.ret * 1000, type, iv.proc, iv.f, doneVal, null, null, false, null), null));
      }
    }
    events.sort((a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Integer.compare(b.kind, a.kind));
    List<Op> ops = new ArrayList<>();
    for (Ev e : events) ops.add(e.op);
    return ops;
  }

  @Test
  void sixtySecondsAtRateHundredChecksWellUnderTenSeconds() {
    // 5 keys × 10 processes, ops of 0.2–20 ms every ≤ 50 ms → ≈ 100+ ops/s over 60 s, 2 % indeterminate.
    List<Op> ops = randomLinearizableHistory(1, 5, 10, 60, 0.02);
    assertTrue(ops.size() / 2 > 6000, "history has " + ops.size() / 2 + " ops");
    long t0 = System.nanoTime();
    Map<String, Object> r = new LinKvChecker().check(CheckContext.forTest(5, Map.of()), new History(ops));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(true, valid(r), String.valueOf(r.get("failures")));
    assertTrue(ms < 10_000, "checker took " + ms + " ms");
  }

  @Test
  void randomHistoriesAreValidAndCorruptingOneReadIsCaught() {
    for (long seed = 1; seed <= 20; seed++) {
      List<Op> ops = randomLinearizableHistory(seed, 1, 6, 2, 0.05);
      assertEquals(true, valid(new LinKvChecker().check(CheckContext.forTest(3, Map.of()), new History(ops))), "seed " + seed);
    }
    // Replace one ok read's value with a value never written: must be rejected.
    List<Op> ops = new ArrayList<>(randomLinearizableHistory(3, 1, 6, 2, 0.0));
    for (int i = ops.size() - 1; i >= 0; i--) {
      Op o = ops.get(i);
      if (o.isOk() && o.f().equals("read")) {
        ops.set(i, o.withValue(Arrays.asList(0L, 77L)));
        break;
      }
    }
    assertEquals(false, valid(new LinKvChecker().check(CheckContext.forTest(3, Map.of()), new History(ops))));
  }
}
