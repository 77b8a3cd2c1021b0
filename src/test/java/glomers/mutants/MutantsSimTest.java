package glomers.mutants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.harness.run.HarnessRunner;
import glomers.harness.workload.TestSpec;
import glomers.mutants.broadcast.BroadcastMutants;
import glomers.mutants.counter.LocalOnlyCounter;
import glomers.mutants.counter.MiscountingCounter;
import glomers.mutants.counter.StaleReadCounter;
import glomers.mutants.gset.ForgetfulGSet;
import glomers.mutants.kafka.KafkaMutant;
import glomers.mutants.kafka.LinKvOffsetsNode;
import glomers.mutants.linkv.CasIgnoresFromNode;
import glomers.mutants.linkv.StaleCacheReadNode;
import glomers.mutants.txn.TxnMutant;
import glomers.node.WorkloadHandler;
import glomers.sim.Sim;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every mutant that is a handler runs in-process under {@code sim} and is rejected within a stated number
 * of seeds (docs/sim.md#mutants-under-sim). A deterministic bug fails on the first seed; a bug that needs a
 * particular schedule is searched over seeds {@code 1..bound}, and the seed that found it is printed.
 */
class MutantsSimTest {
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  private static final String BROADCAST = "-w broadcast --node-count 5 --time-limit 10 --rate 10";
  private static final String KAFKA = "-w kafka --node-count 1 --concurrency 2n --time-limit 3 --rate 300";
  private static final String LIN_KV = "-w lin-kv --node-count 3 --rate 100 --concurrency 2n --time-limit 6";
  private static final String TXN = "--concurrency 2n --time-limit 2 --rate 300 --consistency-models";

  @TempDir Path store;

  private HarnessRunner.Result run(String flags, long seed, Supplier<WorkloadHandler> handler) {
    List<String> args = new ArrayList<>(Arrays.asList(flags.split(" ")));
    args.addAll(List.of("--seed", Long.toString(seed), "--store", store.toString()));
    TestSpec spec = HarnessRunner.parse(args.toArray(String[]::new)).toSpec(null);
    return Sim.run(spec, handler, Map.of(), QUIET, QUIET, false);
  }

  /** The first seed of 1..bound on which the run is rejected (exit 1 with an invalid workload). */
  /** The workload results of the first seed of 1..bound on which the run is rejected (exit 1, invalid). */
  private Map<?, ?> firstRejectingSeed(String name, String flags, int bound, Supplier<WorkloadHandler> handler) {
    for (long seed = 1; seed <= bound; seed++) {
      HarnessRunner.Result r = run(flags, seed, handler);
      Map<?, ?> workload = (Map<?, ?>) r.results().get("workload");
      if (r.exitCode() == 1 && Boolean.FALSE.equals(workload.get("valid?"))) {
        System.out.printf("sim mutant %s: rejected on seed %d%n", name, seed);
        return workload;
      }
    }
    throw new AssertionError(name + " passed on every seed of 1.." + bound);
  }

  private Map<?, ?> rejectedOnFirstSeed(String name, String flags, Supplier<WorkloadHandler> handler) {
    return firstRejectingSeed(name, flags, 1, handler);
  }

  private static long lostCount(Map<?, ?> workload) {
    return ((Number) workload.get("lost-count")).longValue();
  }

  private static List<?> errorTypes(Map<?, ?> workload) {
    return (List<?>) workload.get("error-types");
  }

  @Test
  void broadcastMutantsAreRejected() {
    for (String kind : List.of("no-gossip", "forget")) {
      assertTrue(lostCount(rejectedOnFirstSeed(kind, BROADCAST, () -> new BroadcastMutants(kind))) > 0, kind);
    }
    Map<?, ?> lateRead = rejectedOnFirstSeed("late-read, one node", "-w broadcast --node-count 1 --time-limit 5 --rate 20",
        () -> new BroadcastMutants("late-read"));
    assertEquals(List.of(0L), lateRead.get("lost"), "the oldest value, read and then gone");
  }

  @Test
  void broadcastThatNeverRetriesIsFoundUnderPartitions() {
    assertEquals(0, run(BROADCAST, 1, () -> new BroadcastMutants("gossip-once")).exitCode(), "correct without faults");
    assertTrue(lostCount(firstRejectingSeed("gossip-once", BROADCAST + " --nemesis partition --nemesis-interval 2", 10,
        () -> new BroadcastMutants("gossip-once"))) > 0);
  }

  @Test
  void counterAndSetMutantsAreRejected() {
    assertNotNull(rejectedOnFirstSeed("local-only counter", "-w g-counter --node-count 3 --rate 50 --time-limit 5",
        LocalOnlyCounter::new).get("errors"));
    rejectedOnFirstSeed("miscounting counter", "-w pn-counter --node-count 1 --rate 50 --time-limit 5", MiscountingCounter::new);
    assertTrue(lostCount(rejectedOnFirstSeed("forgetful g-set", "-w g-set --node-count 1 --rate 50 --time-limit 5",
        ForgetfulGSet::new)) > 0);
  }

  @Test
  void counterThatReadsStaleIsFoundWithinTwentySeeds() {
    firstRejectingSeed("stale-read counter", "-w g-counter --node-count 3 --rate 20 --time-limit 5", 20, StaleReadCounter::new);
  }

  @Test
  void kafkaMutantsAreRejected() {
    assertEquals(0, run(KAFKA, 1, () -> new KafkaMutant("ok")).exitCode(), "the control passes");
    // A skipped message shows as a skip in the polling process's sequence, or (if that process had not read
    // the key before) as a write nobody read below what others read.
    List<?> skip = errorTypes(rejectedOnFirstSeed("kafka skip", KAFKA, () -> new KafkaMutant("skip")));
    assertTrue(skip.contains("poll-skip") || skip.contains("lost-write"), skip::toString);
    assertTrue(errorTypes(rejectedOnFirstSeed("kafka drop", KAFKA, () -> new KafkaMutant("drop"))).contains("unseen"));
    assertTrue(errorTypes(rejectedOnFirstSeed("kafka dup-offset", KAFKA, () -> new KafkaMutant("dup-offset")))
        .contains("inconsistent-offsets"));
  }

  @Test
  void linKvOffsetsRaceIsFoundWhenAWriteIsLate() {
    assertTrue(errorTypes(firstRejectingSeed("lin-kv offsets, late writes",
        "-w kafka --node-count 2 --concurrency 2n --time-limit 3 --rate 300", 3, () -> new LinKvOffsetsNode(150)))
        .contains("poll-skip"));
  }

  @Test
  void linKvMutantsAreRejected() {
    assertFalse(((List<?>) rejectedOnFirstSeed("stale cached reads", LIN_KV, StaleCacheReadNode::new).get("failures")).isEmpty());
    rejectedOnFirstSeed("cas ignores from", LIN_KV, CasIgnoresFromNode::new);
  }

  private static String txn(String workload, int nodes, String models) {
    return "-w " + workload + " --node-count " + nodes + " " + TXN + " " + models;
  }

  @SuppressWarnings("unchecked")
  private static List<String> anomalyTypes(Map<?, ?> workload) {
    return (List<String>) workload.get("anomaly-types");
  }

  @Test
  void txnMutantsShowTheirAnomalies() {
    assertTrue(anomalyTypes(rejectedOnFirstSeed("txn intermediate writes", txn("txn-rw-register", 1, "read-committed"),
        () -> new TxnMutant("intermediate"))).contains("G1b"));
    for (String workload : List.of("txn-rw-register", "txn-list-append")) {
      assertTrue(anomalyTypes(rejectedOnFirstSeed("txn aborted writes, " + workload, txn(workload, 1, "read-committed"),
          () -> new TxnMutant("aborted"))).contains("G1a"), workload);
    }
  }

  @Test
  void txnMutantsThatMaelstromCannotSeeFailStrictAnalysis() {
    String garbage = txn("txn-rw-register", 1, "read-committed");
    assertEquals(0, run(garbage, 1, () -> new TxnMutant("garbage")).exitCode(), "Maelstrom's checker cannot tell");
    assertEquals(false, ((Map<?, ?>) rejectedOnFirstSeed("txn garbage reads", garbage + " --strict",
        () -> new TxnMutant("garbage")).get("garbage-reads")).get("valid?"));
    String local = txn("txn-rw-register", 2, "read-uncommitted");
    assertEquals(0, run(local, 1, () -> new TxnMutant("local")).exitCode(), "Maelstrom's checker cannot tell");
    assertEquals(false, ((Map<?, ?>) rejectedOnFirstSeed("txn never replicates", local + " --strict",
        () -> new TxnMutant("local")).get("convergence")).get("valid?"));
  }

  @Test
  void rejectionNeedsABug() {
    // The search must be able to fail: a correct handler is never "found".
    AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
        () -> firstRejectingSeed("control", KAFKA, 2, () -> new KafkaMutant("ok")));
    assertTrue(e.getMessage().contains("passed on every seed"));
  }
}
