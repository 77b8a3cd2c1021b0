package glomers.workloads.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.sim.SimTestCluster;
import glomers.sim.SimTestCluster.Call;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The counters on the simulation engine, against the harness's own seq-kv (stale reads, failed CAS on old states). */
class CounterHandlerTest {

  private static SimTestCluster cluster(int n, long seed, long latency, String dist, boolean pn) {
    return SimTestCluster.builder(n, pn ? CounterHandler::pn : CounterHandler::growOnly)
        .seed(seed).latency(latency, dist).start();
  }

  private static Call add(SimTestCluster c, String node, long delta) {
    return c.send(node, "{\"type\":\"add\",\"delta\":" + delta + "}");
  }

  private static Call read(SimTestCluster c, String node) {
    return c.send(node, "{\"type\":\"read\"}");
  }

  /**
   * Random adds and reads on every node under random partitions, seq-kv staleness, random reordering and
   * (optionally) seq-kv stalls of 1.5 s, in which the nodes' requests time out and are applied late; after
   * healing and a quiet period, every node's read must be the exact sum of all deltas, and every add must
   * have been acknowledged.
   */
  private static void runScenario(long seed, int n, boolean pn, double stalls) {
    try (SimTestCluster c = cluster(n, seed, 20, "uniform", pn)) {
      SplittableRandom r = new SplittableRandom(seed);
      long sum = 0;
      long stalledUntil = -1;
      List<Call> adds = new ArrayList<>();
      for (int step = 0; step < 400; step++) {
        if (step % 50 == 0) {
          if (r.nextBoolean()) c.partition(Set.of(c.ids().get(r.nextInt(n))));
          else c.heal();
        }
        if (stalledUntil >= 0 && c.now() >= stalledUntil) {
          c.resume("seq-kv");
          stalledUntil = -1;
        } else if (stalledUntil < 0 && r.nextDouble() < stalls) {
          c.pause("seq-kv");
          stalledUntil = c.now() + 1500;
        }
        String node = c.ids().get(r.nextInt(n));
        if (r.nextInt(3) == 0) {
          long d = pn ? r.nextInt(-5, 5) : r.nextInt(0, 5);
          sum += d;
          adds.add(add(c, node, d));
        } else {
          read(c, node);
        }
        c.run(r.nextInt(0, 20));
      }
      c.heal();
      if (stalledUntil >= 0) c.resume("seq-kv"); // late requests still land during the quiet period
      c.run(10_000);
      if (stalls == 0) {
        for (Call a : adds) {
          assertNotNull(a.reply(), "every add is acknowledged (seed " + seed + ")");
          assertEquals("add_ok", a.reply().get("type").asText());
        }
      }
      List<Call> finals = new ArrayList<>();
      for (String id : c.ids()) finals.add(read(c, id));
      c.run(3_000);
      for (Call f : finals) {
        assertNotNull(f.reply(), "final read answered (seed " + seed + ")");
        assertEquals(sum, f.reply().get("value").asLong(), "final read is the exact total (seed " + seed + ")");
      }
    }
  }

  @Test
  void gCounterConvergesExactlyUnderPartitionsAndStaleness() {
    for (long seed = 1; seed <= 10; seed++) runScenario(seed, 3, false, 0);
  }

  @Test
  void pnCounterConvergesExactlyWithFiveNodes() {
    for (long seed = 1; seed <= 5; seed++) runScenario(seed, 5, true, 0);
  }

  @Test
  void survivesSeqKvTimeoutsAndLateAppliedRequests() {
    for (long seed = 1; seed <= 10; seed++) runScenario(seed, 3, true, 0.02);
  }

