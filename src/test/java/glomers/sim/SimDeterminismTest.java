package glomers.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import glomers.cli.NodeWorkloads;
import glomers.harness.run.HarnessRunner;
import glomers.harness.workload.TestSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Same seed ⇒ byte-identical history.jsonl, results.json and net journal, for every workload, with
 * latency jitter and partitions where the workload allows them; a different seed gives another history.
 */
class SimDeterminismTest {
  @TempDir Path store;

  static Stream<Arguments> workloads() {
    String part = "--nemesis partition --nemesis-interval 1";
    return Stream.of(
        Arguments.of("echo", "-w echo --node-count 1 --time-limit 2 --rate 20"),
        Arguments.of("unique-ids", "-w unique-ids --node-count 3 --time-limit 2 --rate 100 --availability total " + part),
        Arguments.of("broadcast", "-w broadcast --node-count 5 --time-limit 3 --rate 20 --latency 20 --latency-dist exponential " + part),
        Arguments.of("g-counter", "-w g-counter --node-count 3 --time-limit 3 --rate 50 --latency 5 --latency-dist uniform " + part),
        Arguments.of("pn-counter", "-w pn-counter --node-count 3 --time-limit 3 --rate 50 " + part),
        Arguments.of("g-set", "-w g-set --node-count 3 --time-limit 3 --rate 50 " + part),
        Arguments.of("kafka", "-w kafka --node-count 2 --concurrency 2n --time-limit 2 --rate 200 --latency 5 --latency-dist exponential"),
        Arguments.of("txn-rw-register", "-w txn-rw-register --node-count 2 --concurrency 2n --time-limit 2 --rate 200"
            + " --consistency-models read-committed --availability total " + part),
        Arguments.of("txn-list-append", "-w txn-list-append --node-count 2 --concurrency 2n --time-limit 2 --rate 200"
            + " --consistency-models read-committed --availability total " + part),
        Arguments.of("lin-kv", "-w lin-kv --node-count 3 --concurrency 2n --time-limit 3 --rate 50 --latency 5 " + part));
  }

  private record Run(HarnessRunner.Result result, byte[] history, byte[] results, byte[] journal, String log) {}

  private Run run(String node, String flags, long seed) throws IOException {
    List<String> args = new ArrayList<>(Arrays.asList(flags.split(" ")));
    args.addAll(List.of("--seed", Long.toString(seed), "--store", store.toString()));
    TestSpec spec = HarnessRunner.parse(args.toArray(String[]::new)).toSpec(null);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(log, true, StandardCharsets.UTF_8);
    HarnessRunner.Result r = Sim.run(spec, () -> NodeWorkloads.create(node), Map.of(), ps, ps, false);
    Path d = r.storeDir();
    return new Run(r, Files.readAllBytes(d.resolve("history.jsonl")), Files.readAllBytes(d.resolve("results.json")),
        Files.readAllBytes(d.resolve("net-journal.jsonl")), log.toString(StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("workloads")
  void sameSeedSameRunOtherSeedOtherRun(String node, String flags) throws IOException {
    Run a = run(node, flags, 11);
    Run b = run(node, flags, 11);
    Run c = run(node, flags, 12);
    assertEquals(0, a.result().exitCode(), a.log());
    assertArrayEquals(a.history(), b.history(), "history.jsonl differs between two runs of one seed");
    assertArrayEquals(a.results(), b.results(), "results.json differs between two runs of one seed");
    assertArrayEquals(a.journal(), b.journal(), "net-journal.jsonl differs between two runs of one seed");
    assertFalse(Arrays.equals(a.history(), c.history()), "another seed gave the same history");
  }
}
