package glomers.workloads.gset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.workloads.counter.SimCluster;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GSetHandlerTest {

  private static SimCluster.Call add(SimCluster c, String node, long e) {
    ObjectNode b = SimCluster.body("add");
    b.put("element", e);
    return c.request(node, b);
  }

  private static Set<Long> values(SimCluster.Call read) {
    Set<Long> out = new HashSet<>();
    for (JsonNode e : read.reply().get("value")) out.add(e.asLong());
    return out;
  }

  private static void scenario(long seed, int n) {
    SimCluster c = new SimCluster(n, seed, 50, true, GSetHandler::new);
    Set<Long> added = new HashSet<>();
    List<SimCluster.Call> adds = new ArrayList<>();
    long next = 0;
    for (int step = 0; step < 600; step++) {
      if (step % 60 == 0) {
        switch (c.random.nextInt(3)) {
          case 0 -> c.partition(Set.of(c.ids.get(c.random.nextInt(n))));
          case 1 -> {
            c.heal();
            // one-way drops, like the majorities-ring shape for n = 3
            for (int i = 0; i < n; i++) c.drop(c.ids.get(i), c.ids.get((i + 1) % n));
          }
          default -> c.heal();
        }
      }
      String node = c.ids.get(c.random.nextInt(n));
      if (c.random.nextBoolean()) {
        added.add(next);
        adds.add(add(c, node, next++));
      } else {
        c.request(node, SimCluster.body("read"));
      }
      c.loop.runFor(c.random.nextInt(0, 20));
    }
    c.heal();
    c.loop.runFor(10_000);
    for (SimCluster.Call a : adds) assertEquals("add_ok", a.reply().get("type").asText());
    for (String id : c.ids) {
      SimCluster.Call r = c.request(id, SimCluster.body("read"));
      c.loop.runFor(1);
      assertEquals(added, values(r), "node " + id + " has every element (seed " + seed + ")");
    }
    long before = c.serverMessages;
    c.loop.runFor(30_000);
    assertEquals(before, c.serverMessages, "no gossip once everything is acknowledged");
  }

  @Test
  void everyNodeConvergesAfterPartitionsHeal() {
    for (long seed = 1; seed <= 5; seed++) scenario(seed, 3);
    for (long seed = 1; seed <= 3; seed++) scenario(seed, 5);
  }

  @Test
  void addsAreVisibleLocallyOnceAcknowledgedAndDuplicatesAreHarmless() {
    SimCluster c = new SimCluster(2, 9, 10, false, GSetHandler::new);
    add(c, "n0", 1);
    SimCluster.Call second = add(c, "n0", 1);
    c.loop.runFor(0);
    assertEquals("add_ok", second.reply().get("type").asText());
    SimCluster.Call r = c.request("n0", SimCluster.body("read"));
    c.loop.runFor(1);
    assertEquals(Set.of(1L), values(r));
    assertEquals(1, r.reply().get("value").size());
  }

  @Test
  void pushesBackOffDuringLongPartitions() {
    SimCluster c = new SimCluster(2, 5, 10, false, GSetHandler::new);
    c.partition(Set.of("n0"));
    add(c, "n0", 7);
    c.loop.runFor(1_000);
    long start = c.serverMessages;
    c.loop.runFor(20_000);
    long sent = c.serverMessages - start;
    assertTrue(sent <= 12, "backoff keeps retries to about one per 2 s, saw " + sent);
    c.heal();
    c.loop.runFor(3_000);
    SimCluster.Call r = c.request("n1", SimCluster.body("read"));
    c.loop.runFor(1);
    assertEquals(Set.of(7L), values(r));
  }

  /** Nodes restart on their synced disk: every acknowledged element still reaches every node. */
  @Test
  void acknowledgedElementsSurviveRestarts() {
    SimCluster c = new SimCluster(3, 4, 10, true, GSetHandler::new);
    List<SimCluster.Call> adds = new java.util.ArrayList<>();
    for (int i = 0; i < 120; i++) {
      if (i % 15 == 7) c.restart(c.ids.get(c.random.nextInt(3)));
      adds.add(add(c, c.ids.get(c.random.nextInt(3)), i));
      c.loop.runFor(c.random.nextInt(0, 40));
    }
    c.loop.runFor(10_000);
    Set<Long> acked = new java.util.TreeSet<>();
    for (int i = 0; i < adds.size(); i++) if (adds.get(i).reply() != null) acked.add((long) i);
    assertTrue(acked.size() > 90, "acknowledged " + acked.size());
    for (String id : c.ids) {
      SimCluster.Call r = c.request(id, SimCluster.body("read"));
      c.loop.runFor(1);
      assertTrue(values(r).containsAll(acked), id + " misses acknowledged elements");
    }
  }
}
