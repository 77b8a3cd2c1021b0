package glomers.harness.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportDataTest {
  static final long MS = 1_000_000L;

  static Op op(long timeMs, OpType type, long process, String f, Object value) {
    return new Op(-1, timeMs * MS, type, process, f, value, null, null, false, null);
  }

  static Op nem(long timeMs, String f, Object value) {
    return op(timeMs, OpType.INFO, Op.NEMESIS, f, value);
  }

  @Test
  void latenciesPairInvocationsWithCompletionsAndSkipPending() {
    History h = History.of(
        op(100, OpType.INVOKE, 0, "read", null),
        op(130, OpType.INVOKE, 1, "write", 3L),
        op(150, OpType.OK, 0, "read", 3L),
        op(1130, OpType.INFO, 1, "write", 3L),
        op(2000, OpType.INVOKE, 0, "read", null));
    List<ReportData.LatencyPoint> ps = ReportData.latencies(h);
    assertEquals(2, ps.size());
    assertEquals(0.1, ps.get(0).tSec(), 1e-9);
    assertEquals(50.0, ps.get(0).latencyMs(), 1e-9);
    assertEquals(OpType.OK, ps.get(0).outcome());
    assertEquals(1000.0, ps.get(1).latencyMs(), 1e-9);
    assertEquals(OpType.INFO, ps.get(1).outcome());
    assertEquals("write", ps.get(1).f());
  }

  @Test
  void throughputBucketsCompletionsByOutcomeAsRatesPerSecond() {
    History h = History.of(
        op(0, OpType.INVOKE, 0, "read", null),
        op(100, OpType.OK, 0, "read", 1L), // bucket 0
        op(200, OpType.INVOKE, 0, "read", null),
        op(499, OpType.OK, 0, "read", 1L), // bucket 0
        op(500, OpType.INVOKE, 0, "read", null),
        op(500, OpType.FAIL, 0, "read", null), // bucket 1: [0.5, 1.0)
        op(600, OpType.INVOKE, 0, "read", null),
        op(1700, OpType.INFO, 0, "read", null), // bucket 3
        nem(1800, "start-partition", null)); // nemesis ops are not throughput
    Map<OpType, double[]> t = ReportData.throughput(h, 0.5, 2.0);
    assertArrayEquals(new double[] {4, 0, 0, 0}, t.get(OpType.OK), 1e-9);
    assertArrayEquals(new double[] {0, 2, 0, 0}, t.get(OpType.FAIL), 1e-9);
    assertArrayEquals(new double[] {0, 0, 0, 2}, t.get(OpType.INFO), 1e-9);
    assertEquals(List.of(OpType.OK, OpType.FAIL, OpType.INFO), new ArrayList<>(t.keySet()));
  }

  @Test
  void bucketCountCoversTheWholeRunAndLateEventsLandInTheLastBucket() {
    assertEquals(4, ReportData.bucketCount(2.0, 0.5));
    assertEquals(5, ReportData.bucketCount(2.01, 0.5));
    assertEquals(1, ReportData.bucketCount(0.0001, 1));
    History h = History.of(op(0, OpType.INVOKE, 0, "read", null), op(2000, OpType.OK, 0, "read", null));
    assertArrayEquals(new double[] {0, 0, 0, 2}, ReportData.throughput(h, 0.5, 2.0).get(OpType.OK), 1e-9);
  }

  @Test
  void partitionPeriodsRunFromStartToTheCompletionOfTheStop() {
    History h = History.of(
        nem(10, "start-partition", null),
        nem(12, "start-partition", Map.of("n0", List.of("n1"))),
        op(20, OpType.INVOKE, 0, "read", null),
        nem(3000, "stop-partition", null),
        nem(3005, "stop-partition", "network healed"),
        nem(5000, "start-partition", null),
        nem(5001, "start-partition", "majority"));
    List<ReportData.Period> ps = ReportData.partitions(h, 9.0);
    assertEquals(2, ps.size());
    assertEquals(0.010, ps.get(0).startSec(), 1e-9);
    assertEquals(3.005, ps.get(0).endSec(), 1e-9);
    assertEquals("{\"n0\":[\"n1\"]}", ps.get(0).label());
    // still partitioned when the history ends: shaded to the end of the run
    assertEquals(5.0, ps.get(1).startSec(), 1e-9);
    assertEquals(9.0, ps.get(1).endSec(), 1e-9);
    assertEquals("\"majority\"", ps.get(1).label());
  }

  @Test
  void eachFaultKindHasItsOwnPeriodsAndColour() {
    History h = History.of(nem(1000, "start-partition", null), nem(1001, "start-partition", List.of("isolated")),
        nem(2000, "stop-partition", null), nem(2001, "stop-partition", "network-healed"),
        nem(3000, "start-kill", null), nem(3001, "start-kill", List.of("killed", List.of("n1"))),
        nem(4000, "stop-kill", null), nem(4500, "stop-kill", List.of("restarted", List.of("n1"))),
        nem(5000, "start-pause", null), nem(5001, "start-pause", List.of("paused", List.of("n0"))));
    List<ReportData.Period> ps = ReportData.partitions(h, 9.0);
    assertEquals(List.of("partition", "kill", "pause"), ps.stream().map(ReportData.Period::kind).toList());
    assertEquals(4.5, ps.get(1).endSec(), 1e-9, "a kill ends when its restart completed");
    assertEquals(9.0, ps.get(2).endSec(), 1e-9, "a pause never stopped lasts to the end");
    assertTrue(!Charts.shade("kill").equals(Charts.shade("partition")) && !Charts.shade("pause").equals(Charts.shade("kill")));
  }

  @Test
  void noNemesisNoPeriodsAndAStrayStopIsIgnored() {
    assertTrue(ReportData.partitions(History.of(op(1, OpType.INVOKE, 0, "read", null)), 5).isEmpty());
    assertTrue(ReportData.partitions(History.of(nem(1, "stop-partition", null), nem(2, "stop-partition", null)), 5).isEmpty());
  }

  @Test
  void messageRatesPerSecondByCategoryWithUndeliveredCountedSeparately() {
    List<NetMessage> msgs = List.of(
        new NetMessage(1, "c1", "n0", "read", 100 * MS, 101 * MS),
        new NetMessage(2, "n0", "c1", "read_ok", 200 * MS, 201 * MS),
        new NetMessage(3, "n0", "n1", "gossip", 300 * MS, 400 * MS),
        new NetMessage(4, "n1", "n0", "gossip", 1200 * MS, NetMessage.UNDELIVERED), // dropped
        new NetMessage(5, "n1", "seq-kv", "read", 1500 * MS, 1600 * MS),
        new NetMessage(6, "seq-kv", "n1", "read_ok", 1600 * MS, 1601 * MS));
    Map<String, double[]> r = ReportData.messageRates(msgs, 1.0, 2.0);
    assertArrayEquals(new double[] {2, 0}, r.get(ReportData.CLIENTS), 1e-9);
    assertArrayEquals(new double[] {1, 1}, r.get(ReportData.NODES), 1e-9);
    assertArrayEquals(new double[] {0, 2}, r.get(ReportData.SERVICES), 1e-9);
    assertArrayEquals(new double[] {0, 1}, r.get(ReportData.DROPPED), 1e-9);
    // half-second buckets double the rate of a single message
    assertArrayEquals(new double[] {0, 0, 2, 0}, ReportData.messageRates(msgs, 0.5, 2.0).get(ReportData.DROPPED), 1e-9);
  }

  @Test
  void perNodeSendRatesHaveARowPerNodeEvenWhenSilentAndSkipClients() {
    List<NetMessage> msgs = List.of(
        new NetMessage(1, "c1", "n0", "read", 100 * MS, 101 * MS), // client traffic: not a node's own sending
        new NetMessage(2, "n0", "c1", "read_ok", 200 * MS, 201 * MS),
        new NetMessage(3, "n0", "n1", "gossip", 300 * MS, 400 * MS),
        new NetMessage(4, "n0", "n1", "gossip", 1300 * MS, NetMessage.UNDELIVERED), // sent counts, delivered or not
        new NetMessage(5, "n1", "seq-kv", "read", 1500 * MS, 1600 * MS),
        new NetMessage(6, "seq-kv", "n1", "read_ok", 1600 * MS, 1601 * MS));
    Map<String, double[]> r = ReportData.perNodeSendRates(msgs, List.of("n0", "n1", "n2"), 1.0, 2.0);
    assertEquals(List.of("n0", "n1", "n2", "seq-kv"), new ArrayList<>(r.keySet()));
    assertArrayEquals(new double[] {1, 1}, r.get("n0"), 1e-9);
    assertArrayEquals(new double[] {0, 1}, r.get("n1"), 1e-9);
    assertArrayEquals(new double[] {0, 0}, r.get("n2"), 1e-9);
    assertArrayEquals(new double[] {0, 1}, r.get("seq-kv"), 1e-9);
  }

  @Test
  void pairCountsFoldClientsIntoOneLane() {
    Map<String, Map<String, Long>> c = ReportData.pairCounts(List.of(
        new NetMessage(1, "c1", "n0", "read", 0, 1),
        new NetMessage(2, "c7", "n0", "read", 0, 1),
        new NetMessage(3, "n0", "n1", "gossip", 0, 1)));
    assertEquals(2L, c.get("clients").get("n0"));
    assertEquals(1L, c.get("n0").get("n1"));
  }

  @Test
  void stableLatenciesFollowSetFull() {
    // element 0: acked at 20 ms, a read invoked at 50 ms still misses it, the read at 300 ms sees it:
    //   stable, latency = (50 + 1ns) - 20 ms → 30 ms
    // element 1: acked at 100 ms, seen by the 300 ms read and never missed afterwards: latency 0
    // element 2: acked, then missed by the last read → lost, not stable
    History h = History.of(
        op(0, OpType.INVOKE, 0, "broadcast", 0L),
        op(20, OpType.OK, 0, "broadcast", 0L),
        op(50, OpType.INVOKE, 1, "read", null),
        op(60, OpType.OK, 1, "read", List.of()),
        op(90, OpType.INVOKE, 0, "broadcast", 1L),
        op(100, OpType.OK, 0, "broadcast", 1L),
        op(110, OpType.INVOKE, 0, "broadcast", 2L),
        op(120, OpType.OK, 0, "broadcast", 2L),
        op(300, OpType.INVOKE, 1, "read", null),
        op(310, OpType.OK, 1, "read", List.of(1L, 0L)));
    List<ReportData.Stable> s = ReportData.stableLatencies(h, "broadcast");
    assertEquals(2, s.size());
    assertEquals(0L, s.get(0).element());
    assertEquals(30, s.get(0).latencyMs());
    assertEquals(0.020, s.get(0).knownSec(), 1e-9);
    assertEquals(1L, s.get(1).element());
    assertEquals(0, s.get(1).latencyMs());
  }

  @Test
  void stableLatencyKnownFromAReadBeforeTheAckAndNonIntegerElements() {
    History h = History.of(
        op(0, OpType.INVOKE, 0, "add", "x"),
        op(5, OpType.INVOKE, 1, "read", null),
        op(10, OpType.OK, 1, "read", List.of("x")), // seen before the ack: known here
        op(40, OpType.OK, 0, "add", "x"),
        op(50, OpType.INVOKE, 1, "read", null),
        op(60, OpType.OK, 1, "read", List.of("x")));
    List<ReportData.Stable> s = ReportData.stableLatencies(h, "add");
    assertEquals(1, s.size());
    assertEquals(0.010, s.get(0).knownSec(), 1e-9);
    assertEquals(0, s.get(0).latencyMs());
  }

  @Test
  void anomalyOpsAreFoundUnderAnomaliesOrTopLevelKeysAndDeduplicated() {
    Map<String, Object> writer = Map.of("index", 18L, "time", 5L, "type", "ok", "process", 1L, "f", "txn", "value", List.of());
    Map<String, Object> reader = Map.of("index", 20L, "time", 9L, "type", "ok", "process", 0L, "f", "txn", "value", List.of());
    Map<String, Object> workload = new LinkedHashMap<>();
    workload.put("valid?", false);
    workload.put("anomaly-types", List.of("G1b"));
    workload.put("anomalies", Map.of("G1b", List.of(Map.of("op", reader, "writer", writer, "mop", List.of("r", 9L, 5L)),
        Map.of("op", reader, "writer", writer))));
    workload.put("lost-write", Map.of("count", 1L, "errs", List.of(Map.of("writer", writer))));
    Map<String, List<Map<String, Object>>> a = ReportData.anomalyOps(workload, 100);
    assertEquals(List.of("G1b", "lost-write"), new ArrayList<>(a.keySet()));
    assertEquals(2, a.get("G1b").size());
    assertEquals(18L, a.get("G1b").get(0).get("index")); // history order
    assertEquals(1, a.get("lost-write").size());
    assertTrue(ReportData.anomalyOps(Map.of("valid?", true, "lost", List.of()), 10).isEmpty());
    // Report keeps only the named types when a checker names them
    assertEquals(List.of("G1b"), new ArrayList<>(Report.Model.highlighted(workload).keySet()));
  }

  @Test
  void quantilesUseOkOpsOnly() {
    List<ReportData.LatencyPoint> ps = new ArrayList<>();
    for (int i = 1; i <= 100; i++) ps.add(new ReportData.LatencyPoint(0, i, OpType.OK, "read", 0, 0));
    ps.add(new ReportData.LatencyPoint(0, 5000, OpType.INFO, "read", 0, 0));
    ReportData.Quantiles q = ReportData.quantiles(ps, true);
    assertEquals(100, q.count());
    assertEquals(50, q.p50(), 0.1);
    assertEquals(99, q.p99(), 0.1);
    assertEquals(100, q.max(), 0.1);
    assertEquals(0, ReportData.quantiles(List.of(), true).count());
  }

  @Test
  void emptyHistoryHasNoStableElements() {
    assertTrue(ReportData.stableLatencies(History.of(), "broadcast").isEmpty());
  }
}
