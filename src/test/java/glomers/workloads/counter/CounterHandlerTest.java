package glomers.workloads.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CounterHandlerTest {

  private static SimCluster.Call add(SimCluster c, String node, long delta) {
    ObjectNode b = SimCluster.body("add");
    b.put("delta", delta);
    return c.request(node, b);
  }

  private static SimCluster.Call read(SimCluster c, String node) {
    return c.request(node, SimCluster.body("read"));
  }

  /**
   * Random adds and reads on every node under random partitions, seq-kv staleness, random reordering and
   * (optionally) seq-kv requests that time out and land late; after healing and a quiet period, every
   * node's read must be the exact sum of all deltas, and every add must have been acknowledged.
   */
  private static void runScenario(long seed, int n, boolean pn, double slow) {
    SimCluster c = new SimCluster(n, seed, 20, true, pn ? CounterHandler::pn : CounterHandler::growOnly);
    c.slowServiceProbability = slow;
    long sum = 0;
    List<SimCluster.Call> adds = new ArrayList<>();
    for (int step = 0; step < 400; step++) {
      if (step % 50 == 0) {
        if (c.random.nextBoolean()) c.partition(Set.of(c.ids.get(c.random.nextInt(n))));
        else c.heal();
      }
      String node = c.ids.get(c.random.nextInt(n));
      if (c.random.nextInt(3) == 0) {
        long d = pn ? c.random.nextInt(-5, 5) : c.random.nextInt(0, 5);
        sum += d;
        adds.add(add(c, node, d));
      } else {
        read(c, node);
      }
      c.loop.runFor(c.random.nextInt(0, 20));
    }
    c.heal();
    c.slowServiceProbability = 0; // late requests still land during the quiet period
    c.loop.runFor(10_000);
    if (slow == 0) {
      for (SimCluster.Call a : adds) {
        assertNotNull(a.reply(), "every add is acknowledged (seed " + seed + ")");
        assertEquals("add_ok", a.reply().get("type").asText());
      }
    }
    List<SimCluster.Call> finals = new ArrayList<>();
    for (String id : c.ids) finals.add(read(c, id));
    c.loop.runFor(3_000);
    for (SimCluster.Call f : finals) {
      assertNotNull(f.reply(), "final read answered (seed " + seed + ")");
      assertEquals(sum, f.reply().get("value").asLong(), "final read is the exact total (seed " + seed + ")");
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
    for (long seed = 1; seed <= 10; seed++) runScenario(seed, 3, true, 0.1);
  }

  @Test
  void readSeesEveryAddAcknowledgedBeforeIt() {
    SimCluster c = new SimCluster(3, 42, 5, true, CounterHandler::growOnly);
    long sum = 0;
    for (int i = 0; i < 200; i++) {
      String a = c.ids.get(c.random.nextInt(3));
      String r = c.ids.get(c.random.nextInt(3));
      long d = c.random.nextInt(0, 5);
      SimCluster.Call call = add(c, a, d);
      while (call.reply() == null) c.loop.runFor(1);
      sum += d;
      SimCluster.Call rd = read(c, r);
      while (rd.reply() == null) c.loop.runFor(1);
      assertEquals(sum, rd.reply().get("value").asLong(), "read after acknowledged add, step " + i);
    }
  }

  /**
   * Nodes crash and restart (their state is in seq-kv, nothing is local): an add acknowledged before a
   * crash is neither lost nor applied twice, and a restarted node's first read already includes it.
   */
  @Test
  void acknowledgedAddsSurviveRestartsExactlyOnce() {
    for (boolean pn : new boolean[] {false, true}) {
      SimCluster c = new SimCluster(3, 7, 5, true, pn ? CounterHandler::pn : CounterHandler::growOnly);
      long sum = 0;
      for (int i = 0; i < 150; i++) {
        if (i % 10 == 5) c.restart(c.ids.get(c.random.nextInt(3)));
        String a = c.ids.get(c.random.nextInt(3));
        String r = c.ids.get(c.random.nextInt(3));
        long d = pn ? c.random.nextInt(-5, 5) : c.random.nextInt(0, 5);
        SimCluster.Call call = add(c, a, d);
        while (call.reply() == null) c.loop.runFor(1);
        sum += d;
        SimCluster.Call rd = read(c, r);
        while (rd.reply() == null) c.loop.runFor(1);
        assertEquals(sum, rd.reply().get("value").asLong(), "read after acknowledged add, step " + i + ", pn " + pn);
      }
    }
  }

  /**
   * Clients are replaced after their 5 s timeout and Maelstrom silences a node that answers a closed
   * client, so when seq-kv is too slow to answer in time the node must stay silent rather than reply late.
   */
  @Test
  void neverAnswersAfterTheDeadlineWhenSeqKvIsSlow() {
    SimCluster c = new SimCluster(3, 11, 0, false, CounterHandler::growOnly);
    // Half of the seq-kv requests time out (and land late): rounds fail and retry, some requests wait
    // longer than the client would.
    c.slowServiceProbability = 0.5;
    c.slowServiceDelay = 1_500;
    List<SimCluster.Call> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(add(c, c.ids.get(i % 3), 1));
      calls.add(read(c, c.ids.get(i % 3)));
      c.loop.runFor(100);
    }
    c.loop.runFor(20_000);
    for (SimCluster.Call call : calls) {
      Long d = call.replyDelay();
      assertTrue(d == null || d < 5_000, "replied after " + d + " ms, after the client gave up");
    }
    // Once seq-kv is healthy again, every add has become durable and reads are exact.
    c.slowServiceProbability = 0;
    c.loop.runFor(5_000);
    SimCluster.Call r = read(c, "n2");
    c.loop.runFor(1_000);
    assertEquals(20, r.reply().get("value").asLong());
  }

  @Test
  void idleNodesSendNothing() {
    SimCluster c = new SimCluster(3, 3, 10, false, CounterHandler::growOnly);
    add(c, "n0", 3);
    read(c, "n1");
    c.loop.runFor(1_000);
    long before = c.serverMessages;
    c.loop.runFor(60_000);
    assertEquals(before, c.serverMessages, "no seq-kv traffic without client work");
  }

  @Test
  void growOnlyRejectsNegativeDeltas() {
    SimCluster c = new SimCluster(1, 1, 0, false, CounterHandler::growOnly);
    SimCluster.Call call = add(c, "n0", -1);
    c.loop.runFor(10);
    assertEquals("error", call.reply().get("type").asText());
    assertEquals(12, call.reply().get("code").asInt());
  }
}
