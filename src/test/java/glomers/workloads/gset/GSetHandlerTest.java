package glomers.workloads.gset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import glomers.sim.SimTestCluster;
import glomers.sim.SimTestCluster.Call;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The g-set's gossip on the simulation engine. */
class GSetHandlerTest {

  private static SimTestCluster cluster(int n, long seed, long latency, String dist) {
    return SimTestCluster.builder(n, GSetHandler::new).seed(seed).latency(latency, dist).start();
  }

  private static Call add(SimTestCluster c, String node, long e) {
    return c.send(node, "{\"type\":\"add\",\"element\":" + e + "}");
  }

  private static Call read(SimTestCluster c, String node) {
    return c.send(node, "{\"type\":\"read\"}");
  }

  private static Set<Long> values(Call read) {
    Set<Long> out = new HashSet<>();
    for (JsonNode e : read.reply().get("value")) out.add(e.asLong());
    return out;
  }

  private static void scenario(long seed, int n) {
    try (SimTestCluster c = cluster(n, seed, 50, "uniform")) {
      SplittableRandom r = new SplittableRandom(seed);
      Set<Long> added = new HashSet<>();
      List<Call> adds = new ArrayList<>();
      long next = 0;
      for (int step = 0; step < 600; step++) {
        if (step % 60 == 0) {
          switch (r.nextInt(3)) {
            case 0 -> c.partition(Set.of(c.ids().get(r.nextInt(n))));
            case 1 -> {
              c.heal();
              // one-way drops, like the majorities-ring shape for n = 3
              for (int i = 0; i < n; i++) c.drop(c.ids().get(i), c.ids().get((i + 1) % n));
            }
            default -> c.heal();
          }
        }
        String node = c.ids().get(r.nextInt(n));
        if (r.nextBoolean()) {
          added.add(next);
          adds.add(add(c, node, next++));
        } else {
          read(c, node);
        }
        c.run(r.nextInt(0, 20));
      }
      c.heal();
      c.run(10_000);
      for (Call a : adds) assertEquals("add_ok", a.reply().get("type").asText());
      for (String id : c.ids()) {
        Call rd = read(c, id);
        c.run(1);
        assertEquals(added, values(rd), "node " + id + " has every element (seed " + seed + ")");
      }
      long before = c.serverMessages();
      c.run(30_000);
      assertEquals(before, c.serverMessages(), "no gossip once everything is acknowledged");
    }
  }

  @Test
  void everyNodeConvergesAfterPartitionsHeal() {
    for (long seed = 1; seed <= 5; seed++) scenario(seed, 3);
    for (long seed = 1; seed <= 3; seed++) scenario(seed, 5);
  }

  @Test
  void addsAreVisibleLocallyOnceAcknowledgedAndDuplicatesAreHarmless() {
    try (SimTestCluster c = cluster(2, 9, 10, "constant")) {
      add(c, "n0", 1);
      Call second = add(c, "n0", 1);
      c.settle();
      assertEquals("add_ok", second.reply().get("type").asText());
      Call r = read(c, "n0");
      c.run(1);
      assertEquals(Set.of(1L), values(r));
      assertEquals(1, r.reply().get("value").size());
    }
  }

  @Test
  void pushesBackOffDuringLongPartitions() {
    try (SimTestCluster c = cluster(2, 5, 10, "constant")) {
      c.partition(Set.of("n0"));
      add(c, "n0", 7);
      c.run(1_000);
      long start = c.serverMessages();
      c.run(20_000);
      long sent = c.serverMessages() - start;
      assertTrue(sent <= 12, "backoff keeps retries to about one per 2 s, saw " + sent);
      c.heal();
      c.run(3_000);
      Call r = read(c, "n1");
      c.run(1);
      assertEquals(Set.of(7L), values(r));
    }
  }

  /** Nodes crash and restart on their synced disk: every acknowledged element still reaches every node. */
  @Test
  void acknowledgedElementsSurviveRestarts() {
    try (SimTestCluster c = cluster(3, 4, 10, "uniform")) {
      SplittableRandom r = new SplittableRandom(4);
      List<Call> adds = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        if (i % 15 == 7) {
          String victim = c.ids().get(r.nextInt(3));
          c.crash(victim);
          c.restart(victim);
        }
        adds.add(add(c, c.ids().get(r.nextInt(3)), i));
        c.run(r.nextInt(0, 40));
      }
      c.run(10_000);
      Set<Long> acked = new java.util.TreeSet<>();
      for (int i = 0; i < adds.size(); i++) if (adds.get(i).reply() != null) acked.add((long) i);
      assertTrue(acked.size() > 90, "acknowledged " + acked.size());
      for (String id : c.ids()) {
        Call rd = read(c, id);
        c.run(1);
        assertTrue(values(rd).containsAll(acked), id + " misses acknowledged elements");
      }
    }
  }
}
