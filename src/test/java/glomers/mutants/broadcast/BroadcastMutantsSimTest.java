package glomers.mutants.broadcast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.harness.run.HarnessRunner;
import glomers.harness.workload.TestSpec;
import glomers.sim.Sim;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulation finds a seeded bug by trying seeds, and replays the failing seed identically: a
 * broadcast that sends each value once and never retries is correct on a healthy network and loses values
 * under partitions (3c).
 */
class BroadcastMutantsSimTest {
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  private static final String FLAGS = "-w broadcast --node-count 5 --time-limit 10 --rate 10";

  @TempDir Path store;

  private HarnessRunner.Result run(String kind, String flags, long seed) {
    List<String> args = new ArrayList<>(Arrays.asList(flags.split(" ")));
    args.addAll(List.of("--seed", Long.toString(seed), "--store", store.toString()));
    TestSpec spec = HarnessRunner.parse(args.toArray(String[]::new)).toSpec(null);
    return Sim.run(spec, () -> new BroadcastMutants(kind), Map.of(), QUIET, QUIET, false);
  }

  @Test
  void gossipOnceIsCaughtUnderPartitionsWithinTenSeedsAndItsSeedReplaysIdentically() throws IOException {
    assertEquals(0, run("gossip-once", FLAGS, 1).exitCode(), "without faults the mutant is correct");
    String partitions = FLAGS + " --nemesis partition --nemesis-interval 2";
    long failing = -1;
    for (long seed = 1; seed <= 10 && failing < 0; seed++) {
      if (run("gossip-once", partitions, seed).exitCode() == 1) failing = seed;
    }
    assertTrue(failing > 0, "no seed of 1..10 caught the mutant");
    HarnessRunner.Result a = run("gossip-once", partitions, failing);
    HarnessRunner.Result b = run("gossip-once", partitions, failing);
    assertEquals(1, a.exitCode());
    assertEquals(1, b.exitCode());
    assertEquals(false, ((Map<?, ?>) a.results().get("workload")).get("valid?"));
    for (String f : new String[] {"results.json", "history.jsonl"}) {
      assertArrayEquals(Files.readAllBytes(a.storeDir().resolve(f)), Files.readAllBytes(b.storeDir().resolve(f)), f);
    }
  }

  @Test
  void noGossipIsCaughtOnAHealthyNetwork() {
    assertEquals(1, run("no-gossip", FLAGS, 1).exitCode());
  }
}
