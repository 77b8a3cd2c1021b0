package glomers.workloads.broadcast;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import glomers.harness.check.CheckContext;
import glomers.harness.check.SetFullChecker;
import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import glomers.sim.SimTestCluster;
import org.junit.jupiter.api.Test;

/** The broadcast handler on the simulation engine: Maelstrom's 3d schedule driven step by step, and hand-made cases. */
class BroadcastHandlerTest {

  static Set<String> fields(JsonNode body) {
    Set<String> s = new HashSet<>();
    Iterator<String> it = body.fieldNames();
    while (it.hasNext()) s.add(it.next());
    return s;
  }

  static SimTestCluster cluster(int n, Map<String, String> settings, long seed) {
    return SimTestCluster.builder(n, BroadcastHandler::new).settings(settings).latency(100).seed(seed).start();
  }

  static JsonNode broadcast(SimTestCluster c, String node, long value) {
    return c.call(node, "{\"type\":\"broadcast\",\"message\":" + value + "}", 5_000);
  }

  /** A node's values as the JSON list Maelstrom records (read_ok's messages). */
  static List<Object> readList(SimTestCluster c, String node) {
    return messages(c.call(node, "{\"type\":\"read\"}", 5_000));
  }

  static List<Object> messages(JsonNode readOk) {
    if (readOk == null || !"read_ok".equals(readOk.path("type").asText())) throw new AssertionError("bad read reply " + readOk);
    List<Object> l = new ArrayList<>();
    for (JsonNode v : readOk.get("messages")) l.add(v.asLong());
    return l;
  }

  static Set<Long> read(SimTestCluster c, String node) {
    Set<Long> s = new HashSet<>();
    for (Object v : readList(c, node)) s.add((Long) v);
    return s;
  }

  @Test
  void singleNodeRepliesWithClosedSchemas() {
    SimTestCluster c = cluster(1, Map.of(), 1);
    JsonNode topo = c.request("n0", "{\"type\":\"topology\",\"topology\":{\"n0\":[]}}");
    assertEquals("topology_ok", topo.get("type").asText());
    assertEquals(Set.of("type", "in_reply_to", "msg_id"), fields(topo));
    JsonNode ok = broadcast(c, "n0", 7);
    assertEquals("broadcast_ok", ok.get("type").asText());
    assertEquals(Set.of("type", "in_reply_to", "msg_id"), fields(ok));
    broadcast(c, "n0", 7); // duplicate value: stored once
    broadcast(c, "n0", 8);
    JsonNode read = c.request("n0", "{\"type\":\"read\"}");
    assertEquals(Set.of("type", "in_reply_to", "msg_id", "messages"), fields(read));
    assertEquals(List.of(7L, 8L), List.of(read.get("messages").get(0).asLong(), read.get("messages").get(1).asLong()));
    assertEquals(2, read.get("messages").size());
    assertEquals(0, c.serverMessages());
  }

  @Test
  void nonIntegerBroadcastIsRejectedAsMalformed() {
    SimTestCluster c = cluster(1, Map.of(), 1);
    assertEquals(12, c.request("n0", "{\"type\":\"broadcast\",\"message\":1.5}").get("code").asInt());
  }

  /**
   * Result of a simulated 3d-style run: servers msgs/op, the time until the last node held a value
   * (median/max), and Maelstrom's own stable-latency quantiles from the set-full checker over the recorded
   * history.
   */
  record Run(double msgsPerOp, long medianMs, long maxMs, int values, Map<String, Object> checked) {
    long stable(String q) {
      return ((Number) ((Map<?, ?>) checked.get("stable-latencies")).get(q)).longValue();
    }
  }

  /**
   * Maelstrom's 3d schedule on virtual time: one worker per node, ops staggered U[0, 2/rate) apart on a
   * random worker, half broadcasts of 0, 1, 2, … and half reads; optional partitions (random splits,
   * flipping every 0.5–4.5 s); then heal, 10 s of quiet and one final read per node. Client links are
   * instantaneous, node links take exactly 100 ms ({@code jitter}: uniform in [0, 2·jitter] instead). The
   * history is checked with the real set-full checker.
   */
  static Run run(int n, Map<String, String> settings, double rate, int seconds, long seed, boolean partitions) {
    return run(n, settings, rate, seconds, seed, partitions, 0);
  }

  static Run run(int n, Map<String, String> settings, double rate, int seconds, long seed, boolean partitions, long jitter) {
    SimTestCluster.Builder b = SimTestCluster.builder(n, BroadcastHandler::new).settings(settings).seed(seed);
    try (SimTestCluster c = (jitter > 0 ? b.latency(jitter, "uniform") : b.latency(100)).start()) {
      return c.step(() -> run(c, n, rate, seconds, seed, partitions));
    }
  }

