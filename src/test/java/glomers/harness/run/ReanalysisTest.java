package glomers.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.cli.CliRun;
import glomers.harness.HarnessRun;
import glomers.harness.TestBins;
import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import glomers.harness.results.Results;
import glomers.harness.workload.TestSpec;
import glomers.mutants.EchoAltersText;
import glomers.protocol.Json;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code analyze}: a stored run analysed again gives the verdict and figures the run gave. */
class ReanalysisTest {
  @TempDir Path tmp;

  static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

  HarnessRun echoRun(Path bin) {
    return HarnessRun.of("-w", "echo", "--bin", bin.toString(), "--node-count", "1", "--time-limit", "2",
        "--store", tmp.resolve("store").toString(), "echo");
  }

  /** The results.json a run wrote, then what {@code analyze} writes over it. */
  void reproduces(HarnessRun run, int exitCode) throws Exception {
    assertEquals(exitCode, run.result().exitCode(), run.out());
    Path dir = run.result().storeDir();
    Map<String, Object> before = Json.parseMap(Files.readString(dir.resolve("results.json")));
    // only what the live run alone could measure stays: the rest must be recomputed
    Files.writeString(dir.resolve("results.json"), Json.write(Map.of("net", before.get("net"))));
    Files.delete(dir.resolve("report.html"));
    Reanalysis.Outcome o = Reanalysis.analyse(dir, UnaryOperator.identity(), QUIET, QUIET);
    assertEquals(exitCode, o.exitCode());
    assertEquals(before, Json.parseMap(Files.readString(dir.resolve("results.json"))), "verdict and every figure");
    assertTrue(Files.isRegularFile(dir.resolve("report.html")), "report written anew");
  }

  @Test
  void validRunReproduced() throws Exception {
    reproduces(echoRun(TestBins.forMainName("glomers.cli.Main")), 0);
  }

  @Test
  void invalidRunReproduced() throws Exception {
    HarnessRun run = echoRun(TestBins.forMain(EchoAltersText.class));
    reproduces(run, 1);
    assertEquals(false, run.get("workload", "valid?"));
  }

  /** Write skew in list-append: two concurrent txns each read the key the other appends to (G2-item). */
  static Path writeSkewRun(Path dir) throws Exception {
    Files.createDirectories(dir);
    TestSpec spec = TestSpec.builder().workload("txn-list-append").bin("node").nodeCount(2).seed(7)
        .consistencyModels(List.of("serializable")).build();
    Files.writeString(dir.resolve("test.json"), Json.write(spec.options()) + "\n");
    Files.writeString(dir.resolve("results.json"), "{\"net\":{\"valid?\":true,\"all\":{\"msg-count\":12}},\"valid?\":true}\n");
    List<Op> ops = new ArrayList<>();
    ops.add(op(0, OpType.INVOKE, 0, List.of(mop("r", 1, null), mop("append", 2, 1L))));
    ops.add(op(1, OpType.INVOKE, 1, List.of(mop("r", 2, null), mop("append", 1, 1L))));
    ops.add(op(2, OpType.OK, 0, List.of(mop("r", 1, List.of()), mop("append", 2, 1L))));
    ops.add(op(3, OpType.OK, 1, List.of(mop("r", 2, List.of()), mop("append", 1, 1L))));
    ops.add(op(4, OpType.INVOKE, 0, List.of(mop("r", 1, null), mop("r", 2, null))));
    ops.add(op(5, OpType.OK, 0, List.of(mop("r", 1, List.of(1L)), mop("r", 2, List.of(1L)))));
    Results.writeHistory(dir.resolve("history.jsonl"), new History(ops));
    return dir;
  }

  static Op op(int i, OpType t, long p, List<Object> txn) {
    return new Op(i, i * 1_000_000L, t, p, "txn", txn, null, null, false, null);
  }

  static List<Object> mop(String f, long k, Object v) {
    List<Object> m = new ArrayList<>();
    m.add(f);
    m.add(k);
    m.add(v);
    return m;
  }

