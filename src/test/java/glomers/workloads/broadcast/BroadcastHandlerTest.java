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
import org.junit.jupiter.api.Test;

/** Deterministic cluster simulations of the broadcast handler on virtual time. */
class BroadcastHandlerTest {

  static Set<String> fields(JsonNode body) {
    Set<String> s = new HashSet<>();
    Iterator<String> it = body.fieldNames();
    while (it.hasNext()) s.add(it.next());
    return s;
  }

  @Test
  void singleNodeRepliesWithClosedSchemas() {
    SimCluster c = new SimCluster(1, 0, BroadcastHandler::new, Map.of(), 1);
    long t = c.client("c5", "n0", "{\"type\":\"topology\",\"topology\":{\"n0\":[]}}");
    c.loop.runFor(0);
    JsonNode topo = c.reply("c5", t);
    assertEquals("topology_ok", topo.get("type").asText());
    assertEquals(Set.of("type", "in_reply_to", "msg_id"), fields(topo));
    JsonNode ok = c.broadcast("n0", 7);
    assertEquals("broadcast_ok", ok.get("type").asText());
    assertEquals(Set.of("type", "in_reply_to", "msg_id"), fields(ok));
    c.broadcast("n0", 7); // duplicate value: stored once
    c.broadcast("n0", 8);
    long r = c.client("c2", "n0", "{\"type\":\"read\"}");
    c.loop.runFor(0);
    JsonNode read = c.reply("c2", r);
    assertEquals(Set.of("type", "in_reply_to", "msg_id", "messages"), fields(read));
    assertEquals(List.of(7L, 8L), List.of(read.get("messages").get(0).asLong(), read.get("messages").get(1).asLong()));
    assertEquals(2, read.get("messages").size());
    assertEquals(0, c.serverMsgs);
  }

  @Test
  void nonIntegerBroadcastIsRejectedAsMalformed() {
    SimCluster c = new SimCluster(1, 0, BroadcastHandler::new, Map.of(), 1);
    long id = c.client("c1", "n0", "{\"type\":\"broadcast\",\"message\":1.5}");
    c.loop.runFor(0);
    assertEquals(12, c.reply("c1", id).get("code").asInt());
  }

  /**
   * Result of a simulated 3d-style run: servers msgs/op, the time until the last node held a value
   * (median/max), and Maelstrom's own stable-latency quantiles from the set-full checker over the recorded
   * history.
   */
  record Run(double msgsPerOp, long medianMs, long maxMs, int values, Map<String, Object> checked, SimCluster cluster) {
    long stable(String q) {
      return ((Number) ((Map<?, ?>) checked.get("stable-latencies")).get(q)).longValue();
    }
  }

  /**
   * Maelstrom's 3d schedule on virtual time: one worker per node, ops staggered U[0, 2/rate) apart on a
   * random worker, half broadcasts of 0, 1, 2, … and half reads; optional partitions (random splits,
   * flipping every 0.5–4.5 s); then heal, 10 s of quiet and one final read per node. Client links are
   * instantaneous, node links take exactly 100 ms. The history is checked with the real set-full checker.
   */
  static Run run(int n, Map<String, String> settings, double rate, int seconds, long seed, boolean partitions) {
    return run(n, settings, rate, seconds, seed, partitions, 0);
  }

