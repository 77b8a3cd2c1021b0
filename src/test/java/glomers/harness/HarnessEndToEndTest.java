package glomers.harness;

import static org.junit.jupiter.api.Assertions.*;

import glomers.harness.run.HarnessRunner;
import glomers.harness.run.Reanalysis;
import glomers.mutants.EchoAltersText;
import glomers.mutants.EchoExtraEnvelopeKey;
import glomers.mutants.EchoExtraReplyField;
import glomers.mutants.EchoLateFirst;
import glomers.mutants.UniqueIdsLocalCounter;
import glomers.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end runs of the harness against our real nodes (challenges 1 and 2) and against mutants it must
 * reject, plus the observed Maelstrom edge cases (silencing, late replies, init failure). Short time limits;
 * every run is a real multi-process test, and one run of our echo node serves every test that only reads it.
 * A node that exits after init and the coordinating id generator are {@code ReportEndToEndTest}'s runs.
 */
@RunSettings(reports = false) // the HTML report has its own tests; skipping it keeps these runs short
class HarnessEndToEndTest {
  @TempDir Path store;
  @TempDir static Path sharedStore;
  private static Run echo;

  record Run(HarnessRunner.Result result, String out, String err) {
    int exit() {
      return result.exitCode();
    }

    Object get(String... path) {
      Object o = result.results();
      for (String p : path) o = ((Map<?, ?>) o).get(p);
      return o;
    }

    List<Map<String, Object>> history() throws Exception {
      List<Map<String, Object>> ops = new ArrayList<>();
      for (String l : Files.readAllLines(result.storeDir().resolve("history.jsonl"))) ops.add(Json.parseMap(l));
      return ops;
    }
  }

  Run run(Path bin, String... args) {
    return run(store, bin, args);
  }