  @Test
  void consistencyModelsDecideWriteSkew() throws Exception {
    Path dir = writeSkewRun(tmp.resolve("store/txn-list-append/20261203T100000.000"));
    Reanalysis.Outcome serializable = Reanalysis.analyse(dir, UnaryOperator.identity(), QUIET, QUIET);
    assertEquals(1, serializable.exitCode(), "G2-item is not serializable: " + serializable.results().get("workload"));
    assertTrue(String.valueOf(serializable.results().get("workload")).contains("G2"), String.valueOf(serializable.results()));
    Reanalysis.Outcome readCommitted = Reanalysis.analyse(dir, b -> b.consistencyModels(List.of("read-committed")), QUIET, QUIET);
    assertEquals(0, readCommitted.exitCode(), "read committed allows G2: " + readCommitted.results().get("workload"));
    assertEquals(true, Json.parseMap(Files.readString(dir.resolve("results.json"))).get("valid?"), "results.json rewritten");
  }

  static CliRun analyze(String... args) {
    List<String> all = new ArrayList<>(List.of("analyze"));
    all.addAll(List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  @Test
  void commandOverridesConsistencyModels() throws Exception {
    Path dir = writeSkewRun(tmp.resolve("store/txn-list-append/20261203T100000.000"));
    CliRun invalid = analyze(dir.toString());
    assertEquals(1, invalid.exit(), invalid.err());
    assertTrue(invalid.out().contains("Analysis invalid!"), invalid.out());
    CliRun valid = analyze(dir.toString(), "--consistency-models", "read-committed");
    assertEquals(0, valid.exit(), valid.err());
    assertTrue(valid.out().contains("Everything looks good!"), valid.out());
    CliRun bad = analyze(dir.toString(), "--availability", "2");
    assertEquals(254, bad.exit());
    assertEquals("Bad arguments: --availability must be a number in [0,1] or total\n", bad.err());
  }

  @Test
  void strictTurnsStoredDiagnosticsIntoAVerdict() throws Exception {
    Path dir = writeSkewRun(tmp.resolve("store/txn-list-append/20261203T100000.000"));
    Files.writeString(dir.resolve("results.json"), "{\"net\":{\"valid?\":true},\"harness-diagnostics\":"
        + "[\"n1 wrote a reply to c9, a closed client: the node is silenced\"],\"valid?\":true}\n");
    UnaryOperator<TestSpec.Builder> rc = b -> b.consistencyModels(List.of("read-committed"));
    assertEquals(0, Reanalysis.analyse(dir, rc, QUIET, QUIET).exitCode(), "diagnostics alone do not change the verdict");
    Reanalysis.Outcome strict = Reanalysis.analyse(dir, b -> rc.apply(b).strict(true), QUIET, QUIET);
    assertEquals(1, strict.exitCode());
    assertEquals(false, ((Map<?, ?>) strict.results().get("protocol")).get("valid?"), String.valueOf(strict.results()));
    assertEquals(List.of("n1 wrote a reply to c9, a closed client: the node is silenced"),
        Json.parseMap(Files.readString(dir.resolve("results.json"))).get("harness-diagnostics"), "kept for the next analysis");
  }

  @Test
  void truncatedOrCorruptHistoryNamesTheLine() throws Exception {
    Path dir = writeSkewRun(tmp.resolve("store/txn-list-append/20261203T100000.000"));
    Path h = dir.resolve("history.jsonl");
    List<String> lines = Files.readAllLines(h);
    Files.writeString(h, String.join("\n", lines.subList(0, 4)) + "\n" + lines.get(4).substring(0, 30));
    Reanalysis.BadRun e = assertThrows(Reanalysis.BadRun.class,
        () -> Reanalysis.analyse(dir, UnaryOperator.identity(), QUIET, QUIET));
    assertTrue(e.getMessage().contains("history.jsonl line 5: not an operation"), e.getMessage());

    Files.writeString(h, lines.get(0) + "\n" + lines.get(1).replace("\"type\":\"invoke\"", "\"type\":\"maybe\"") + "\n");
    CliRun corrupt = analyze(dir.toString());
    assertEquals(254, corrupt.exit());
    assertEquals(1, corrupt.err().strip().lines().count(), "one line: " + corrupt.err());
    assertTrue(corrupt.err().startsWith("analyze: ") && corrupt.err().contains("history.jsonl line 2:"), corrupt.err());
    assertFalse(corrupt.err().contains("Exception") || corrupt.err().contains("\tat "), corrupt.err());

    Files.delete(h);
    CliRun missing = analyze(dir.toString());
    assertEquals(254, missing.exit());
    assertTrue(missing.err().contains("history.jsonl is missing"), missing.err());
  }
}
