package glomers.harness.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.harness.HarnessRun;
import glomers.harness.TestBins;
import glomers.protocol.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kill and pause nemeses on real node processes ({@link ProbeNode}). */
class ProcessFaultsTest {
  private static final Pattern BOOT = Pattern.compile("boot (\\d+) pid=(\\d+) id=(\\S+) cwd=(\\S+) state=(\\S+)");

  @TempDir Path store;

  record Boot(int count, long pid, String id, String cwd, String state) {}

  static List<Boot> boots(Path log) throws IOException {
    List<Boot> out = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      Matcher m = BOOT.matcher(line);
      if (m.find()) {
        out.add(new Boot(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)), m.group(3), m.group(4), m.group(5)));
      }
    }
    return out;
  }

  static List<Map<String, Object>> jsonLines(Path f) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String line : Files.readAllLines(f)) if (!line.isBlank()) out.add(Json.parseMap(line));
    return out;
  }

  private HarnessRun run(Path bin, String... extra) {
    List<String> a = new ArrayList<>(List.of("-w", "echo", "--bin", bin.toString(), "--store", store.toString(),
        "--seed", "3", "--rate", "20"));
    a.addAll(List.of(extra));
    return HarnessRun.of(a.toArray(String[]::new));
  }

  @Test
  void killedNodesComeBackWithTheSameIdAndWorkingDirectory() throws IOException {
    HarnessRun r = run(TestBins.forMain(ProbeNode.class), "--node-count", "3", "--concurrency", "6",
        "--time-limit", "5", "--nemesis", "kill", "--nemesis-interval", "0.5");
    assertEquals(0, r.result().exitCode(), r.out());
    List<Boot> all = new ArrayList<>();
    for (String id : List.of("n0", "n1", "n2")) {
      List<Boot> boots = boots(r.result().storeDir().resolve("node-logs/" + id + ".log"));
      all.addAll(boots);
      Set<Long> pids = new HashSet<>();
      for (int i = 0; i < boots.size(); i++) {
        Boot b = boots.get(i);
        assertEquals(i + 1, b.count(), "the boot counter in the working directory survives every restart");
        assertEquals(id, b.id());
        assertEquals(boots.get(0).cwd(), b.cwd());
        assertEquals(b.cwd(), b.state(), "GLOMERS_STATE_DIR names the working directory");
        pids.add(b.pid());
        assertFalse(ProcessHandle.of(b.pid()).map(ProcessHandle::isAlive).orElse(false), "pid " + b.pid() + " is gone");
      }
      assertEquals(boots.size(), pids.size(), "each boot is a new process");
      assertFalse(Files.exists(Path.of(boots.get(0).cwd())), "the working directory is removed at teardown");
    }
    assertEquals(3, all.stream().map(Boot::cwd).distinct().count(), "one working directory per node");
    List<Map<String, Object>> h = jsonLines(r.result().storeDir().resolve("history.jsonl"));
    long killed = h.stream().filter(o -> "start-kill".equals(o.get("f")) && o.get("value") instanceof List<?> v
        && "killed".equals(v.get(0))).count();
    assertTrue(killed >= 2, "the schedule killed nodes: " + killed);
    assertEquals(killed + 3, all.size(), "each kill (one node of three at a time) is followed by one boot");
  }

  @Test
  void theOnlyNodeIsKilledWhenThereIsOne() throws IOException {
    HarnessRun r = run(TestBins.forMain(ProbeNode.class), "--node-count", "1", "--concurrency", "3",
        "--time-limit", "3", "--nemesis", "kill", "--nemesis-interval", "0.4");
    assertNotNull(r.result().results(), r.out());
    List<Boot> boots = boots(r.result().storeDir().resolve("node-logs/n0.log"));
    assertTrue(boots.size() >= 2, "the only node was killed and restarted: " + boots);
  }

  @Test
  void aNodeThatDiesOnItsOwnIsACrashEvenIfTheNemesisPicksIt() {
    // Three nodes that all exit after init: the nemesis (one node at a time, first at once) may SIGKILL a node
    // still on its way out, which is then its kill, but the others die on their own, are picked later while
    // dead, and must stay crashed, never restarted or forgiven.
    HarnessRun r = run(TestBins.forMain(glomers.mutants.ExitAfterInit.class), "--node-count", "3", "--time-limit",
        "2", "--nemesis", "kill", "--nemesis-interval", "0.2");
    assertEquals(255, r.result().exitCode(), r.out());
    assertTrue(r.result().crash().contains("crashed with exit status"), r.result().crash());
  }

  @Test
  void withoutKillNodesRunInTheSharedTempDirectory() throws IOException {
    HarnessRun r = run(TestBins.forMain(ProbeNode.class), "--node-count", "1", "--time-limit", "1");
    assertEquals(0, r.result().exitCode(), r.out());
    List<Boot> boots = boots(r.result().storeDir().resolve("node-logs/n0.log"));
    assertEquals(1, boots.size());
    assertEquals("null", boots.get(0).state());
    assertEquals(Path.of(System.getProperty("java.io.tmpdir")).toRealPath().toString(), boots.get(0).cwd());
  }

  @Test
  void aNodeThatDoesNotAnswerItsReInitCrashesTheRun() {
    HarnessRun r = run(TestBins.forMain(ProbeNode.class, "11000"), "--node-count", "1", "--time-limit", "3",
        "--nemesis", "kill", "--nemesis-interval", "0.3");
    assertEquals(255, r.result().exitCode(), r.out());
    assertTrue(r.result().crash().contains("did not respond within 10000 ms"), r.result().crash());
  }

  @Test
  void pausedNodesReceiveNothingUntilResumed() throws IOException {
    HarnessRun r = run(TestBins.forMain(ProbeNode.class), "--node-count", "1", "--time-limit", "5", "--nemesis",
        "pause", "--nemesis-interval", "0.5");
    assertEquals(0, r.result().exitCode(), r.out());
    List<Map<String, Object>> h = jsonLines(r.result().storeDir().resolve("history.jsonl"));
    List<double[]> paused = new ArrayList<>();
    double from = -1;
    for (Map<String, Object> o : h) {
      double t = ((Number) o.get("time")).doubleValue() / 1e6;
      if ("start-pause".equals(o.get("f")) && o.get("value") instanceof List<?> v && "paused".equals(v.get(0))) from = t;
      if ("stop-pause".equals(o.get("f")) && o.get("value") == null && from >= 0) {
        paused.add(new double[] {from, t});
        from = -1;
      }
    }
    assertFalse(paused.isEmpty(), "the schedule paused the node");
    List<String> during = new ArrayList<>();
    int total = 0;
    boolean mainPhase = false; // setup traffic (init) is journaled on the earlier time base, before "origin"
    for (Map<String, Object> e : jsonLines(r.result().storeDir().resolve("net-journal.jsonl"))) {
      mainPhase |= "origin".equals(e.get("ev"));
      if (!mainPhase || !"recv".equals(e.get("ev")) || !"n0".equals(e.get("dest"))) continue;
      total++;
      double t = ((Number) e.get("t")).doubleValue();
      for (double[] p : paused) {
        if (t > p[0] + 1 && t < p[1] - 1) {
          during.add("[" + p[0] + ", " + p[1] + "): " + e);
        }
      }
    }
    assertTrue(total > 20, "the node received requests outside its pauses: " + total);
    assertEquals(List.of(), during, "no message reaches a paused node");
    long infos = h.stream().filter(o -> "info".equals(o.get("type")) && !"nemesis".equals(String.valueOf(o.get("process")))).count();
    assertTrue(infos > 0, "requests to a paused node time out as :info");
  }

  @Test
  void ctrlCDuringARestartLeavesNoProcessAndNoWorkingDirectory() throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(TestBins.FAST_JVM);
    cmd.addAll(List.of("-cp", TestBins.classpath(), "glomers.cli.Main", "test", "-w", "echo", "--bin",
        TestBins.forMain(ProbeNode.class, "20000").toString(), "--store", store.toString(), "--node-count", "3",
        "--time-limit", "60", "--rate", "10", "--nemesis", "kill", "--nemesis-interval", "0.3"));
    Process harness = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(store.resolve("harness.out").toFile()).start();
    try {
      List<Boot> all = new ArrayList<>();
      long deadline = System.currentTimeMillis() + 60_000;
      // A second boot of any node: the harness is now waiting for its re-init (the probe answers after 20 s).
      while (all.stream().noneMatch(b -> b.count() == 2) && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
        all = allBoots();
      }
      assertTrue(all.stream().anyMatch(b -> b.count() == 2), "a node was restarted: " + all);
      Runtime.getRuntime().exec(new String[] {"kill", "-INT", String.valueOf(harness.pid())}).waitFor();
      assertTrue(harness.waitFor(20, java.util.concurrent.TimeUnit.SECONDS), "the harness exits on SIGINT");
      Thread.sleep(300);
      for (Boot b : allBoots()) {
        assertFalse(ProcessHandle.of(b.pid()).map(ProcessHandle::isAlive).orElse(false),
            "node " + b.id() + " pid " + b.pid() + " is gone after Ctrl-C");
        assertFalse(Files.exists(Path.of(b.cwd())), "working directory " + b.cwd() + " removed");
      }
    } finally {
      harness.destroyForcibly();
    }
  }

  private List<Boot> allBoots() throws IOException {
    List<Boot> all = new ArrayList<>();
    try (var s = Files.walk(store)) {
      for (Path p : s.filter(f -> f.toString().endsWith(".log") && f.getParent().endsWith("node-logs")).toList()) {
        all.addAll(boots(p));
      }
    }
    return all;
  }
}