  static Run run(Path store, Path bin, String... args) {
    List<String> a = new ArrayList<>(List.of("--bin", bin.toString(), "--store", store.toString(), "--seed", "7"));
    a.addAll(List.of(args));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    HarnessRunner.Result r = HarnessRunner.run(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), a.toArray(String[]::new));
    return new Run(r, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Path ourNode(String workload) {
    return TestBins.forMainName("glomers.cli.Main", workload);
  }

  /** Our echo node as 5 processes, 2n workers at rate 100 for 2 s under partitions: run once, read by several tests. */
  static synchronized Run echoRun() {
    if (echo == null) {
      echo = run(sharedStore, ourNode("echo"), "-w", "echo", "--node-count", "5", "--concurrency", "2n", "--rate", "100",
          "--time-limit", "2", "--nemesis", "partition", "--nemesis-interval", "0.4");
    }
    return echo;
  }

  @Test
  void challenge1EchoPasses() throws Exception {
    Run r = echoRun();
    assertEquals(0, r.exit(), r.out + r.err);
    assertEquals(true, r.get("workload", "valid?"));
    long ok = (Long) r.get("stats", "ok-count");
    assertTrue(ok > 20, "ops: " + ok);
    // init (5 + 5 replies) + one request and one reply per op, all client traffic
    assertEquals(10 + 2 * ok, r.get("net", "clients", "msg-count"));
    assertEquals(0L, r.get("net", "servers", "msg-count"));
    assertTrue(Files.exists(r.result().storeDir().resolve("results.json")));
    assertTrue(Files.exists(r.result().storeDir().resolve("node-logs").resolve("n4.log")));
    assertTrue(Files.isSymbolicLink(sharedStore.resolve("latest")));
  }

  @Test
  void challenge2UniqueIdsPassesUnderPartitions() {
    Run r = run(ourNode("unique-ids"), "-w", "unique-ids", "--node-count", "3", "--time-limit", "3",
        "--rate", "200", "--availability", "total", "--nemesis", "partition", "--nemesis-interval", "0.5");
    assertEquals(0, r.exit(), r.out + r.err);
    assertEquals(0L, r.get("workload", "duplicated-count"));
    assertTrue((Long) r.get("workload", "acknowledged-count") > 150);
  }

  @Test
  void echoThatAltersTextIsInvalid() {
    Run r = run(TestBins.forMain(EchoAltersText.class), "-w", "echo", "--node-count", "1", "--time-limit", "2",
        "--rate", "10");
    assertEquals(1, r.exit(), r.out + r.err);
    assertEquals(false, r.get("workload", "valid?"));
    assertTrue(r.out.contains("Analysis invalid"));
  }

  @Test
  void echoWithExtraReplyFieldFailsThroughStats() {
    Run r = run(TestBins.forMain(EchoExtraReplyField.class), "-w", "echo", "--node-count", "1",
        "--time-limit", "2", "--rate", "10");
    assertEquals(1, r.exit(), r.out + r.err);
    // As Maelstrom: malformed replies are :info (not checked by echo) and no :ok → :stats invalid
    assertEquals(true, r.get("workload", "valid?"));
    assertEquals(false, r.get("stats", "valid?"));
    assertEquals(0L, r.get("stats", "ok-count"));
    assertNotNull(r.get("exceptions", "exceptions"));
  }

  @Test
  void extraEnvelopeKeySilencesNodeButEchoStillPasses() throws Exception {
    Run r = run(TestBins.forMain(EchoExtraEnvelopeKey.class), "-w", "echo", "--node-count", "1",
        "--time-limit", "2", "--rate", "5");
    assertEquals(0, r.exit(), r.out + r.err); // observed: exit 0
    assertEquals(2L, r.get("stats", "ok-count"));
    assertTrue((Long) r.get("stats", "info-count") >= 1);
    assertTrue(r.err.contains("disallowed") && r.err.contains("silenced"), r.err);
    assertTrue(r.out.contains("Harness diagnostics"));
    assertNull(r.get("protocol"), "no extra checker without --strict");
    // --strict only adds an analysis for echo, so the stored run analysed again with it is the --strict run
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    Reanalysis.Outcome strict = Reanalysis.analyse(r.result().storeDir(), b -> b.strict(true), quiet, quiet);
    assertEquals(1, strict.exitCode(), "--strict: a protocol violation makes the run invalid");
    assertEquals(false, ((Map<?, ?>) strict.results().get("protocol")).get("valid?"));
  }

  @Test
  void lateReplyReplacesClientAndSilencesNode() throws Exception {
    Run r = run(TestBins.forMain(EchoLateFirst.class, "5600"), "-w", "echo", "--node-count", "2",
        "--time-limit", "7", "--rate", "5");
    assertEquals(0, r.exit(), r.out + r.err);
    List<Map<String, Object>> h = r.history();
    // n0's first op timed out → :info net-timeout, its worker's next process is 0 + concurrency = 2
    Map<String, Object> info = h.stream().filter(o -> "info".equals(o.get("type"))).findFirst().orElseThrow();
    assertEquals(0L, info.get("process"));
    assertEquals("net-timeout", info.get("error"));
    assertTrue(h.stream().anyMatch(o -> Long.valueOf(2).equals(o.get("process"))), "process id += concurrency");
    assertTrue(r.err.contains("\"c4\" is not an open client"), r.err); // init c0,c1; setup c2,c3; workers c4,c5
    assertTrue((Long) r.get("stats", "ok-count") > 5);
  }

  @Test
  void uniqueIdsDuplicatesAcrossNodesAreInvalid() {
    Run r = run(TestBins.forMain(UniqueIdsLocalCounter.class), "-w", "unique-ids", "--node-count", "2",
        "--time-limit", "2", "--rate", "20");
    assertEquals(1, r.exit(), r.out + r.err);
    assertTrue((Long) r.get("workload", "duplicated-count") > 0);
  }

  @Test
  void missingBinaryAndBadArguments() {
    assertEquals(255, run(Path.of("/nonexistent/bin"), "-w", "echo", "--node-count", "1").exit());
    Path bin = ourNode("echo");
    assertEquals(254, run(bin, "-w", "nope").exit());
    assertEquals(254, run(bin, "-w", "echo", "--concurrency", "x").exit());
    assertEquals(254, run(bin, "-w", "echo", "--availability", "2").exit());
    assertEquals(254, run(bin, "-w", "echo", "--nemesis", "explode").exit());
  }

  @Test
  void nodeThatNeverAnswersInitCrashesAfterTenSeconds() {
    Path bin = TestBins.script("silent", "#!/bin/sh\nexec cat > /dev/null\n");
    long t = System.nanoTime();
    Run r = run(bin, "-w", "echo", "--node-count", "1", "--time-limit", "1");
    assertEquals(255, r.exit());
    assertTrue(r.result().crash().contains("Expected node n0 to respond to an init message"));
    assertTrue((System.nanoTime() - t) / 1e9 < 15);
  }

  @Test
  void schedulerRateConcurrencyCutoffAndNemesisEntries() throws Exception {
    Run r = echoRun();
    assertEquals(0, r.exit(), r.out + r.err);
    List<Map<String, Object>> h = r.history();
    List<Double> inv = new ArrayList<>();
    java.util.Set<Object> outstanding = new java.util.HashSet<>();
    int maxOutstanding = 0;
    for (Map<String, Object> o : h) {
      if ("nemesis".equals(o.get("process"))) continue;
      if ("invoke".equals(o.get("type"))) {
        inv.add(((Long) o.get("time")) / 1e9);
        assertTrue(outstanding.add(o.get("process")), "one op per process at a time");
        maxOutstanding = Math.max(maxOutstanding, outstanding.size());
        assertTrue((Long) o.get("process") < 10, "no :info → processes stay 0..9");
      } else {
        outstanding.remove(o.get("process"));
      }
    }
    assertTrue(maxOutstanding <= 10, "2n workers: " + maxOutstanding);
    assertTrue(inv.size() > 120 && inv.size() < 280, "≈ rate × time-limit = 200: " + inv.size());
    double meanGap = (inv.get(inv.size() - 1) - inv.get(0)) / (inv.size() - 1);
    assertEquals(0.01, meanGap, 0.005, "global stagger mean 1/rate");
    assertTrue(inv.get(inv.size() - 1) <= inv.get(0) + 2.0 + 0.05, "no op after first op + time limit");
    List<Map<String, Object>> nem = h.stream().filter(o -> "nemesis".equals(o.get("process"))).toList();
    assertTrue(nem.size() >= 4 && nem.size() % 2 == 0, "two :info entries per nemesis op: " + nem.size());
    assertEquals("start-partition", nem.get(0).get("f"));
    assertEquals("info", nem.get(0).get("type"));
    assertTrue(((Long) nem.get(0).get("time")) / 1e9 < 0.5, "first partition starts at t ≈ 0");
    assertEquals("isolated", ((List<?>) nem.get(1).get("value")).get(0));
    assertEquals("stop-partition", nem.get(2).get("f"));
    assertEquals("network-healed", nem.get(3).get("value"));
  }

  @Test
  void rateZeroIssuesNoOpsAndStillRunsTheTimeLimit() {
    long t = System.nanoTime();
    Run r = run(ourNode("echo"), "-w", "echo", "--node-count", "1", "--rate", "0", "--time-limit", "1.5");
    assertEquals(0, r.exit(), r.out + r.err);
    assertEquals(0L, r.get("stats", "count"));
    assertTrue((System.nanoTime() - t) / 1e9 >= 1.5);
  }

  @Test
  void debugLineOnStdoutSilencesTheNodeAndFailsStats() {
    Run r = run(TestBins.forMain(glomers.mutants.EchoPrintsDebugToStdout.class), "-w", "echo", "--node-count", "1",
        "--time-limit", "1", "--rate", "5");
    assertEquals(1, r.exit(), r.out + r.err);
    assertEquals(0L, r.get("stats", "ok-count"));
    assertTrue(r.err.contains("node n0 wrote an invalid line to stdout: got echo"), r.err);
    assertTrue(r.err.contains("not well-formed JSON"), r.err);
  }

  @Test
  void watchdogEndsARunWhoseWorkloadClientHangs() {
    glomers.harness.workload.Workloads.register("hang-test", () -> new glomers.harness.workload.Workload() {
      @Override public String name() { return "hang-test"; }
      @Override public boolean reusableClient() { return true; }
      @Override public glomers.harness.workload.WorkloadClient newClient(glomers.harness.workload.TestSpec t) {
        return (op, rpc) -> {
          while (true) { // swallows interrupts: the worst kind of client
            try {
              Thread.sleep(60_000);
            } catch (InterruptedException ignored) {
              // keep hanging
            }
          }
        };
      }
      @Override public glomers.harness.workload.Generator generator(glomers.harness.workload.TestSpec t) {
        return glomers.harness.workload.Generators.repeat(ctx -> glomers.harness.history.Op.invoke(ctx.process(), "x", null));
      }
      @Override public glomers.harness.check.Checker checker(glomers.harness.workload.TestSpec t) {
        return (c, h) -> Map.of("valid?", true);
      }
    });
    // A node that answers init and nothing else, in a shell: it is up in milliseconds, so the 3 s budget
    // still ends in the hanging main phase when the machine is too loaded to start a JVM in 3 s.
    Path initOnly = TestBins.script("init-only", """
        #!/bin/sh
        read -r line
        src=$(printf '%s' "$line" | sed 's/.*"src":"\\([^"]*\\)".*/\\1/')
        id=$(printf '%s' "$line" | sed 's/.*"msg_id":\\([0-9]*\\).*/\\1/')
        printf '{"src":"n0","dest":"%s","body":{"type":"init_ok","in_reply_to":%s}}\\n' "$src" "$id"
        exec cat > /dev/null
        """);
    System.setProperty("glomers.watchdog-ms", "3000");
    try {
      long t = System.nanoTime();
      Run r = run(initOnly, "-w", "hang-test", "--node-count", "1", "--time-limit", "1");
      assertEquals(255, r.exit());
      assertTrue(r.result().crash().contains("watchdog"), r.result().crash());
      assertTrue((System.nanoTime() - t) / 1e9 < 12, "bounded");
    } finally {
      System.clearProperty("glomers.watchdog-ms");
      glomers.harness.workload.Workloads.unregister("hang-test");
    }
  }

  /** Regression: teardown must kill every node before waiting, and never close a node's stdin first. */
  @Test
  void teardownOfManyNodesIsNotMistakenForACrash() {
    Run r = echoRun();
    assertEquals(0, r.exit(), r.out + r.err);
    assertFalse(r.err.contains("exited early"), r.err);
  }
}
