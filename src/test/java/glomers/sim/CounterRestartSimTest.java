package glomers.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import glomers.harness.run.HarnessRunner;
import glomers.harness.workload.TestSpec;
import glomers.workloads.counter.CounterHandler;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A counter's read catches its seq-kv session up by writing a value nobody wrote before to its scratch key
 * (docs/counters.md). Seed 461 of the fault sweep (docs/faults.md#the-fault-sweep) kills n2 twice; its third
 * life, idle since its second, answers the final read. Had each life counted its scratch values from 1 again,
 * that write would repeat the second life's and change nothing, seq-kv would leave the session where it was,
 * and the read would take a stale total of the other nodes (−564 where the others read −565).
 */
class CounterRestartSimTest {
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @TempDir Path store;

  @Test
  void aRestartedNodesFinalReadIsFresh() {
    List<String> args = new ArrayList<>(Arrays.asList(("-w pn-counter --node-count 3 --rate 100 --time-limit 20"
        + " --nemesis partition,kill,pause,duplicate --seed 461").split(" ")));
    args.addAll(List.of("--store", store.toString()));
    TestSpec spec = HarnessRunner.parse(args.toArray(String[]::new)).toSpec(null);
    HarnessRunner.Result r = Sim.run(spec, CounterHandler::pn, Map.of(), QUIET, QUIET, false);
    assertEquals(0, r.exitCode(), () -> String.valueOf(r.results()));
  }
}
