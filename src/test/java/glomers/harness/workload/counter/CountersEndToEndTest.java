package glomers.harness.workload.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import glomers.cli.Main;
import glomers.harness.RunSettings;
import glomers.harness.TestBins;
import glomers.harness.run.HarnessRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end runs of the real node processes through the harness, with short time limits and a 5 s quiet
 * period before the final reads. Long runs live in {@code maelstrom-tests/} ({@code ./run.sh 4},
 * {@code bench-counters.sh}); the mutants are rejected in-process by {@code glomers.mutants.MutantsSimTest}.
 */
@RunSettings(finalQuietMs = 5000) // longer than every retry period of the nodes (g-set's backoff: 2 s)
class CountersEndToEndTest {

  @TempDir static Path store;

  private static HarnessRunner.Result run(Path bin, String workload, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("-w", workload, "--bin", bin.toString(), "--store", store.toString(),
        "--time-limit", "4"));
    args.addAll(List.of(extra));
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    PrintStream quiet = new PrintStream(sink);
    HarnessRunner.Result r = HarnessRunner.run(quiet, quiet, args.toArray(String[]::new));
    assertNotNull(r.results(), () -> "run crashed: " + r.crash() + "\n" + sink);
    return r;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> workload(HarnessRunner.Result r) {
    return (Map<String, Object>) r.results().get("workload");
  }

  @Test
  void gCounterOnSeqKvIsValidUnderPartitions() {
    HarnessRunner.Result r =
        run(TestBins.forMain(Main.class, "g-counter"), "g-counter", "--node-count", "3", "--rate", "100",
            "--nemesis", "partition", "--nemesis-interval", "1");
    assertEquals(0, r.exitCode(), () -> "results: " + r.results());
    List<?> finals = (List<?>) workload(r).get("final-reads");
    assertEquals(3, finals.size(), "one final read per node");
  }

  @Test
  void pnCounterIsValidOnFiveNodes() {
    HarnessRunner.Result r =
        run(TestBins.forMain(Main.class, "pn-counter"), "pn-counter", "--node-count", "5", "--rate", "100",
            "--nemesis", "partition", "--nemesis-interval", "1");
    assertEquals(0, r.exitCode(), () -> "results: " + r.results());
  }

  @Test
  void gSetIsValidUnderPartitions() {
    HarnessRunner.Result r =
        run(TestBins.forMain(Main.class, "g-set"), "g-set", "--node-count", "3", "--rate", "100",
            "--nemesis", "partition", "--nemesis-interval", "1");
    assertEquals(0, r.exitCode(), () -> "results: " + r.results());
    assertEquals(0L, ((Number) workload(r).get("lost-count")).longValue());
  }
}
