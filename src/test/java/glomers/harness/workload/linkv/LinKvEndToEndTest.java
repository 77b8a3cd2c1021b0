package glomers.harness.workload.linkv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.cli.Main;
import glomers.harness.TestBins;
import glomers.harness.run.HarnessRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Raft lin-kv node as real processes through the harness, with short runs. The
 * 60-second, 10-seed runs are in {@code maelstrom-tests/bench-linkv.sh}.
 */
class LinKvEndToEndTest {
  @TempDir static Path store;

  private static HarnessRunner.Result run(Path bin, String... extra) {
    List<String> args = new ArrayList<>(List.of("-w", "lin-kv", "--bin", bin.toString(), "--store", store.toString(),
        "--node-count", "3", "--rate", "100"));
    args.addAll(List.of(extra));
    if (!args.contains("--concurrency")) args.addAll(List.of("--concurrency", "2n"));
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    PrintStream quiet = new PrintStream(sink);
    return HarnessRunner.run(quiet, quiet, args.toArray(String[]::new));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> workload(HarnessRunner.Result r) {
    return (Map<String, Object>) r.results().get("workload");
  }

  @Test
  void raftStoreIsLinearizableUnderPartitions() {
    HarnessRunner.Result r = run(TestBins.forMain(Main.class, "lin-kv"), "--time-limit", "8", "--nemesis", "partition",
        "--nemesis-interval", "2");
    assertNotNull(r.results(), r.crash());
    assertEquals(0, r.exitCode(), () -> "results: " + r.results());
    // Not vacuously valid: the store served reads and writes. The bound is far below a quiet run's ~250 ok
    // (about a third of ~750 ops under partitions), so a loaded CI machine does not fail it.
    Map<?, ?> stats = (Map<?, ?>) r.results().get("stats");
    Map<?, ?> byF = (Map<?, ?>) stats.get("by-f");
    long ok = ((Number) stats.get("ok-count")).longValue();
    assertTrue(ok >= 80, () -> "ok-count " + ok + ": " + stats);
    for (String f : List.of("read", "write"))
      assertTrue(((Number) ((Map<?, ?>) byF.get(f)).get("ok-count")).longValue() > 0, () -> f + " never ok: " + stats);
  }

  @Test
  void concurrencyNotAMultipleOfTwiceTheNodeCountAbortsLikeMaelstrom() {
    HarnessRunner.Result r = run(TestBins.forMain(Main.class, "lin-kv"), "--time-limit", "2", "--concurrency", "3n");
    assertEquals(255, r.exitCode());
  }
}
