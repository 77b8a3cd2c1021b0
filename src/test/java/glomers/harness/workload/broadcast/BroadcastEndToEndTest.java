package glomers.harness.workload.broadcast;

import static org.junit.jupiter.api.Assertions.*;

import glomers.harness.RunSettings;
import glomers.harness.TestBins;
import glomers.harness.run.HarnessRunner;
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
 * End-to-end broadcast runs through the harness (real processes, short time limits, a 5 s quiet period before
 * the final reads): our node passes under partitions. The broadcast mutants are rejected in-process, on
 * virtual time, by {@code glomers.mutants.MutantsSimTest}.
 */
@RunSettings(finalQuietMs = 5000) // longer than the node's resend timeout after a partition (2.6 s)
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

  @Test
  void ourNodeKeepsEveryValueThroughPartitions() {
    Run r = run(TestBins.forMainName("glomers.cli.Main", "broadcast"),
        "--node-count", "5", "--time-limit", "6", "--rate", "20", "--nemesis", "partition", "--nemesis-interval", "1");
    assertEquals(0, r.result().exitCode(), r.log());
    assertEquals(true, r.get("workload", "valid?"));
    assertEquals(0L, r.get("workload", "lost-count"));
    assertTrue(((Number) r.get("net", "servers", "msg-count")).longValue() > 0);
  }
}
