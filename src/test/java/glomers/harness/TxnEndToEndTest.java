package glomers.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end txn runs through the real harness (multi-process, short time limits): our nodes pass challenge
 * 6a, list-append read committed under partitions, and the strict convergence analysis of its final phase.
 * The checkers' side, the mutants that leak intermediate writes, expose aborted writes, read garbage or never
 * replicate, is rejected in-process by {@code glomers.mutants.MutantsSimTest} ({@code glomers.sim.TxnSimTest}
 * runs 6c and both strict modes of our node in-process).
 */
@RunSettings(finalQuietMs = 1000) // --strict adds a final phase after 10 s of quiet; 1 s is plenty here
class TxnEndToEndTest {
  @TempDir Path store;

  HarnessRun run(Path bin, String... args) {
    List<String> a = new ArrayList<>(List.of("--bin", bin.toString(), "--store", store.toString(), "--seed", "11"));
    a.addAll(List.of(args));
    return HarnessRun.of(a.toArray(String[]::new));
  }

  static Path ours(String workload, String... settings) {
    List<String> args = new ArrayList<>(List.of(workload));
    args.addAll(List.of(settings));
    return TestBins.forMainName("glomers.cli.Main", args.toArray(String[]::new));
  }

  static String[] flags(String workload, int nodes, String models, String... more) {
    List<String> f = new ArrayList<>(List.of("-w", workload, "--node-count", String.valueOf(nodes), "--concurrency", "2n",
        "--time-limit", "2", "--rate", "300", "--consistency-models", models));
    f.addAll(List.of(more));
    return f.toArray(String[]::new);
  }

  @SuppressWarnings("unchecked")
  static List<String> anomalyTypes(HarnessRun r) {
    return (List<String>) r.get("workload", "anomaly-types");
  }

  @Test
  void challenge6aSingleNode() {
    HarnessRun r = run(ours("txn-rw-register"), flags("txn-rw-register", 1, "read-uncommitted", "--availability", "total"));
    assertEquals(0, r.result().exitCode(), r.out());
    assertEquals(1.0, r.get("availability", "ok-fraction"));
  }

  @Test
  void listAppendReadCommittedUnderPartitions() {
    HarnessRun r = run(ours("txn-list-append"), flags("txn-list-append", 2, "read-committed", "--availability", "total",
        "--nemesis", "partition", "--nemesis-interval", "0.5"));
    assertEquals(0, r.result().exitCode(), r.out());
  }

  @Test
  void ourNodeConvergesUnderStrictAnalysis() {
    HarnessRun ours = run(ours("txn-rw-register"), flags("txn-rw-register", 2, "read-uncommitted", "--strict"));
    assertEquals(0, ours.result().exitCode(), ours.out());
    assertEquals(true, ours.get("workload", "convergence", "valid?"), ours.out());
  }
}
