package glomers.harness.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.harness.HarnessRun;
import glomers.harness.RunSettings;
import glomers.harness.TestBins;
import glomers.mutants.faults.DeltaCounter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The duplicate nemesis on real processes of {@link DeltaCounter}: the copies are journaled, counted in
 * results.json and reach their receivers, and the counter that adds every delta it is told is caught. The
 * same counter passing without faults and failing under kill runs in-process in {@code glomers.sim.SimFaultsTest};
 * that a kill really ends a process is {@link ProcessFaultsTest}'s.
 */
@RunSettings(finalQuietMs = 1000)
class DuplicateFaultTest {
  @TempDir Path store;

  private HarnessRun run(String... extra) {
    List<String> a = new ArrayList<>(List.of("-w", "g-counter", "--bin", TestBins.forMain(DeltaCounter.class).toString(),
        "--store", store.toString(), "--seed", "5", "--node-count", "3", "--rate", "50", "--time-limit", "4"));
    a.addAll(List.of(extra));
    return HarnessRun.of(a.toArray(String[]::new));
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
}
