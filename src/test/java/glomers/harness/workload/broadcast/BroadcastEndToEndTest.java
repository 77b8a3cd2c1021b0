package glomers.harness.workload.broadcast;

import static org.junit.jupiter.api.Assertions.*;

import glomers.harness.TestBins;
import glomers.harness.run.HarnessRunner;
import glomers.mutants.broadcast.BroadcastMutants;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end broadcast runs through the harness (real processes, short time limits; each run also has the
 * 10 s quiet period before the final reads): our node passes under partitions, and every mutant is rejected
 * by set-full for the reason it was built to exhibit.
 */
class BroadcastEndToEndTest {
  @TempDir Path store;

  record Run(HarnessRunner.Result result, String log) {
    Object get(String... path) {
      Object o = result.results();
      for (String p : path) o = ((Map<?, ?>) o).get(p);
      return o;
    }
  }

  Run run(Path bin, String... args) {
    List<String> a = new ArrayList<>(List.of("-w", "broadcast", "--bin", bin.toString(), "--store", store.toString(), "--seed", "11"));
    a.addAll(List.of(args));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
    HarnessRunner.Result r = HarnessRunner.run(ps, ps, a.toArray(String[]::new));
    return new Run(r, out.toString(StandardCharsets.UTF_8));
  }

  static Path mutant(String kind) {
    return TestBins.forMain(BroadcastMutants.class, kind);
  }

  @Test
  void ourNodeKeepsEveryValueThroughPartitions() {
    Run r = run(TestBins.forMainName("glomers.cli.Main", "broadcast"),
        "--node-count", "5", "--time-limit", "6", "--rate", "20", "--nemesis", "partition", "--nemesis-interval", "1");
    assertEquals(0, r.result().exitCode(), r.log());
    assertEquals(true, r.get("workload", "valid?"));
    assertEquals(0L, r.get("workload", "lost-count"));
    assertTrue(((Number) r.get("net", "servers", "msg-count")).longValue() > 0);
  }

  @Test
  void noGossipLosesValues() {
    Run r = run(mutant("no-gossip"), "--node-count", "3", "--time-limit", "3", "--rate", "20");
    assertEquals(1, r.result().exitCode(), r.log());
    assertTrue(((Number) r.get("workload", "lost-count")).longValue() > 0);
  }

  @Test
  void gossipOnceWithoutRetryLosesValuesUnderPartitions() {
    Run r = run(mutant("gossip-once"),
        "--node-count", "5", "--time-limit", "6", "--rate", "30", "--nemesis", "partition", "--nemesis-interval", "1");
    assertEquals(1, r.result().exitCode(), r.log());
    assertTrue(((Number) r.get("workload", "lost-count")).longValue() > 0);
  }

  @Test
  void forgettingSomeValuesIsCaught() {
    Run r = run(mutant("forget"), "--node-count", "3", "--time-limit", "3", "--rate", "30");
    assertEquals(1, r.result().exitCode(), r.log());
    assertTrue(((Number) r.get("workload", "lost-count")).longValue() > 0);
  }

  @Test
  void aValueThatDisappearsFromReadsIsLost() {
    Run r = run(mutant("late-read"), "--node-count", "1", "--time-limit", "5", "--rate", "20");
    assertEquals(1, r.result().exitCode(), r.log());
    assertEquals(List.of(0L), r.get("workload", "lost"));
  }
}
