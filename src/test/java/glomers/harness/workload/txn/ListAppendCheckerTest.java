package glomers.harness.workload.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.harness.check.CheckContext;
import glomers.harness.history.History;
import glomers.harness.history.OpType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListAppendCheckerTest {
  static Map<String, Object> check(String model, History h) {
    Map<String, Object> opts = model == null ? Map.of() : Map.of("consistency-models", List.of(model));
    return new ListAppendChecker().check(CheckContext.forTest(2, opts), h);
  }

  @SuppressWarnings("unchecked")
  static List<String> types(Map<String, Object> r) {
    return (List<String>) r.get("anomaly-types");
  }

  @Test
  void serialHistoryIsValid() {
    History h = new TxnHist().ok(0, "append 1 1; r 1 [1]").ok(1, "r 1 [1]; append 1 2; append 2 1")
        .ok(0, "r 1 [1 2]; r 2 [1]").build();
    for (String m : new String[] {"read-committed", "serializable", "strict-serializable"}) {
      Map<String, Object> r = check(m, h);
      assertEquals(Map.of("valid?", true), r, m);
    }
  }

  @Test
  void duplicateElementsAndInternal() {
    // The shape of the real invalid example: a read listing 4 twice.
    History h = new TxnHist().ok(0, "append 9 4").ok(1, "append 9 5").ok(0, "r 9 [4 4 5]").build();
    Map<String, Object> r = check("read-uncommitted", h);
    assertEquals(false, r.get("valid?"));
    assertTrue(types(r).contains("duplicate-elements"), r.toString());
  }

  @Test
  void incompatibleOrder() {
    History h = new TxnHist().ok(0, "append 1 1").ok(1, "append 1 2").ok(0, "r 1 [1 2]").ok(1, "r 1 [2 1]").build();
    Map<String, Object> r = check("read-committed", h);
    assertEquals(false, r.get("valid?"));
    assertTrue(types(r).contains("incompatible-order"), r.toString());
    assertEquals(true, check("read-uncommitted", h).get("valid?") != Boolean.FALSE || types(check("read-uncommitted", h)).contains("G0"));
  }

  @Test
  void g1aG1bAndDirtyUpdate() {
    History g1a = new TxnHist().fail(0, "append 1 1").ok(1, "r 1 [1]").ok(1, "append 2 1").ok(0, "r 2 [1]").build();
    Map<String, Object> r = check("read-committed", g1a);
    assertEquals(false, r.get("valid?"));
    assertTrue(types(r).contains("G1a"), r.toString());

    History g1b = new TxnHist().invoke(0, "append 1 1; append 1 2").ok(1, "r 1 [1]")
        .complete(0, OpType.OK, "append 1 1; append 1 2").ok(1, "r 1 [1 2]").build();
    Map<String, Object> b = check("read-committed", g1b);
    assertEquals(false, b.get("valid?"));
    assertTrue(types(b).contains("G1b"), b.toString());

    History dirty = new TxnHist().fail(0, "append 1 1").ok(1, "append 1 2").ok(1, "append 1 3").ok(1, "r 1 [1 2 3]").build();
    Map<String, Object> d = check("read-committed", dirty);
    assertEquals(false, d.get("valid?"));
    assertTrue(types(d).contains("dirty-update"), d.toString());
  }

  @Test
  void internalAndLostUpdateOnlyUnderSerializable() {
    History h = new TxnHist().ok(0, "append 1 1; r 1 []").ok(1, "r 1 [1]").build();
    assertEquals(true, check("read-committed", h).get("valid?"));
    assertTrue(types(check("serializable", h)).contains("internal"));

    History lost = new TxnHist().invoke(0, "r 1 nil; append 1 1").invoke(1, "r 1 nil; append 1 2")
        .complete(0, OpType.OK, "r 1 nil; append 1 1").complete(1, OpType.OK, "r 1 nil; append 1 2")
        .ok(0, "r 1 [1 2]").build();
    Map<String, Object> r = check("serializable", lost);
    assertEquals(false, r.get("valid?"));
    assertTrue(types(r).contains("lost-update"), r.toString());
    assertEquals(true, check("read-committed", lost).get("valid?"));
  }

  /** n concurrent txns, each reading the next one's append: one G1c ring, an SCC of n transactions. */
  static History g1cRing(int n) {
    TxnHist t = new TxnHist();
    for (int i = 0; i < n; i++) t.invoke(i, "append " + i + " 1; r " + ((i + 1) % n) + " nil");
    for (int i = 0; i < n; i++) t.complete(i, OpType.OK, "append " + i + " 1; r " + ((i + 1) % n) + " [1]");
    return t.build();
  }

  @Test
  void largestSccsAreReportedAndALargeOneWarnsOfMaelstromsTimeout() {
    Map<String, Object> small = check("read-committed", g1cRing(2));
    assertEquals(List.of("G1c"), types(small));
    assertEquals(List.of(2), small.get("largest-sccs"));
    assertEquals(null, glomers.harness.results.Results.sccWarning(Map.of("workload", small)));

    Map<String, Object> large = check("read-committed", g1cRing(300));
    assertEquals(List.of(300), large.get("largest-sccs"));
    String warning = glomers.harness.results.Results.sccWarning(Map.of("workload", large));
    assertTrue(warning != null && warning.contains("300") && warning.contains("time out"), warning);
  }

  /** n concurrent txns, each appending to its own key and reading the next key before its append: an rw ring. */
  static History staleReadRing(int n) {
    TxnHist t = new TxnHist();
    for (int i = 0; i < n; i++) t.invoke(i, "append " + i + " 1; r " + ((i + 1) % n) + " nil");
    for (int i = 0; i < n; i++) t.complete(i, OpType.OK, "append " + i + " 1; r " + ((i + 1) % n) + " nil");
    return t.build();
  }

  @Test
  void readCommittedSccsIncludeAntiDependenciesAsInMaelstromsElle() {
    // Read committed allows this ring (G2-item), yet Elle still splits the full ww/wr/rw graph into SCCs and
    // searches each one, so the ring is one 300-transaction SCC that costs Maelstrom its budget.
    Map<String, Object> rc = check("read-committed", staleReadRing(300));
    assertEquals(true, rc.get("valid?"), rc.toString());
    assertEquals(List.of(300), rc.get("largest-sccs"));
    String warning = glomers.harness.results.Results.sccWarning(Map.of("workload", rc));
    assertTrue(warning != null && warning.contains("300") && warning.contains("time out"), warning);

    Map<String, Object> ser = check("serializable", staleReadRing(3));
    assertEquals(false, ser.get("valid?"));
    assertEquals(List.of("G2-item"), types(ser));
  }

  @Test
  void g1cAndG0Cycles() {
    History g1c = new TxnHist().invoke(0, "append 1 1; r 2 nil").invoke(1, "append 2 1; r 1 nil")
        .complete(0, OpType.OK, "append 1 1; r 2 [1]").complete(1, OpType.OK, "append 2 1; r 1 [1]").build();
    Map<String, Object> r = check("read-committed", g1c);
    assertEquals(false, r.get("valid?"));
    assertEquals(List.of("G1c"), types(r));

    History g0 = new TxnHist().invoke(0, "append 1 1; append 2 2").invoke(1, "append 1 2; append 2 1")
        .complete(0, OpType.OK, "append 1 1; append 2 2").complete(1, OpType.OK, "append 1 2; append 2 1")
        .ok(2, "r 1 [1 2]; r 2 [1 2]").build();
    Map<String, Object> g = check("read-uncommitted", g0);
    assertEquals(false, g.get("valid?"));
    assertEquals(List.of("G0"), types(g));
  }

  @Test
  void staleReadIsRealtimeUnderStrict() {
    History h = new TxnHist().ok(0, "append 1 1").ok(1, "r 1 nil").ok(0, "r 1 [1]").build();
    assertEquals(true, check("serializable", h).get("valid?"));
    Map<String, Object> r = check("strict-serializable", h);
    assertEquals(false, r.get("valid?"));
    assertTrue(types(r).contains("G-single-realtime"), r.toString());
  }

  @Test
  void unknownOnEmptyGraphAndMalformedHistories() {
    History empty = new TxnHist().ok(0, "r 1 nil").build();
    Map<String, Object> r = check("read-committed", empty);
    assertEquals("unknown", r.get("valid?"));
    assertEquals(List.of("empty-transaction-graph"), types(r));

    History twice = new TxnHist().ok(0, "append 1 1").ok(1, "append 1 1").build();
    assertEquals("unknown", check("read-committed", twice).get("valid?"));
    History bad = new TxnHist().ok(0, "w 1 1").build();
    assertEquals("unknown", check("read-committed", bad).get("valid?"));
  }
}
