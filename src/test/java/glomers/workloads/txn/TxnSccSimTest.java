package glomers.workloads.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.harness.check.CheckContext;
import glomers.harness.check.elle.ElleResult;
import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.run.HarnessRunner;
import glomers.harness.run.Reanalysis;
import glomers.harness.workload.TestSpec;
import glomers.harness.workload.txn.ListAppendChecker;
import glomers.sim.Sim;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The list-append-rc catalogue row with {@code --nemesis partition}, on the simulation: outside partition
 * windows the read-committed dependency graph (ww, wr, rw, as Maelstrom 0.2.3's Elle builds it) must break
 * into SCCs small enough for Elle's 1 s cycle search (docs/txn.md#sccs-of-list-append-rc). Seeds 2, 4 and 5
 * have long partitions (seed 2 starts cut off for 10 s): the heal leaves seconds of backlog to exchange,
 * and until it is exchanged every read is stale while writes go on above it.
 */
class TxnSccSimTest {
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  private static final String ROW = "-w txn-list-append --node-count 2 --concurrency 2n --time-limit 20 --rate 1000"
      + " --consistency-models read-committed --availability total --nemesis partition";

  @TempDir Path store;

  @Test
  void sccsOutsidePartitionWindowsStaySmallAfterLongPartitions() throws Exception {
    Map<Long, Integer> outside = new HashMap<>();
    for (long seed : new long[] {2, 4, 5}) {
      List<String> args = new ArrayList<>(List.of(ROW.split(" ")));
      args.addAll(List.of("--seed", Long.toString(seed), "--store", store.resolve("s" + seed).toString()));
      TestSpec spec = HarnessRunner.parse(args.toArray(String[]::new)).toSpec(null);
      HarnessRunner.Result r = Sim.run(spec, TxnHandler::listAppend, Map.of(), QUIET, QUIET, false);
      // Not the run's verdict: inside the windows the SCCs are thousands of transactions (unavoidable with
      // total availability), and whether a 1 s search gets through them depends on the machine's load.
      assertEquals(1.0, ((Map<?, ?>) r.results().get("availability")).get("ok-fraction"), () -> "seed " + seed);
      History h = Reanalysis.readHistory(r.storeDir().resolve("history.jsonl"));
      assertTrue(h.ops().stream().anyMatch(TxnSccSimTest::cuts), "seed " + seed + " has a partition that cuts the link");
      Map<String, Object> res = new ListAppendChecker(60_000).check(
          CheckContext.forTest(2, Map.of("consistency-models", List.of("read-committed"))), outsidePartitions(h));
      assertEquals(true, res.get("valid?"), () -> "seed " + seed + ": " + res);
      outside.put(seed, ElleResult.largestScc(res));
    }
    assertTrue(outside.values().stream().allMatch(n -> n <= 50), "largest SCC outside partition windows per seed: " + outside);
  }

  /** A start-partition completion whose grudge cuts a link (on 2 nodes the nemesis also picks empty ones). */
  private static boolean cuts(Op o) {
    return o.isNemesis() && !o.isInvoke() && "start-partition".equals(o.f()) && o.value() instanceof List<?> l
        && l.size() == 2 && l.get(1) instanceof Map<?, ?> g && g.values().stream().anyMatch(v -> !((List<?>) v).isEmpty());
  }

  /**
   * The client transactions invoked and completed outside every partition window (a cutting start-partition
   * .. the next stop-partition), as {@code maelstrom-tests/txn-outside-partitions.py} selects them for the
   * benchmark.
   */
  static History outsidePartitions(History h) {
    List<long[]> windows = new ArrayList<>();
    long start = -1;
    for (Op o : h.ops()) {
      if (cuts(o) && start < 0) start = o.time();
      else if (o.isNemesis() && "stop-partition".equals(o.f()) && start >= 0) {
        windows.add(new long[] {start, o.time()});
        start = -1;
      }
    }
    if (start >= 0) windows.add(new long[] {start, Long.MAX_VALUE});
    Map<Long, Integer> open = new HashMap<>();
    boolean[] keep = new boolean[h.size()];
    for (int i = 0; i < h.size(); i++) {
      Op o = h.get(i);
      if (!o.isClient()) continue;
      if (o.isInvoke()) {
        open.put(o.process(), i);
        continue;
      }
      Integer j = open.remove(o.process());
      if (j != null && !inside(windows, h.get(j).time()) && !inside(windows, o.time())) keep[i] = keep[j] = true;
    }
    List<Op> kept = new ArrayList<>();
    for (int i = 0; i < h.size(); i++) if (keep[i]) kept.add(h.get(i).withIndex(-1));
    return new History(kept);
  }

  private static boolean inside(List<long[]> windows, long t) {
    return windows.stream().anyMatch(w -> w[0] <= t && t <= w[1]);
  }
}