  @Test
  void readSeesEveryAddAcknowledgedBeforeIt() {
    try (SimTestCluster c = cluster(3, 42, 5, "uniform", false)) {
      SplittableRandom r = new SplittableRandom(42);
      long sum = 0;
      for (int i = 0; i < 200; i++) {
        String a = c.ids().get(r.nextInt(3));
        String b = c.ids().get(r.nextInt(3));
        long d = r.nextInt(0, 5);
        Call call = add(c, a, d);
        c.runUntil(() -> call.reply() != null, 60_000);
        sum += d;
        Call rd = read(c, b);
        c.runUntil(() -> rd.reply() != null, 60_000);
        assertEquals(sum, rd.reply().get("value").asLong(), "read after acknowledged add, step " + i);
      }
    }
  }

  /**
   * Nodes crash and restart (their state is in seq-kv, nothing is local): an add acknowledged before a
   * crash is neither lost nor applied twice, and a restarted node's first read already includes it.
   */
  @Test
  void acknowledgedAddsSurviveRestartsExactlyOnce() {
    for (boolean pn : new boolean[] {false, true}) {
      try (SimTestCluster c = cluster(3, 7, 5, "uniform", pn)) {
        SplittableRandom r = new SplittableRandom(7);
        long sum = 0;
        for (int i = 0; i < 150; i++) {
          if (i % 10 == 5) {
            String victim = c.ids().get(r.nextInt(3));
            c.crash(victim);
            c.restart(victim);
          }
          String a = c.ids().get(r.nextInt(3));
          String b = c.ids().get(r.nextInt(3));
          long d = pn ? r.nextInt(-5, 5) : r.nextInt(0, 5);
          Call call = add(c, a, d);
          c.runUntil(() -> call.reply() != null, 60_000);
          sum += d;
          Call rd = read(c, b);
          c.runUntil(() -> rd.reply() != null, 60_000);
          assertEquals(sum, rd.reply().get("value").asLong(), "read after acknowledged add, step " + i + ", pn " + pn);
        }
      }
    }
  }

  /**
   * Clients are replaced after their 5 s timeout and Maelstrom silences a node that answers a closed
   * client, so when seq-kv is too slow to answer in time the node must stay silent rather than reply late.
   */
  @Test
  void neverAnswersAfterTheDeadlineWhenSeqKvIsSlow() {
    try (SimTestCluster c = cluster(3, 11, 0, "constant", false)) {
      // seq-kv stalls for 1.5 s, then for 4.5 s: rounds time out and retry, requests land late, and the
      // requests that arrive in the long stall cannot be answered before the client gives up
      List<Call> calls = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        if (i == 0 || i == 17) c.pause("seq-kv");
        if (i == 15) c.resume("seq-kv");
        calls.add(add(c, c.ids().get(i % 3), 1));
        calls.add(read(c, c.ids().get(i % 3)));
        c.run(100);
      }
      c.run(5_500);
      c.resume("seq-kv");
      c.run(20_000);
      int late = 0;
      for (Call call : calls) {
        Long d = call.replyDelay();
        assertTrue(d == null || d < 5_000, "replied after " + d + " ms, after the client gave up");
        if (d == null) late++;
      }
      assertTrue(late > 0, "some requests could not be answered in time");
      // Once seq-kv is healthy again, every add has become durable and reads are exact.
      c.run(5_000);
      Call r = read(c, "n2");
      c.run(1_000);
      assertEquals(20, r.reply().get("value").asLong());
    }
  }

  @Test
  void idleNodesSendNothing() {
    try (SimTestCluster c = cluster(3, 3, 10, "constant", false)) {
      add(c, "n0", 3);
      read(c, "n1");
      c.run(1_000);
      long before = c.serverMessages();
      c.run(60_000);
      assertEquals(before, c.serverMessages(), "no seq-kv traffic without client work");
    }
  }

  @Test
  void growOnlyRejectsNegativeDeltas() {
    try (SimTestCluster c = cluster(1, 1, 0, "constant", false)) {
      Call call = add(c, "n0", -1);
      c.run(10);
      assertEquals("error", call.reply().get("type").asText());
      assertEquals(12, call.reply().get("code").asInt());
    }
  }
}