  private static Run run(SimTestCluster c, int n, double rate, int seconds, long seed, boolean partitions) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Op> history = new ArrayList<>();
    Map<Long, Long> ackedAt = new HashMap<>();
    Map<Long, Long> fullAt = new HashMap<>();
    long value = 0;
    long ops = 0;
    long end = seconds * 1000L;
    long nextPartitionFlip = partitions ? 0 : Long.MAX_VALUE;
    boolean partitioned = false;
    int[] seenCount = new int[n];
    Map<Long, Integer> holders = new HashMap<>();
    long now = 0;
    long nextOpAt = 0;
    // one closed-loop client per node: a request may wait behind messages already queued at its node
    SimTestCluster.Call[] pending = new SimTestCluster.Call[n];
    Op[] invoked = new Op[n];
    while (now < end + 10_000) {
      if (now < end) {
        // Maelstrom's global stagger: each op U[0, 2/rate) after the previous one, on a free worker
        while (nextOpAt <= now) {
          nextOpAt += (long) (r.nextDouble() * 2000.0 / rate);
          int w = r.nextInt(n);
          boolean write = r.nextBoolean();
          if (pending[w] != null) continue;
          ops++;
          long t = now * 1_000_000;
          if (write) {
            invoked[w] = op(t, OpType.INVOKE, w, "broadcast", value);
            pending[w] = c.send("c" + (100 + w), c.ids().get(w), "{\"type\":\"broadcast\",\"message\":" + value + "}");
            ackedAt.put(value, now);
            value++;
          } else {
            invoked[w] = op(t, OpType.INVOKE, w, "read", null);
            pending[w] = c.send("c" + (100 + w), c.ids().get(w), "{\"type\":\"read\"}");
          }
          history.add(invoked[w]);
        }
        if (now >= nextPartitionFlip) {
          if (partitioned) {
            c.heal();
          } else {
            if (r.nextBoolean()) {
              Set<String> side = new HashSet<>();
              for (String id : c.ids()) if (r.nextInt(3) == 0) side.add(id);
              c.partition(side);
            } else {
              // one-way drops, like Maelstrom's majorities-ring on 3 nodes: acks may not come back
              c.heal();
              for (String dest : c.ids()) {
                for (String src : c.ids()) if (r.nextInt(3) == 0 && !src.equals(dest)) c.drop(dest, src);
              }
            }
          }
          partitioned = !partitioned;
          nextPartitionFlip = now + 500 + r.nextInt(4000);
        }
      } else if (partitioned) {
        c.heal();
        partitioned = false;
      }
      c.run(1);
      now = c.now();
      for (int w = 0; w < n; w++) {
        JsonNode reply = pending[w] == null ? null : pending[w].reply();
        if (reply == null) continue;
        boolean write = invoked[w].f().equals("broadcast");
        assertEquals(write ? "broadcast_ok" : "read_ok", reply.path("type").asText(), reply::toString);
        history.add(op(now * 1_000_000, OpType.OK, w, invoked[w].f(), write ? invoked[w].value() : messages(reply)));
        pending[w] = null;
      }
      for (int i = 0; i < n; i++) {
        List<Long> vs = c.<BroadcastHandler>handler(c.ids().get(i)).values();
        for (int j = seenCount[i]; j < vs.size(); j++) {
          int h = holders.merge(vs.get(j), 1, Integer::sum);
          if (h == n) fullAt.put(vs.get(j), now);
        }
        seenCount[i] = vs.size();
      }
    }
    for (int w = 0; w < n; w++) assertEquals(null, pending[w], "worker " + w + " still waits");
    for (int w = 0; w < n; w++) {
      ops++;
      long t = c.now() * 1_000_000;
      history.add(op(t, OpType.INVOKE, w, "read", null).withFinal(true));
      JsonNode reply = c.call(c.ids().get(w), "{\"type\":\"read\"}", 5_000);
      List<Object> got = messages(reply);
      history.add(op(c.now() * 1_000_000, OpType.OK, w, "read", got).withFinal(true));
      assertEquals(value, got.size(), c.ids().get(w) + " misses values; dropped=" + c.dropped());
    }
    Map<String, Object> checked =
        new SetFullChecker("broadcast").check(CheckContext.forTest(n, Map.of()), new History(history));
    assertEquals(true, checked.get("valid?"), () -> "set-full: " + checked);
    List<Long> lat = new ArrayList<>();
    for (Map.Entry<Long, Long> e : ackedAt.entrySet()) lat.add(fullAt.get(e.getKey()) - e.getValue());
    lat.sort(null);
    long server = c.serverMessages();
    if (System.getProperty("sim.verbose") != null) System.out.printf("ops %d values %d server %d%n", ops, value, server);
    return new Run((double) server / ops, lat.get(lat.size() / 2), lat.get(lat.size() - 1), (int) value, checked);
  }

  static Op op(long t, OpType type, int process, String f, Object v) {
    return new Op(-1, t, type, process, f, v, null, null, false, null);
  }

  @Test
  void starDefaultMeets3dAnd3eOnVirtualTime() {
    Run r = run(25, Map.of(), 100, 20, 42, false);
    assertTrue(r.msgsPerOp() < 2.3, "msgs/op " + r.msgsPerOp());
    assertTrue(r.stable("0.5") <= 280, "median " + r.checked());
    assertTrue(r.stable("1") <= 380, "max " + r.checked());
  }

  @Test
  void efficientProfileStaysUnderOneMessagePerOp() {
    Run r = run(25, Map.of("profile", "efficient"), 100, 20, 43, false);
    assertTrue(r.msgsPerOp() < 1.0, "msgs/op " + r.msgsPerOp());
    assertTrue(r.stable("0.5") <= 400, "median " + r.checked());
    assertTrue(r.stable("1") <= 650, "max " + r.checked());
  }

  @Test
  void syncedUploadsWidenTheirMarginUnderJitter() {
    // Latency uniform in 0–80 ms: without the adaptive margin many timed uploads miss the hub's tick and
    // wait a whole period (p95 716 ms with this seed); with it p95 stays near 470 ms.
    Run r = run(25, Map.of("profile", "efficient"), 100, 20, 7, false, 40);
    assertTrue(r.stable("0.95") <= 550, "p95 " + r.checked().get("stable-latencies"));
    Run off = run(25, Map.of("profile", "efficient", "adaptive-margin", "false"), 100, 20, 7, false, 40);
    assertTrue(off.stable("0.95") > 650, "p95 without adaptation " + off.checked().get("stable-latencies"));
  }

  @Test
  void latencyProfileIsOneHop() {
    Run r = run(25, Map.of("profile", "latency"), 100, 10, 44, false);
    assertTrue(r.stable("1") <= 100, "max " + r.checked());
    assertTrue(r.msgsPerOp() < 13, "msgs/op " + r.msgsPerOp());
  }

  /**
   * The latency-end aim is ≤ 10 msgs/op at a stable latency ≤ 150 ms median / ≤ 250 ms max. The latency
   * half holds with room to spare; this pins what the leading-edge {@code holdoff-ms} buys towards the
   * message half. A held value still needs a fan-out of its own unless a second value of the same origin
   * lands in the same window, so at λ = 2 values/s per origin a window of H saves λH − (1 − e^(−λH))
   * fan-outs, ≈ 4 % at H = 150 ms, not the 1 − e^(−λH) ≈ 26 % of values that are held; with the client
   * requests queued behind node messages at their node, as Maelstrom delivers them, arrivals are more
   * regular and it saves less (≈ 2 %).
   * Same seed, same schedule: the comparison is paired.
   */
  @Test
  void latencyEndHoldoffMergesOnlyCoincidentValues() {
    Run base = run(25, Map.of("profile", "latency"), 100, 20, 45, false);
    assertTrue(base.stable("0.5") <= 150 && base.stable("1") <= 250, "latency half of the aim " + base.checked());
    Run held = run(25, Map.of("profile", "latency", "holdoff-ms", "150"), 100, 20, 45, false);
    // held values wait at most one window: still inside the aim's latency bars
    assertTrue(held.stable("0.5") <= 150, "median " + held.checked());
    assertTrue(held.stable("1") <= 250, "max " + held.checked());
    assertTrue(held.maxMs() <= base.maxMs() + 150, "last holder after " + held.maxMs() + " ms, " + base.maxMs() + " without");
    double saved = 1 - held.msgsPerOp() / base.msgsPerOp();
    assertTrue(saved > 0.01 && saved < 0.08, "holdoff 150 ms saved " + saved + " of " + base.msgsPerOp() + " msgs/op");
  }

  @Test
  void starConvergesThroughPartitions() {
    for (long seed = 1; seed <= 3; seed++) run(25, Map.of(), 100, 20, seed, true);
    for (long seed = 1; seed <= 3; seed++) run(5, Map.of(), 10, 20, seed, true);
  }

  @Test
  void directConvergesThroughPartitions() {
    for (long seed = 1; seed <= 2; seed++) run(25, Map.of("profile", "latency"), 100, 10, seed, true);
    for (long seed = 1; seed <= 2; seed++) run(5, Map.of("profile", "latency"), 10, 20, seed, true);
  }

  @Test
  void hubIsolatedForAWhileStillConverges() {
    SimTestCluster c = cluster(5, Map.of(), 7);
    c.partition(Set.of("n0"));
    for (int i = 0; i < 5; i++) broadcast(c, "n" + i, i);
    c.run(5000);
    assertEquals(Set.of(1L), read(c, "n1"));
    c.heal();
    c.run(4000);
    for (String id : c.ids()) assertEquals(Set.of(0L, 1L, 2L, 3L, 4L), read(c, id), id);
  }

  /**
   * {@code profile=hybrid} on the 3d schedule keeps the latency end's latency bars (stable latency ≤ 150 ms
   * median, ≤ 250 ms max) on every seed and costs no more than a pure fan-out ({@code window-ms=0}, one
   * hop: max ≤ 100 ms). Its ≤ 10 msgs/op aim needs client arrivals that straddle the hub's tick; with the
   * requests queued at their node as Maelstrom delivers them, few values catch a flush in time and it
   * relays little (12.2–12.6 msgs/op against 12.5 for the fan-out on these seeds; docs/broadcast.md).
   */
  @Test
  void hybridProfileKeepsTheLatencyBarsAtNoExtraCost() {
    Run direct = run(25, Map.of("profile", "hybrid", "window-ms", "0"), 100, 20, 100, false);
    assertTrue(direct.msgsPerOp() > 11.5, "window 0 is a pure fan-out: " + direct.msgsPerOp());
    assertTrue(direct.stable("1") <= 100, "window 0 max " + direct.checked().get("stable-latencies"));
    for (long seed = 100; seed <= 102; seed++) {
      Run r = run(25, Map.of("profile", "hybrid"), 100, 20, seed, false);
      assertTrue(r.msgsPerOp() <= direct.msgsPerOp() * 1.02, "msgs/op " + r.msgsPerOp() + " vs " + direct.msgsPerOp());
      assertTrue(r.stable("0.5") <= 150, "median " + r.checked().get("stable-latencies"));
      assertTrue(r.stable("1") <= 250, "max " + r.checked().get("stable-latencies"));
    }
  }

  @Test
  void hybridConvergesThroughPartitions() {
    for (long seed = 1; seed <= 2; seed++) run(25, Map.of("profile", "hybrid"), 100, 10, seed, true);
    for (long seed = 1; seed <= 2; seed++) run(5, Map.of("profile", "hybrid"), 10, 20, seed, true);
  }

  /** Values a leaf handed to a cut-off hub for relaying wait in the link and reach everybody after the heal. */
  @Test
  void hybridRelayedValuesSurviveAnIsolatedHub() {
    SimTestCluster c = cluster(5, Map.of("profile", "hybrid"), 7);
    for (int i = 1; i < 5; i++) broadcast(c, "n" + i, i);
    c.run(3000); // the hub's acks (2 s) carry its tick phase to the leaves
    c.partition(Set.of("n0"));
    Set<Long> all = new java.util.TreeSet<>(List.of(1L, 2L, 3L, 4L));
    for (int i = 0; i < 40; i++) {
      c.send("n" + (1 + i % 4), "{\"type\":\"broadcast\",\"message\":" + (100 + i) + "}");
      all.add(100L + i);
      c.run(7);
    }
    broadcast(c, "n0", 999);
    c.run(5000);
    Set<Long> n2 = read(c, "n2");
    long missing = all.stream().filter(v -> !n2.contains(v)).count();
    assertTrue(missing >= 1 && missing < 40, "values relayed via the cut-off hub and missing on n2: " + missing);
    c.heal();
    c.run(4000);
    all.add(999L);
    for (String id : c.ids()) assertEquals(all, new java.util.TreeSet<>(read(c, id)), id);
  }

  /**
   * The hub sends values on its tick only: neither the first value on a link nor the first after an idle
   * period may go out on the retransmission timer (it checks every 250 ms, between the 150 ms ticks).
   */
  @Test
  void hubSendsNewValuesOnlyOnItsTick() {
    SimTestCluster c = cluster(3, Map.of(), 1);
    List<Long> dataSends = new ArrayList<>();
    c.tap(s -> {
      if (s.src().equals("n0") && !s.dest().startsWith("c") && s.body().path("v").size() > 0) dataSends.add(s.atMs());
    });
    c.run(160);
    broadcast(c, "n0", 1); // after the tick at 150, before the retransmission check at 250
    c.run(10_050); // idle far longer than rto-ms
    broadcast(c, "n0", 2); // t = 10 210: after the tick at 10 200, before the check at 10 250
    c.run(3000);
    assertEquals(List.of(300L, 300L, 10_350L, 10_350L), dataSends, "hub→leaf sends carrying values");
    for (String id : c.ids()) assertEquals(Set.of(1L, 2L), read(c, id), id);
  }
}