  static Run run(int n, Map<String, String> settings, double rate, int seconds, long seed, boolean partitions, long jitter) {
    SimCluster c = new SimCluster(n, 100, BroadcastHandler::new, settings, seed);
    c.jitter = jitter;
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
    while (now < end + 10_000) {
      if (now < end) {
        // Maelstrom's global stagger: each op U[0, 2/rate) after the previous one
        while (nextOpAt <= now) {
          nextOpAt += (long) (r.nextDouble() * 2000.0 / rate);
          ops++;
          int w = r.nextInt(n);
          long t = now * 1_000_000;
          if (r.nextBoolean()) {
            history.add(op(t, OpType.INVOKE, w, "broadcast", value));
            JsonNode ok = c.broadcast(c.ids.get(w), value);
            assertEquals("broadcast_ok", ok.get("type").asText());
            history.add(op(t, OpType.OK, w, "broadcast", value));
            ackedAt.put(value, now);
            value++;
          } else {
            history.add(op(t, OpType.INVOKE, w, "read", null));
            history.add(op(t, OpType.OK, w, "read", c.readList(c.ids.get(w))));
          }
        }
        if (now >= nextPartitionFlip) {
          if (partitioned) {
            c.heal();
          } else {
            if (r.nextBoolean()) {
              Set<String> side = new HashSet<>();
              for (String id : c.ids) if (r.nextInt(3) == 0) side.add(id);
              c.partition(side);
            } else {
              // one-way drops, like Maelstrom's majorities-ring on 3 nodes: acks may not come back
              c.heal();
              for (String dest : c.ids) {
                for (String src : c.ids) if (r.nextInt(3) == 0) c.grudge.computeIfAbsent(dest, k -> new HashSet<>()).add(src);
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
      c.loop.runFor(1);
      now = c.loop.nowMillis();
      for (int i = 0; i < n; i++) {
        List<Long> vs = ((BroadcastHandler) c.handlers.get(c.ids.get(i))).values();
        for (int j = seenCount[i]; j < vs.size(); j++) {
          int h = holders.merge(vs.get(j), 1, Integer::sum);
          if (h == n) fullAt.put(vs.get(j), now);
        }
        seenCount[i] = vs.size();
      }
    }
    for (int w = 0; w < n; w++) {
      ops++;
      history.add(op(now * 1_000_000, OpType.INVOKE, w, "read", null).withFinal(true));
      history.add(op(now * 1_000_000, OpType.OK, w, "read", c.readList(c.ids.get(w))).withFinal(true));
      assertEquals(value, c.read(c.ids.get(w)).size(), c.ids.get(w) + " misses values; dropped=" + c.droppedMsgs);
    }
    Map<String, Object> checked =
        new SetFullChecker("broadcast").check(CheckContext.forTest(n, Map.of()), new History(history));
    assertEquals(true, checked.get("valid?"), () -> "set-full: " + checked);
    List<Long> lat = new ArrayList<>();
    for (Map.Entry<Long, Long> e : ackedAt.entrySet()) lat.add(fullAt.get(e.getKey()) - e.getValue());
    lat.sort(null);
    if (System.getProperty("sim.verbose") != null) {
      System.out.printf("ops %d values %d server %d pureAcks %d%n", ops, value, c.serverMsgs, c.pureAcks);
    }
    return new Run((double) c.serverMsgs / ops, lat.get(lat.size() / 2), lat.get(lat.size() - 1), (int) value, checked, c);
  }

  static Op op(long t, OpType type, int process, String f, Object v) {
    return new Op(-1, t, type, process, f, v, null, null, false, null);
  }

  @Test
  void starDefaultMeets3dAnd3eOnVirtualTime() {
    Run r = run(25, Map.of(), 100, 20, 42, false);
    assertTrue(r.msgsPerOp() < 2.2, "msgs/op " + r.msgsPerOp());
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
    // Uniform 0–40 ms extra delay per message: without the adaptive margin ~7 % of timed uploads miss the
    // hub's tick and wait a whole period (p99 930 ms with this seed); with it p99 stays near the exact case.
    Run r = run(25, Map.of("profile", "efficient"), 100, 20, 7, false, 40);
    assertTrue(r.stable("0.99") <= 700, "p99 " + r.checked());
    Run off = run(25, Map.of("profile", "efficient", "adaptive-margin", "false"), 100, 20, 7, false, 40);
    assertTrue(off.stable("0.99") > 800, "p99 without adaptation " + off.checked());
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
   * fan-outs, ≈ 4 % at H = 150 ms (11.5 msgs/op), not the 1 − e^(−λH) ≈ 26 % of values that are held.
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
    assertTrue(held.maxMs() <= 100 + 150, "last holder after " + held.maxMs() + " ms");
    double saved = 1 - held.msgsPerOp() / base.msgsPerOp();
    assertTrue(saved > 0.02 && saved < 0.08, "holdoff 150 ms saved " + saved + " of " + base.msgsPerOp() + " msgs/op");
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
    SimCluster c = new SimCluster(5, 100, BroadcastHandler::new, Map.of(), 7);
    c.partition(Set.of("n0"));
    for (int i = 0; i < 5; i++) c.broadcast("n" + i, i);
    c.loop.runFor(5000);
    assertEquals(Set.of(1L), c.read("n1"));
    c.heal();
    c.loop.runFor(4000);
    for (String id : c.ids) assertEquals(Set.of(0L, 1L, 2L, 3L, 4L), c.read(id), id);
  }

  /**
   * The latency-end aim (≤ 10 msgs/op, stable latency ≤ 150 ms median, ≤ 250 ms max) on the 3d schedule,
   * met by {@code profile=hybrid} on every seed. The relay share is pinned too: a p95 above 150 ms shows that
   * values do go through the hub (a pure fan-out would sit at ≈ 100 ms and 12 msgs/op), and the paired run
   * with {@code window-ms=0} (never relay) shows what the relay saves.
   */
  @Test
  void hybridProfileMeetsTheLatencyEndAim() {
    for (long seed = 100; seed <= 102; seed++) {
      Run r = run(25, Map.of("profile", "hybrid"), 100, 20, seed, false);
      assertTrue(r.msgsPerOp() < 10, "msgs/op " + r.msgsPerOp());
      assertTrue(r.stable("0.5") <= 150, "median " + r.checked());
      assertTrue(r.stable("1") <= 250, "max " + r.checked());
      assertTrue(r.stable("0.95") > 150, "p95: nothing was relayed? " + r.checked());
    }
    Run direct = run(25, Map.of("profile", "hybrid", "window-ms", "0"), 100, 20, 100, false);
    assertTrue(direct.msgsPerOp() > 11.5, "window 0 is a pure fan-out: " + direct.msgsPerOp());
    assertTrue(direct.stable("1") <= 100, "window 0 max " + direct.checked());
  }

  @Test
  void hybridConvergesThroughPartitions() {
    for (long seed = 1; seed <= 2; seed++) run(25, Map.of("profile", "hybrid"), 100, 10, seed, true);
    for (long seed = 1; seed <= 2; seed++) run(5, Map.of("profile", "hybrid"), 10, 20, seed, true);
  }

  /** Values a leaf handed to a cut-off hub for relaying wait in the link and reach everybody after the heal. */
  @Test
  void hybridRelayedValuesSurviveAnIsolatedHub() {
    SimCluster c = new SimCluster(5, 100, BroadcastHandler::new, Map.of("profile", "hybrid"), 7);
    for (int i = 1; i < 5; i++) c.broadcast("n" + i, i);
    c.loop.runFor(3000); // the hub's acks (2 s) carry its tick phase to the leaves
    c.partition(Set.of("n0"));
    Set<Long> all = new java.util.TreeSet<>(List.of(1L, 2L, 3L, 4L));
    for (int i = 0; i < 40; i++) {
      c.broadcast("n" + (1 + i % 4), 100 + i);
      all.add(100L + i);
      c.loop.runFor(7);
    }
    c.broadcast("n0", 999);
    c.loop.runFor(5000);
    Set<Long> n2 = c.read("n2");
    long missing = all.stream().filter(v -> !n2.contains(v)).count();
    assertTrue(missing >= 8 && missing < 40, "values relayed via the cut-off hub and missing on n2: " + missing);
    c.heal();
    c.loop.runFor(4000);
    all.add(999L);
    for (String id : c.ids) assertEquals(all, new java.util.TreeSet<>(c.read(id)), id);
  }

  /**
   * The hub sends values on its tick only: neither the first value on a link nor the first after an idle
   * period may go out on the retransmission timer (it checks every 250 ms, between the 150 ms ticks).
   */
  @Test
  void hubSendsNewValuesOnlyOnItsTick() {
    SimCluster c = new SimCluster(3, 100, BroadcastHandler::new, Map.of(), 1);
    c.loop.runFor(160);
    c.broadcast("n0", 1); // after the tick at 150, before the retransmission check at 250
    c.loop.runFor(10_050); // idle far longer than rto-ms
    c.broadcast("n0", 2); // t = 10 210: after the tick at 10 200, before the check at 10 250
    c.loop.runFor(3000);
    List<Long> dataSends = new ArrayList<>();
    for (SimCluster.Sent s : c.sent) if (s.from().equals("n0") && s.body().path("v").size() > 0) dataSends.add(s.at());
    assertEquals(List.of(300L, 300L, 10_350L, 10_350L), dataSends, "hub→leaf sends carrying values");
    for (String id : c.ids) assertEquals(Set.of(1L, 2L), c.read(id), id);
  }
}
