package glomers.harness.workload.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.harness.check.CheckContext;
import glomers.harness.history.History;
import glomers.harness.history.OpType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RwRegisterCheckerTest {
  static Map<String, Object> check(String model, History h) {
    Map<String, Object> opts = model == null ? Map.of() : Map.of("consistency-models", List.of(model));
    return new RwRegisterChecker().check(CheckContext.forTest(2, opts), h);
  }

  @SuppressWarnings("unchecked")
  static List<String> types(Map<String, Object> r) {
    return (List<String>) r.get("anomaly-types");
  }

  @Test
  void serialHistoryIsValidWithMaelstromShape() {
    History h = new TxnHist().ok(0, "r 1 nil; w 1 1").ok(1, "r 1 1; w 2 1").ok(0, "r 2 1; r 1 1").build();
    for (String m : new String[] {"read-uncommitted", "read-committed", "serializable", "strict-serializable"}) {
      Map<String, Object> r = check(m, h);
      assertEquals(true, r.get("valid?"), m + " " + r);
      assertEquals(List.of(), types(r));
      assertTrue(r.containsKey("anomalies"));
      assertNull(r.get("anomalies"));
    }
  }

  @Test
  void g1aAbortedRead() {
    History h = new TxnHist().fail(0, "w 1 1").ok(1, "r 1 1").ok(1, "w 2 1").ok(0, "r 2 1").build();
    Map<String, Object> r = check("read-committed", h);
    assertEquals(false, r.get("valid?"));
    assertEquals(List.of("G1a"), types(r));
    assertEquals(true, check("read-uncommitted", h).get("valid?"));
  }

  @Test
  void g1bIntermediateRead() {
    History h = new TxnHist().invoke(0, "w 1 1; w 1 2").invoke(1, "r 1 nil")
        .complete(1, OpType.OK, "r 1 1").complete(0, OpType.OK, "w 1 1; w 1 2").build();
    Map<String, Object> r = check("read-committed", h);
    assertEquals(false, r.get("valid?"));
    assertTrue(types(r).contains("G1b"), r.toString());
  }

  @Test
  void internalAndLostUpdateOnlyUnderStrongModels() {
    History internal = new TxnHist().ok(0, "w 1 1; r 1 2").ok(1, "w 1 2").ok(1, "r 1 2").build();
    assertEquals(true, check("read-committed", internal).get("valid?"), check("read-committed", internal).toString());
    Map<String, Object> s = check(null, internal);
    assertEquals(false, s.get("valid?"));
    assertTrue(types(s).contains("internal"));

    History lost = new TxnHist().invoke(0, "r 1 nil; w 1 1").invoke(1, "r 1 nil; w 1 2")
        .complete(0, OpType.OK, "r 1 nil; w 1 1").complete(1, OpType.OK, "r 1 nil; w 1 2").build();
    assertEquals(true, check("read-committed", lost).get("valid?"));
    Map<String, Object> r = check("serializable", lost);
    assertEquals(false, r.get("valid?"));
    assertTrue(types(r).contains("lost-update"), r.toString());
  }

  @Test
  void cyclicVersions() {
    History h = new TxnHist().invoke(0, "r 1 nil; w 1 2").invoke(1, "r 1 nil; w 1 1")
        .complete(0, OpType.OK, "r 1 1; w 1 2").complete(1, OpType.OK, "r 1 2; w 1 1").build();
    Map<String, Object> r = check("read-uncommitted", h);
    assertEquals(false, r.get("valid?"));
    assertTrue(types(r).contains("cyclic-versions"), r.toString());
  }

  @Test
  void g0WriteCycleFoundThroughWritesFollowReads() {
    History h = new TxnHist().invoke(0, "r 1 nil; w 1 11; w 2 20").invoke(1, "w 1 10; r 2 nil; w 2 21")
        .complete(0, OpType.OK, "r 1 10; w 1 11; w 2 20").complete(1, OpType.OK, "w 1 10; r 2 20; w 2 21").build();
    Map<String, Object> r = check("read-uncommitted", h);
    assertEquals(false, r.get("valid?"), r.toString());
    assertEquals(List.of("G0"), types(r));
    @SuppressWarnings("unchecked")
    Map<String, Object> cyc = (Map<String, Object>) ((List<Object>) ((Map<String, Object>) r.get("anomalies")).get("G0")).get(0);
    assertEquals("G0", cyc.get("type"));
    assertEquals(3, ((List<?>) cyc.get("cycle")).size());
    assertTrue(((String) cyc.get("explanation")).contains("contradiction"), (String) cyc.get("explanation"));
  }

  @Test
  void g1cCircularInformationFlow() {
    History h = new TxnHist().invoke(0, "w 1 1; r 2 nil").invoke(1, "w 2 1; r 1 nil")
        .complete(0, OpType.OK, "w 1 1; r 2 1").complete(1, OpType.OK, "w 2 1; r 1 1").build();
    assertEquals(true, check("read-uncommitted", h).get("valid?"));
    Map<String, Object> r = check("read-committed", h);
    assertEquals(false, r.get("valid?"));
    assertEquals(List.of("G1c"), types(r));
  }

  @Test
  void gSingleAndG2ItemOnlyUnderSerializable() {
    // T0 sees T1's write of 2 but not its write of 1: read skew, one anti-dependency.
    History single = new TxnHist().invoke(0, "r 1 nil; r 2 nil").invoke(1, "w 1 1; w 2 1")
        .complete(0, OpType.OK, "r 1 nil; r 2 1").complete(1, OpType.OK, "w 1 1; w 2 1").build();
    assertEquals(true, check("read-committed", single).get("valid?"));
    Map<String, Object> r = check("serializable", single);
    assertEquals(false, r.get("valid?"));
    assertEquals(List.of("G-single"), types(r));

    History skew = new TxnHist().invoke(0, "r 1 nil; w 2 1").invoke(1, "r 2 nil; w 1 1")
        .complete(0, OpType.OK, "r 1 nil; w 2 1").complete(1, OpType.OK, "r 2 nil; w 1 1").build();
    assertEquals(true, check("read-committed", skew).get("valid?"));
    Map<String, Object> s = check("serializable", skew);
    assertEquals(false, s.get("valid?"));
    assertEquals(List.of("G2-item"), types(s));
  }

  @Test
  void staleReadIsRealtimeAnomalyUnderStrictOnly() {
    History h = new TxnHist().ok(0, "w 1 1").ok(1, "r 1 nil").build();
    assertEquals(true, check("serializable", h).get("valid?"));
    Map<String, Object> r = check("strict-serializable", h);
    assertEquals(false, r.get("valid?"));
    assertEquals(List.of("G-single-realtime"), types(r));
  }

  @Test
  void emptyGraphIsFalseUnderMaelstromWrapper() {
    // Observed on Maelstrom: read-only txns ok with nil reads, every write fails → RU false; strict valid.
    History h = new TxnHist().ok(0, "r 1 nil").fail(1, "w 1 1").ok(0, "r 2 nil").build();
    Map<String, Object> r = check("read-uncommitted", h);
    assertEquals(false, r.get("valid?"));
    assertEquals(List.of("empty-transaction-graph"), types(r));
    assertEquals(true, check("strict-serializable", h).get("valid?"));
  }

  @Test
  void nilReadsWithAckedWritesObserved() {
    // Observed: a node that acks writes but always reads null: RU valid, strict invalid (G2-item, internal, lost-update).
    TxnHist b = new TxnHist();
    b.invoke(0, "r 1 nil; w 1 1").invoke(1, "r 1 nil; w 1 2; r 1 nil")
        .complete(0, OpType.OK, "r 1 nil; w 1 1").complete(1, OpType.OK, "r 1 nil; w 1 2; r 1 nil");
    b.ok(0, "r 2 nil; w 3 1").ok(1, "r 3 nil; w 2 1");
    History h = b.build();
    assertEquals(true, check("read-uncommitted", h).get("valid?"));
    Map<String, Object> r = check("strict-serializable", h);
    assertEquals(false, r.get("valid?"));
    assertTrue(types(r).containsAll(List.of("internal", "lost-update")), r.toString());
    assertTrue(types(r).stream().anyMatch(t -> t.startsWith("G")), r.toString());
  }

  @Test
  void malformedTxnIsUnknown() {
    History h = History.of(glomers.harness.history.Op.invoke(0, "txn", List.of()).withIndex(0),
        new glomers.harness.history.Op(1, 1, OpType.OK, 0, "txn", "garbage", null, null, false, null));
    assertEquals("unknown", check("read-committed", h).get("valid?"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void g1bExampleFromRealMaelstromResults() {
    // examples/txn-rw-register-invalid-G1b-G1c.edn, first G1b case: p1 wrote 9=5 then 9=6; p0 read 9=5.
    History h = new TxnHist().invoke(1, "w 9 5; w 6 1; r 9 nil; w 9 6").invoke(0, "r 9 nil; r 8 nil; r 7 nil; r 9 nil")
        .complete(1, OpType.OK, "w 9 5; w 6 1; r 9 5; w 9 6").complete(0, OpType.OK, "r 9 5; r 8 nil; r 7 nil; r 9 6")
        .ok(1, "r 6 1").build();
    Map<String, Object> r = check("read-committed", h);
    assertEquals(false, r.get("valid?"));
    assertEquals(List.of("G1b"), types(r)); // internal (9=5 then 9=6) is found but not reportable under RC
    Map<String, Object> g1b = (Map<String, Object>) ((List<Object>) ((Map<String, Object>) r.get("anomalies")).get("G1b")).get(0);
    assertEquals(List.of("r", 9L, 5L), g1b.get("mop"));
    assertEquals(1L, ((Map<String, Object>) g1b.get("writer")).get("process"));
    assertEquals(0L, ((Map<String, Object>) g1b.get("op")).get("process"));
  }

  @Test
  void interleavedWritesG0IsInvisibleAsInMaelstrom56() {
    // T0 and T1 write keys 1 and 2 in interleaved order (final state 1=2 from T1, 2=2 from T0: a dirty-write
    // cycle), but nothing reads-then-writes, so Elle's version order has no ww edge: valid, as on Maelstrom.
    History h = new TxnHist().invoke(0, "w 1 1; w 2 2").invoke(1, "w 2 1; w 1 2")
        .complete(0, OpType.OK, "w 1 1; w 2 2").complete(1, OpType.OK, "w 2 1; w 1 2")
        .ok(2, "r 1 nil; r 2 nil").build();
    History filled = new TxnHist().invoke(0, "w 1 1; w 2 2").invoke(1, "w 2 1; w 1 2")
        .complete(0, OpType.OK, "w 1 1; w 2 2").complete(1, OpType.OK, "w 2 1; w 1 2")
        .ok(2, "r 1 2; r 2 2").build();
    assertEquals(true, check("read-uncommitted", filled).get("valid?"));
    assertEquals(true, check("read-committed", filled).get("valid?"));
    assertEquals(true, check("read-uncommitted", h).get("valid?"));
  }

  @Test
  void gNonadjacentAlternatingAntiDependencies() {
    // T0 -rw(1)-> T1 -wr(2)-> T2 -rw(3)-> T3 -wr(4)-> T0: two rw edges, never adjacent.
    History h = new TxnHist().invoke(0, "r 1 nil; r 4 nil").invoke(1, "w 1 1; w 2 1").invoke(2, "r 2 nil; r 3 nil")
        .invoke(3, "w 3 1; w 4 1")
        .complete(0, OpType.OK, "r 1 nil; r 4 1").complete(1, OpType.OK, "w 1 1; w 2 1")
        .complete(2, OpType.OK, "r 2 1; r 3 nil").complete(3, OpType.OK, "w 3 1; w 4 1").build();
    assertEquals(true, check("read-committed", h).get("valid?"));
    Map<String, Object> r = check("serializable", h);
    assertEquals(false, r.get("valid?"));
    assertEquals(List.of("G-nonadjacent"), types(r));
    assertEquals(false, check("snapshot-isolation", h).get("valid?"));
  }

  @Test
  void processVariantNeedsSessionModel() {
    // Process 0 writes 1 = 1, then in its next txn reads 1 = nil: not its own previous write.
    History h = new TxnHist().ok(0, "w 1 1").ok(0, "r 1 nil").ok(1, "r 1 1").build();
    assertEquals(true, check("serializable", h).get("valid?"));
    Map<String, Object> r = check("strong-session-serializable", h);
    assertEquals(false, r.get("valid?"));
    assertEquals(List.of("G-single-process"), types(r));
  }

  @Test
  void wrapperDropsCycleSearchTimeout() {
    Map<String, Object> elle = new java.util.LinkedHashMap<>();
    elle.put("valid?", "unknown");
    elle.put("anomaly-types", List.of("cycle-search-timeout"));
    elle.put("anomalies", Map.of("cycle-search-timeout", List.of(Map.of())));
    Map<String, Object> w = RwRegisterChecker.maelstromWrapper(elle);
    assertEquals(true, w.get("valid?"));
    assertEquals(List.of(), w.get("anomaly-types"));
  }
}
