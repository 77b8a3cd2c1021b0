package glomers.harness.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.harness.HarnessRun;
import glomers.harness.TestBins;
import glomers.mutants.faults.DeltaCounter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The duplicate and kill nemeses on real processes of {@link DeltaCounter}: valid without faults, rejected
 * with either; the copies are journaled and reach their receivers.
 */
class DuplicateFaultTest {
  @TempDir Path store;

  @BeforeAll
  static void shortQuiet() {
    System.setProperty("glomers.final-quiet-ms", "1000");
  }

  @AfterAll
  static void restoreQuiet() {
    System.clearProperty("glomers.final-quiet-ms");
  }

  private HarnessRun run(String... extra) {
    List<String> a = new ArrayList<>(List.of("-w", "g-counter", "--bin", TestBins.forMain(DeltaCounter.class).toString(),
        "--store", store.toString(), "--seed", "5", "--node-count", "3", "--rate", "50", "--time-limit", "4"));
    a.addAll(List.of(extra));
    return HarnessRun.of(a.toArray(String[]::new));
  }

  @Test
  void deltaCounterIsValidWithoutFaults() {
    HarnessRun r = run();
    assertEquals(0, r.result().exitCode(), r.out());
  }

  @Test
  void duplicatedDeltasAreAppliedTwiceAndCaught() throws Exception {
    HarnessRun r = run("--nemesis", "duplicate", "--nemesis-interval", "0.5");
    assertEquals(1, r.result().exitCode(), r.out());
    assertEquals(false, r.get("workload", "valid?"));
    Set<Object> dups = new HashSet<>();
    Set<Object> received = new HashSet<>();
    Set<String> nodes = Set.of("n0", "n1", "n2");
    for (Map<String, Object> e : ProcessFaultsTest.jsonLines(r.result().storeDir().resolve("net-journal.jsonl"))) {
      if ("dup".equals(e.get("ev"))) {
        dups.add(e.get("id"));
        assertTrue(nodes.contains(e.get("src")) && nodes.contains(e.get("dest")), "only node↔node copies: " + e);
      }
      if ("recv".equals(e.get("ev"))) received.add(e.get("id"));
    }
    assertTrue(dups.size() > 10, "copies were sent: " + dups.size());
    assertEquals((long) dups.size(), ((Number) r.get("faults", "duplicated-messages")).longValue());
    assertTrue(((Number) r.get("faults", "duplicate")).intValue() >= 2, "results.json counts the starts");
    dups.removeAll(received);
    assertTrue(dups.size() <= 2, "every copy arrives (but those in flight at the end): " + dups);
  }

  @Test
  void aCounterInMemoryOnlyLosesAddsWhenKilled() {
    HarnessRun r = run("--nemesis", "kill", "--nemesis-interval", "0.7");
    assertEquals(1, r.result().exitCode(), r.out());
    assertEquals(false, r.get("workload", "valid?"));
  }
}
