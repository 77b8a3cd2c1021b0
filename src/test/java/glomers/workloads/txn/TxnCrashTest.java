package glomers.workloads.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import glomers.mutants.txn.NeverDurable;
import glomers.node.storage.Storage;
import glomers.sim.SimTestCluster;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The read-committed engine under crashes on the simulation engine: a node restarts on what its storage had synced,
 * often the instant it answered {@code txn_ok} (the worst moment), while writes go on; after the last
 * restart every acknowledged write must be in every node's final read.
 */
class TxnCrashTest {
  private static final int KEYS = 6;

  /**
   * Runs one schedule; returns what the final reads miss. Lists: every acknowledged append must be in the
   * key's list on every node. Registers: node i alone writes the keys {@code k ≡ i (mod n)}, one write at a
   * time, so the last acknowledged write of a key is its newest version and must be what every node reads.
   */
  static List<String> lost(boolean list, int n, long seed, boolean crashes) {
    return lost(list, n, seed, crashes, UnaryOperator.identity());
  }

  /** As above, every node on {@code disk} (a mutant's faulty disk around its memory storage). */
  static List<String> lost(boolean list, int n, long seed, boolean crashes, UnaryOperator<Storage> disk) {
    try (SimTestCluster sim = SimTestCluster.builder(n, list ? TxnHandler::listAppend : TxnHandler::rwRegister)
        .latency(1).disk(disk).start()) {
      return sim.step(() -> lost(sim, list, n, seed, crashes));
    }
  }

  /** The node crashes and a new process takes its place on what its storage had synced. */
  private static void restart(SimTestCluster sim, String id) {
    sim.crash(id);
    sim.restart(id);
  }

  private static List<String> lost(SimTestCluster sim, boolean list, int n, long seed, boolean crashes) {
    List<String> ids = sim.ids();
    SplittableRandom r = new SplittableRandom(seed);
    Map<Long, List<Long>> appended = new HashMap<>();
    Map<Long, Long> lastWrite = new HashMap<>();
    long value = 0;
    long nextCrashAt = 500;
    long start = sim.now();
    while (sim.now() < start + 10_000) {
      int i = r.nextInt(n);
      long key = list ? r.nextInt(KEYS) : i + (long) n * r.nextInt(KEYS);
      long v = ++value;
      JsonNode ok = TxnHandlerTest.call(sim, ids.get(i), List.of(Arrays.asList(list ? "append" : "w", key, v)));
      if (ok != null && "txn_ok".equals(ok.path("type").asText())) {
        appended.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
        lastWrite.put(key, v);
        if (crashes && r.nextInt(4) == 0 && sim.now() >= nextCrashAt) {
          restart(sim, ids.get(i)); // right after its txn_ok
          nextCrashAt = sim.now() + 200 + r.nextInt(800);
        }
      }
      if (crashes && sim.now() >= nextCrashAt) {
        restart(sim, ids.get(r.nextInt(n)));
        nextCrashAt = sim.now() + 200 + r.nextInt(800);
      }
      sim.run(r.nextInt(30));
    }
    sim.run(3000);
    List<String> missing = new ArrayList<>();
    List<Object> readAll = new ArrayList<>();
    for (long k = 0; k < (long) n * KEYS; k++) readAll.add(Arrays.asList("r", k, null));
    for (String id : ids) {
      JsonNode rep = TxnHandlerTest.call(sim, id, readAll);
      for (JsonNode mop : rep.get("txn")) {
        long k = mop.get(1).asLong();
        JsonNode got = mop.get(2);
        if (list) {
          List<Long> seen = new ArrayList<>();
          if (got.isArray()) got.forEach(x -> seen.add(x.asLong()));
          for (long v : appended.getOrDefault(k, List.of())) if (!seen.contains(v)) missing.add(id + " key " + k + " lacks " + v);
        } else if (lastWrite.containsKey(k) && got.asLong() != lastWrite.get(k)) {
          missing.add(id + " key " + k + " reads " + got + ", last acknowledged " + lastWrite.get(k));
        }
      }
    }
    assertTrue(value > 200, "writes ran: " + value);
    if (missing.size() > 10) {
      int more = missing.size() - 10;
      missing = new ArrayList<>(missing.subList(0, 10));
      missing.add("… and " + more + " more");
    }
    return missing;
  }

  @Test
  void acknowledgedAppendsSurviveCrashes() {
    for (int n : new int[] {2, 3}) {
      for (long seed = 1; seed <= 3; seed++) assertEquals(List.of(), lost(true, n, seed, true), n + " nodes, seed " + seed);
    }
  }

  @Test
  void acknowledgedRegisterWritesSurviveCrashes() {
    for (int n : new int[] {2, 3}) {
      for (long seed = 1; seed <= 3; seed++) assertEquals(List.of(), lost(false, n, seed, true), n + " nodes, seed " + seed);
    }
  }

  /** The schedule itself loses nothing without crashes, so a failure above is the crash's doing. */
  @Test
  void withoutCrashesNothingIsMissing() {
    assertEquals(List.of(), lost(true, 3, 1, false));
    assertEquals(List.of(), lost(false, 3, 1, false));
  }

  /** The crash machinery catches a node whose disk acknowledges syncs it never makes durable. */
  @Test
  void aDiskThatNeverSyncsLosesAcknowledgedWritesUnderCrashes() {
    for (boolean list : new boolean[] {true, false}) {
      for (int n : new int[] {2, 3}) {
        for (long seed = 1; seed <= 3; seed++) {
          assertFalse(lost(list, n, seed, true, NeverDurable::new).isEmpty(), (list ? "lists, " : "registers, ") + n + " nodes, seed " + seed);
        }
      }
    }
  }

  /** The same mutant is valid while nothing crashes: the loss above is the crash's doing. */
  @Test
  void aDiskThatNeverSyncsLosesNothingWithoutCrashes() {
    assertEquals(List.of(), lost(true, 3, 1, false, NeverDurable::new));
    assertEquals(List.of(), lost(false, 3, 1, false, NeverDurable::new));
  }
}
