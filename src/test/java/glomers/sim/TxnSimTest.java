package glomers.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.cli.NodeWorkloads;
import glomers.harness.run.HarnessRunner;
import glomers.harness.workload.TestSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The txn node's algorithm under the simulation (the flags of {@code glomers.harness.TxnEndToEndTest}, which
 * keeps the real-process runs of each txn workload): read committed stays available and valid under
 * partitions, {@code mode=strict} is strict serializable for both workloads, and the default mode is not.
 */
class TxnSimTest {
  @TempDir Path store;

  /** --strict adds a final phase after 10 s of quiet; 1 s is plenty for these small runs. */
  @BeforeAll
  static void shortQuiet() {
    System.setProperty("glomers.final-quiet-ms", "1000");
  }

  @AfterAll
  static void restoreQuiet() {
    System.clearProperty("glomers.final-quiet-ms");
  }

  private HarnessRunner.Result run(String workload, Map<String, String> settings, String models, String... more) {
    List<String> f = new ArrayList<>(List.of("-w", workload, "--node-count", "2", "--concurrency", "2n",
        "--time-limit", "2", "--rate", "300", "--consistency-models", models, "--nemesis", "partition",
        "--nemesis-interval", "0.5", "--seed", "11", "--store", store.toString()));
    f.addAll(List.of(more));
    TestSpec spec = HarnessRunner.parse(f.toArray(String[]::new)).toSpec(null);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(log, true, StandardCharsets.UTF_8);
    HarnessRunner.Result r = Sim.run(spec, () -> NodeWorkloads.create(workload), settings, ps, ps, false);
    assertTrue(r.results() != null, () -> log.toString(StandardCharsets.UTF_8));
    return r;
  }

  private static Object get(HarnessRunner.Result r, String... path) {
    Object o = r.results();
    for (String p : path) o = o == null ? null : ((Map<?, ?>) o).get(p);
    return o;
  }

  @Test
  void challenge6cReadCommittedUnderPartitions() {
    HarnessRunner.Result r = run("txn-rw-register", Map.of(), "read-committed", "--availability", "total");
    assertEquals(0, r.exitCode(), () -> r.results().toString());
    assertEquals(1.0, get(r, "availability", "ok-fraction"));
  }

  @Test
  void strictModePassesStrictSerializableForBothWorkloads() {
    for (String w : List.of("txn-rw-register", "txn-list-append")) {
      HarnessRunner.Result r = run(w, Map.of("mode", "strict"), "strict-serializable");
      assertEquals(0, r.exitCode(), () -> w + " " + r.results());
    }
  }

  @Test
  void readCommittedNodeIsNotStrictSerializable() {
    HarnessRunner.Result r = run("txn-rw-register", Map.of(), "strict-serializable");
    assertEquals(1, r.exitCode(), () -> r.results().toString());
    assertTrue(((List<?>) get(r, "workload", "anomaly-types")).stream().anyMatch(t -> String.valueOf(t).startsWith("G")),
        () -> r.results().toString());
  }
}
