package glomers.workloads.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import glomers.mutants.broadcast.AcksBeforeDurable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Broadcast under crashes on virtual time: nodes die (often the instant they acknowledge a value, the
 * worst moment) and restart on what their storage had synced, one node down at a time; every value a
 * client saw acknowledged must be in every node's final read.
 */
class BroadcastCrashTest {
  /** Runs the schedule; returns the acknowledged values some final read misses. */
  static Set<Long> lostWithCrashes(int n, Map<String, String> settings, long seed, boolean crashes, boolean lyingDisk) {
    return lostWithCrashes(n, settings, seed, crashes, lyingDisk, 0);
  }

  static Set<Long> lostWithCrashes(
      int n, Map<String, String> settings, long seed, boolean crashes, boolean lyingDisk, double duplicate) {
    SimCluster c = new SimCluster(n, 100, BroadcastHandler::new, settings, seed);
    c.duplicate = duplicate;
    c.jitter = duplicate > 0 ? 50 : 0;
    if (lyingDisk) {
      // the cluster was built before the wrap could apply: restart everyone on the lying disk
      for (String id : c.ids) c.crash(id);
      c.disk = AcksBeforeDurable::new;
      for (String id : c.ids) c.restart(id);
      c.loop.runFor(1000);
    }
    SplittableRandom r = new SplittableRandom(seed);
    Set<String> armed = new HashSet<>();
    c.crashOnAck = id -> armed.remove(id);
    Set<Long> acked = new TreeSet<>();
    long value = 0;
    String dead = null;
    long restartAt = 0, nextCrashAt = 1000;
    long start = c.loop.nowMillis();
    while (c.loop.nowMillis() < start + 20_000) {
      long now = c.loop.nowMillis();
      String target = c.ids.get(r.nextInt(n));
      if (r.nextBoolean()) {
        long v = value++;
        JsonNode ok = c.broadcast(target, v);
        if (ok != null && "broadcast_ok".equals(ok.path("type").asText())) acked.add(v);
      } else if (!c.down.contains(target)) {
        c.read(target);
      }
      if (crashes) {
        if (dead == null && armed.isEmpty() && now >= nextCrashAt) {
          String victim = c.ids.get(r.nextInt(n));
          if (r.nextInt(3) > 0) armed.add(victim); else c.crash(victim);
        }
        for (String id : c.ids) {
          if (c.down.contains(id) && dead == null) {
            dead = id;
            restartAt = now + 300 + r.nextInt(2000);
          }
        }
        if (dead != null && now >= restartAt) {
          c.restart(dead);
          dead = null;
          nextCrashAt = now + 500 + r.nextInt(2000);
        }
      }
      c.loop.runFor(20 + r.nextInt(60));
    }
    armed.clear();
    if (dead != null) c.restart(dead);
    c.loop.runFor(10_000);
    Set<Long> lost = new TreeSet<>();
    for (String id : c.ids) {
      Set<Long> read = c.read(id);
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

  /** A third of the node-to-node messages arrive twice, reordered by jitter, while nodes crash. */
  @Test
  void duplicatedAndReorderedMessagesChangeNothing() {
    for (String profile : List.of("balanced", "latency", "hybrid")) {
      assertEquals(Set.of(), lostWithCrashes(5, Map.of("profile", profile), 9, true, false, 0.33), profile);
    }
  }

  @Test
  void theHubCrashingRepeatedlyLosesNothing() {
    SimCluster c = new SimCluster(5, 100, BroadcastHandler::new, Map.of(), 3);
    List<Long> acked = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      for (int i = 1; i < 5; i++) {
        long v = round * 10L + i;
        if (c.broadcast("n" + i, v) != null) acked.add(v);
      }
      c.loop.runFor(120); // uploads reached the hub, its tick has not relayed them all
      c.crash("n0");
      c.loop.runFor(1000);
      c.restart("n0");
      c.loop.runFor(500);
    }
    c.loop.runFor(10_000);
    for (String id : c.ids) assertTrue(c.read(id).containsAll(acked), id + " " + c.read(id));
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
