package glomers.workloads.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import glomers.mutants.broadcast.AcksBeforeDurable;
import glomers.sim.SimTestCluster;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Broadcast under crashes on the simulation engine: nodes die (often the instant they acknowledge a value, the
 * worst moment) and restart on what their storage had synced, one node down at a time; every value a
 * client saw acknowledged must be in every node's final read.
 */
class BroadcastCrashTest {
  /** Runs the schedule; returns the acknowledged values some final read misses. */
  static Set<Long> lostWithCrashes(int n, Map<String, String> settings, long seed, boolean crashes, boolean lyingDisk) {
    return lostWithCrashes(n, settings, seed, crashes, lyingDisk, false);
  }

  static Set<Long> lostWithCrashes(
      int n, Map<String, String> settings, long seed, boolean crashes, boolean lyingDisk, boolean duplicate) {
    SimTestCluster.Builder b = SimTestCluster.builder(n, BroadcastHandler::new).settings(settings).seed(seed);
    b = duplicate ? b.latency(50, "uniform") : b.latency(100);
    if (lyingDisk) b = b.disk(AcksBeforeDurable::new);
    try (SimTestCluster c = b.start()) {
      if (duplicate) c.duplicate(Set.copyOf(c.ids()));
      return c.step(() -> lost(c, n, seed, crashes));
    }
  }

  private static Set<Long> lost(SimTestCluster c, int n, long seed, boolean crashes) {
    SplittableRandom r = new SplittableRandom(seed);
    Set<String> armed = new HashSet<>();
    Set<String> down = new HashSet<>();
    // the worst moment: the instant the node acknowledges a value
    c.tap(s -> {
      if (s.dest().startsWith("c") && "broadcast_ok".equals(s.body().path("type").asText()) && armed.remove(s.src())) {
        c.crash(s.src());
        down.add(s.src());
      }
    });
    Set<Long> acked = new TreeSet<>();
    long value = 0;
    String dead = null;
    long restartAt = 0, nextCrashAt = 1000;
    long start = c.now();
    List<Long> values = new ArrayList<>();
    List<SimTestCluster.Call> calls = new ArrayList<>();
    while (c.now() < start + 20_000) {
      long now = c.now();
      String target = c.ids().get(r.nextInt(n));
      if (r.nextBoolean()) {
        long v = value++;
        values.add(v);
        calls.add(c.send(target, "{\"type\":\"broadcast\",\"message\":" + v + "}"));
      } else if (!down.contains(target)) {
        c.send(target, "{\"type\":\"read\"}");
      }
      if (crashes) {
        if (dead == null && armed.isEmpty() && now >= nextCrashAt) {
          String victim = c.ids().get(r.nextInt(n));
          if (r.nextInt(3) > 0) {
            armed.add(victim);
          } else {
            c.crash(victim);
            down.add(victim);
          }
        }
        for (String id : c.ids()) {
          if (down.contains(id) && dead == null) {
            dead = id;
            restartAt = now + 300 + r.nextInt(2000);
          }
        }
        if (dead != null && now >= restartAt) {
          c.restart(dead);
          down.remove(dead);
          dead = null;
          nextCrashAt = now + 500 + r.nextInt(2000);
        }
      }
      c.run(20 + r.nextInt(60));
    }
    armed.clear();
    if (dead != null) c.restart(dead);
    c.run(10_000);
    for (int i = 0; i < calls.size(); i++) {
      JsonNode ok = calls.get(i).reply();
      if (ok != null && "broadcast_ok".equals(ok.path("type").asText())) acked.add(values.get(i));
    }
    Set<Long> lost = new TreeSet<>();
    for (String id : c.ids()) {
      Set<Long> read = BroadcastHandlerTest.read(c, id);
      for (long v : acked) if (!read.contains(v)) lost.add(v);
    }
    return lost;
  }

  @Test
  void acknowledgedValuesSurviveCrashesInEveryProfile() {
    for (String profile : List.of("balanced", "efficient", "latency", "hybrid")) {
      for (long seed = 1; seed <= 4; seed++) {
        Set<Long> lost = lostWithCrashes(5, Map.of("profile", profile), seed, true, false);
        assertEquals(Set.of(), lost, profile + " seed " + seed);
      }
    }
  }

  /** Every node-to-node message arrives twice, reordered by latency uniform in 0–100 ms, while nodes crash. */
  @Test
  void duplicatedAndReorderedMessagesChangeNothing() {
    for (String profile : List.of("balanced", "latency", "hybrid")) {
      assertEquals(Set.of(), lostWithCrashes(5, Map.of("profile", profile), 9, true, false, true), profile);
    }
  }

  @Test
  void theHubCrashingRepeatedlyLosesNothing() {
    SimTestCluster c = BroadcastHandlerTest.cluster(5, Map.of(), 3);
    List<Long> acked = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      for (int i = 1; i < 5; i++) {
        long v = round * 10L + i;
        if (BroadcastHandlerTest.broadcast(c, "n" + i, v) != null) acked.add(v);
      }
      c.run(120); // uploads reached the hub, its tick has not relayed them all
      c.crash("n0");
      c.run(1000);
      c.restart("n0");
      c.run(500);
    }
    c.run(10_000);
    for (String id : c.ids()) {
      Set<Long> read = BroadcastHandlerTest.read(c, id);
      assertTrue(read.containsAll(acked), id + " " + read);
    }
  }

  /** The mutant acknowledges before its disk has the value: caught with crashes, valid without. */
  @Test
  void aNodeThatAcknowledgesBeforeItsValueIsDurableIsCaught() {
    int caught = 0;
    for (long seed = 1; seed <= 4; seed++) {
      assertEquals(Set.of(), lostWithCrashes(5, Map.of(), seed, false, true), "without crashes, seed " + seed);
      if (!lostWithCrashes(5, Map.of(), seed, true, true).isEmpty()) caught++;
    }
    assertEquals(4, caught, "seeds on which crashes exposed the mutant");
  }
}
