package glomers.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.mutants.txn.TxnMutant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end txn runs through the real harness (multi-process, short time limits): our nodes pass challenge
 * 6a and list-append read committed under partitions ({@code glomers.sim.TxnSimTest} runs 6c and both strict
 * modes in-process); mutants that leak intermediate writes, expose
 * aborted writes, read garbage or never replicate are rejected (the last two only under {@code --strict},
 * because Maelstrom itself cannot see them).
 */
class TxnEndToEndTest {
  @TempDir Path store;

  /** --strict adds a final phase after 10 s of quiet; 1 s is plenty for these small runs. */
  @org.junit.jupiter.api.BeforeAll
  static void shortQuiet() {
    System.setProperty("glomers.final-quiet-ms", "1000");
  }

  @org.junit.jupiter.api.AfterAll
  static void restoreQuiet() {
    System.clearProperty("glomers.final-quiet-ms");
  }

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
  void intermediateWritesAreG1b() {
    HarnessRun r = run(TestBins.forMain(TxnMutant.class, "intermediate"), flags("txn-rw-register", 1, "read-committed"));
    assertEquals(1, r.result().exitCode(), r.out());
    assertTrue(anomalyTypes(r).contains("G1b"), r.out());
  }

  @Test
  void abortedWritesAreG1a() {
    HarnessRun r = run(TestBins.forMain(TxnMutant.class, "aborted"), flags("txn-rw-register", 1, "read-committed"));
    assertEquals(1, r.result().exitCode(), r.out());
    assertTrue(anomalyTypes(r).contains("G1a"), r.out());
    HarnessRun l = run(TestBins.forMain(TxnMutant.class, "aborted"), flags("txn-list-append", 1, "read-committed"));
    assertEquals(1, l.result().exitCode(), l.out());
    assertTrue(anomalyTypes(l).contains("G1a"), l.out());
  }

  @Test
  void garbageReadsAreCaughtByStrictAnalysis() {
    HarnessRun strict = run(TestBins.forMain(TxnMutant.class, "garbage"),
        flags("txn-rw-register", 1, "read-committed", "--strict"));
    assertEquals(1, strict.result().exitCode(), strict.out());
    assertEquals(false, strict.get("workload", "garbage-reads", "valid?"), strict.out());
  }

  @Test
  void nodeThatNeverReplicatesPassesMaelstromButNotStrictConvergence() {
    String[] f = flags("txn-rw-register", 2, "read-uncommitted");
    HarnessRun plain = run(TestBins.forMain(TxnMutant.class, "local"), f);
    assertEquals(0, plain.result().exitCode(), "Maelstrom cannot tell: " + plain.out());
    List<String> strictFlags = new ArrayList<>(List.of(f));
    strictFlags.add("--strict");
    HarnessRun strict = run(TestBins.forMain(TxnMutant.class, "local"), strictFlags.toArray(String[]::new));
    assertEquals(1, strict.result().exitCode(), strict.out());
    assertEquals(false, strict.get("workload", "convergence", "valid?"), strict.out());
    HarnessRun ours = run(ours("txn-rw-register"), strictFlags.toArray(String[]::new));
    assertEquals(0, ours.result().exitCode(), ours.out());
    assertEquals(true, ours.get("workload", "convergence", "valid?"), ours.out());
  }
}
