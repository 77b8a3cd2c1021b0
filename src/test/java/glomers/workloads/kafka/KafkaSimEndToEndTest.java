package glomers.workloads.kafka;

import static glomers.sim.SimTestCluster.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.harness.run.HarnessRunner;
import glomers.mutants.kafka.KafkaMutant;
import glomers.node.WorkloadHandler;
import glomers.node.storage.Storage;
import glomers.sim.SimTestCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole kafka pipeline on the simulation: the harness's kafka workload (generator, client state
 * machine, final phase, checker) and its kill and duplicate nemeses, against the real node and the mutants.
 */
class KafkaSimEndToEndTest {
  @TempDir Path store;

  /** About 3000 main-phase ops (3 s at rate 1000, two workers per node), then the final polls. */
  private HarnessRunner.Result run(int nodes, Supplier<WorkloadHandler> handler, Map<String, String> settings,
      long seed, String more, UnaryOperator<Storage> disk) {
    return SimTestCluster.test(store, "-w kafka --node-count " + nodes + " --concurrency 2n --time-limit 3 --rate 1000"
        + " --latency 1 --seed " + seed + " " + more, handler, settings, disk);
  }

  private HarnessRunner.Result run(int nodes, Supplier<WorkloadHandler> handler, long seed) {
    return run(nodes, handler, Map.of(), seed, "", UnaryOperator.identity());
  }

  @SuppressWarnings("unchecked")
  static List<String> errorTypes(HarnessRunner.Result r) {
    return (List<String>) result(r, "workload", "error-types");
  }

  private static Object valid(HarnessRunner.Result r) {
    return result(r, "workload", "valid?");
  }

  @Test
  void realNodeIsValidOnOneTwoAndThreeNodesInBothModes() {
    for (String mode : List.of("clock", "owner")) {
      for (int n = 1; n <= 3; n++) {
        HarnessRunner.Result r = run(n, KafkaHandler::new, Map.of("mode", mode), n, "", UnaryOperator.identity());
        assertEquals(true, valid(r), mode + " n=" + n + ": " + r.results());
      }
    }
  }

  @Test
  void controlMutantIsValid() {
    assertEquals(true, valid(run(1, () -> new KafkaMutant("ok"), 5)));
  }

  @Test
  void skippingPollsAreCaught() {
    HarnessRunner.Result r = run(1, () -> new KafkaMutant("skip"), 5);
    assertEquals(false, valid(r));
    assertTrue(errorTypes(r).contains("poll-skip"), () -> errorTypes(r).toString());
  }

  @Test
  void droppedAcknowledgedSendsAreCaught() {
    HarnessRunner.Result r = run(1, () -> new KafkaMutant("drop"), 5);
    assertEquals(false, valid(r));
    assertTrue(errorTypes(r).contains("unseen"), () -> errorTypes(r).toString());
  }

  @Test
  void sharedOffsetsAreCaught() {
    HarnessRunner.Result r = run(1, () -> new KafkaMutant("dup-offset"), 5);
    assertEquals(false, valid(r));
    assertTrue(errorTypes(r).contains("inconsistent-offsets"), () -> errorTypes(r).toString());
  }

  /** Nodes are killed and restart on their synced disk: no acknowledged send lost, no offset reused, no commit going back. */
  @Test
  void realNodeIsValidThroughCrashes() {
    for (String mode : List.of("clock", "owner")) {
      for (long seed = 1; seed <= 3; seed++) {
        HarnessRunner.Result r = run(3, KafkaHandler::new, Map.of("mode", mode), seed,
            "--nemesis kill --nemesis-interval 0.3", UnaryOperator.identity());
        long kills = ((Number) result(r, "faults", "kill")).longValue();
        assertTrue(kills >= 4, "kills " + kills);
        assertEquals(true, valid(r), mode + " seed " + seed + ": " + r.results());
      }
    }
  }

  /** Node-to-node messages arrive twice while nodes are killed: still valid. */
  @Test
  void duplicatedMessagesChangeNothing() {
    for (String mode : List.of("clock", "owner")) {
      HarnessRunner.Result r = run(3, KafkaHandler::new, Map.of("mode", mode), 4,
          "--nemesis kill,duplicate --nemesis-interval 0.3", UnaryOperator.identity());
      assertTrue(((Number) result(r, "faults", "duplicated-messages")).longValue() > 0, () -> r.results().toString());
      assertEquals(true, valid(r), mode + ": " + r.results());
    }
  }

  /** A node whose disk forgets its appends restarts its offsets from scratch: caught with crashes only. */
  @Test
  void aNodeReusingOffsetsAfterARestartIsCaught() {
    assertEquals(true, valid(run(3, KafkaHandler::new, Map.of(), 1, "", glomers.mutants.kafka.ForgetsItsLog::new)),
        "without crashes");
    HarnessRunner.Result r = run(3, KafkaHandler::new, Map.of(), 1, "--nemesis kill --nemesis-interval 0.3",
        glomers.mutants.kafka.ForgetsItsLog::new);
    assertEquals(false, valid(r), () -> r.results().toString());
    // a reused offset shows as two messages at one offset, or as the earlier message lost from it
    assertTrue(errorTypes(r).contains("inconsistent-offsets") || errorTypes(r).contains("lost-write"),
        () -> errorTypes(r).toString());
  }
}
