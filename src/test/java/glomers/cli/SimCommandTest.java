package glomers.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `launcher sim`: the options of `test`, the trailing node workload, `--seeds` and its replay commands. */
class SimCommandTest {
  @TempDir Path store;

  private record Out(int exit, String out, String err) {}

  private static Out run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    SimCommand c = new SimCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    CommandLine cl = new CommandLine(c);
    cl.setErr(new java.io.PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Out(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void seedsParse() {
    assertArrayEquals(new long[] {1, 10}, SimCommand.parseSeeds("10"));
    assertArrayEquals(new long[] {5, 7}, SimCommand.parseSeeds("5..7"));
    assertThrows(IllegalArgumentException.class, () -> SimCommand.parseSeeds("7..5"));
    assertThrows(IllegalArgumentException.class, () -> SimCommand.parseSeeds("many"));
  }

  @Test
  void badArgumentsExit254WithOneLine() {
    Out noWorkload = run("-w", "echo", "--store", "x");
    assertEquals(254, noWorkload.exit());
    assertTrue(noWorkload.err().contains("name a node workload"), noWorkload.err());
    Out unknown = run("-w", "echo", "nope");
    assertEquals(254, unknown.exit());
    assertTrue(unknown.err().contains("unknown node workload 'nope'"), unknown.err());
    Out setting = run("-w", "broadcast", "broadcast", "fanout=4");
    assertEquals(254, setting.exit());
    assertTrue(setting.err().contains("unknown setting 'fanout'"), setting.err());
    Out bin = run("-w", "echo", "--bin", "x", "echo");
    assertEquals(254, bin.exit());
    assertTrue(bin.err().contains("drop --bin"), bin.err());
  }

  @Test
  void oneSeedWritesTheStoreDirectoryOfATest() throws Exception {
    Out o = run("-w", "echo", "--node-count", "1", "--time-limit", "2", "--seed", "5", "--store", store.toString(), "echo");
    assertEquals(0, o.exit(), o.err());
    Path dir;
    try (var s = Files.list(store.resolve("echo"))) {
      dir = s.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    for (String f : new String[] {"results.json", "history.jsonl", "net-journal.jsonl", "report.html", "test.json"}) {
      assertTrue(Files.exists(dir.resolve(f)), f);
    }
    assertTrue(o.out().contains("Everything looks good!"), o.out());
  }

  @Test
  void theFinalReadsComeAfterMaelstromsTenSecondsOfQuiet() throws Exception {
    // The real-process tests shorten the quiet (glomers.harness.RunSettings); its length is proven here, on
    // the virtual clock, where it costs nothing.
    Out o = run("-w", "g-counter", "--node-count", "2", "--time-limit", "2", "--rate", "20", "--seed", "5",
        "--store", store.toString(), "g-counter");
    assertEquals(0, o.exit(), o.err());
    Path dir;
    try (var s = Files.list(store.resolve("g-counter"))) {
      dir = s.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    List<Map<String, Object>> ops = new java.util.ArrayList<>();
    for (String l : Files.readAllLines(dir.resolve("history.jsonl"))) ops.add(glomers.protocol.Json.parseMap(l));
    int gap = 1; // the op after the longest pause of the history
    for (int i = 2; i < ops.size(); i++) {
      if (time(ops, i) - time(ops, i - 1) > time(ops, gap) - time(ops, gap - 1)) gap = i;
    }
    double quiet = (time(ops, gap) - time(ops, gap - 1)) / 1e9;
    assertTrue(quiet >= 10 && quiet < 10.5, "the longest pause is the quiet period: " + quiet + " s");
    List<Map<String, Object>> after = ops.subList(gap, ops.size());
    assertEquals(4, after.size(), "then one final read per node, invoked and answered: " + after);
    assertTrue(after.stream().allMatch(op -> "read".equals(op.get("f"))), after::toString);
  }

  private static long time(List<Map<String, Object>> ops, int i) {
    return ((Number) ops.get(i).get("time")).longValue();
  }

  @Test
  void manySeedsPrintATableAndTheReplayOfEveryFailingSeed() {
    // Failing seeds: lin-kv on Raft cannot answer every request while partitions come and go, so
    // --availability total fails every seed.
    Out ok = run("-w", "echo", "--node-count", "1", "--time-limit", "1", "--seeds", "3..5", "--store", store.toString(), "echo");
    assertEquals(0, ok.exit(), ok.err());
    assertTrue(ok.out().contains("3 seeds, 0 failing"), ok.out());
    for (String seed : new String[] {"3", "4", "5"}) assertTrue(ok.out().lines().anyMatch(l -> l.startsWith(seed + " ")), ok.out());
    Out bad = run("-w", "lin-kv", "--node-count", "3", "--concurrency", "2n", "--time-limit", "4", "--rate", "50",
        "--nemesis", "partition", "--nemesis-interval", "0.5", "--availability", "total", "--seeds", "2",
        "--store", store.toString(), "lin-kv");
    assertEquals(1, bad.exit(), bad.out());
    assertTrue(bad.out().contains("2 seeds, 2 failing"), bad.out());
    assertTrue(bad.out().contains("target/launcher sim --seed 1 -w lin-kv --node-count 3"), bad.out());
    assertTrue(bad.out().contains("target/launcher sim --seed 2 -w lin-kv"), bad.out());
    assertFalse(bad.out().contains("--seeds"), bad.out());
  }

  /** The one {@code <workload>/<time>-seeds} group directory of the store. */
  private Path seedGroup(String workload) throws Exception {
    try (var s = Files.list(store.resolve(workload))) {
      return s.filter(d -> d.getFileName().toString().endsWith("-seeds")).findFirst().orElseThrow();
    }
  }

  @Test
  void manySeedsStoreOneGroupThatServeShowsWithItsTable() throws Exception {
    Out ok = run("-w", "echo", "--node-count", "1", "--time-limit", "1", "--seeds", "3..5", "--store", store.toString(), "echo");
    assertEquals(0, ok.exit(), ok.err());
    Path group = seedGroup("echo");
    for (String seed : new String[] {"3", "4", "5"}) {
      assertTrue(Files.isRegularFile(group.resolve(seed).resolve("results.json")), seed);
      assertTrue(Files.isRegularFile(group.resolve(seed).resolve("history.jsonl")), seed);
      assertFalse(Files.exists(group.resolve(seed).resolve("report.html")), "a passing seed writes no report");
    }
    try (var s = Files.list(group)) {
      assertEquals(List.of("3", "4", "5", "seeds.json"), s.map(p -> p.getFileName().toString()).sorted().toList());
    }
    try (var s = Files.list(store.resolve("echo"))) {
      assertEquals(1, s.count(), "the seeds are not also stored as standalone runs");
    }
    assertEquals(group.toRealPath(), store.resolve("latest-seeds").toRealPath());
    Map<String, Object> summary = glomers.protocol.Json.parseMap(Files.readString(group.resolve("seeds.json")));
    List<?> rows = (List<?>) summary.get("seeds");
    assertEquals(List.of(3L, 4L, 5L), rows.stream().map(r -> ((Number) ((Map<?, ?>) r).get("seed")).longValue()).toList());
    assertEquals(true, ((Map<?, ?>) summary.get("medians")).get("valid?"));

    List<glomers.harness.serve.StoredRun> runs = glomers.harness.serve.StoreScan.scan(store, java.time.Instant.now());
    String rel = store.relativize(group).toString();
    assertEquals(List.of(rel + "/3", rel + "/4", rel + "/5"), runs.stream().map(glomers.harness.serve.StoredRun::path).toList());
    String page = glomers.harness.serve.IndexPage.render("store", runs, glomers.harness.serve.StoreScan.groups(store, runs));
    assertTrue(page.contains("group " + rel + " · 3 runs · 3 seeds, 0 failing"), page);
    assertTrue(page.contains("href=\"/" + rel + "/seeds.json\""), page);
  }

  @Test
  void aFailingSeedOfAGroupGetsItsReportAndReplay() throws Exception {
    Out bad = run("-w", "lin-kv", "--node-count", "3", "--concurrency", "2n", "--time-limit", "4", "--rate", "50",
        "--nemesis", "partition", "--nemesis-interval", "0.5", "--availability", "total", "--seeds", "1",
        "--store", store.toString(), "lin-kv");
    assertEquals(1, bad.exit(), bad.out());
    Path group = seedGroup("lin-kv");
    assertTrue(Files.isRegularFile(group.resolve("1").resolve("report.html")));
    Map<?, ?> row = (Map<?, ?>) ((List<?>) glomers.protocol.Json.parseMap(Files.readString(group.resolve("seeds.json"))).get("seeds")).get(0);
    assertEquals(false, row.get("valid?"));
    assertTrue(String.valueOf(row.get("replay")).startsWith("target/launcher sim --seed 1 -w lin-kv"), row.toString());
    List<glomers.harness.serve.StoredRun> runs = glomers.harness.serve.StoreScan.scan(store, java.time.Instant.now());
    assertTrue(glomers.harness.serve.IndexPage.render("store", runs, glomers.harness.serve.StoreScan.groups(store, runs))
        .contains("1 seeds, 1 failing (seeds 1)"));
  }

  @Test
  void theReplayCommandPrintedThroughTheLauncherNamesSimOnce() {
    // Through the launcher, picocli's original arguments start with the subcommand's own name.
    CliRun o = CliRun.of("sim", "-w", "lin-kv", "--node-count", "3", "--concurrency", "2n", "--time-limit", "4",
        "--rate", "50", "--nemesis", "partition", "--nemesis-interval", "0.5", "--availability", "total",
        "--seeds", "1", "--store", store.toString(), "lin-kv");
    assertEquals(1, o.exit(), o.err());
    String line = o.out().lines().filter(l -> l.contains("target/launcher sim ")).findFirst().orElseThrow();
    String replay = line.substring(line.indexOf("target/launcher sim ") + "target/launcher sim ".length());
    assertTrue(replay.startsWith("--seed 1 -w lin-kv"), line);
    assertEquals(1, CliRun.of(("sim " + replay).split(" ")).exit(), "the printed command replays the failure");
  }

  @Test
  void shrinkFindsASmallerFailingCaseAndPrintsItsReplay() {
    Out o = run("-w", "lin-kv", "--node-count", "3", "--concurrency", "2n", "--time-limit", "8", "--rate", "50",
        "--nemesis", "partition", "--nemesis-interval", "0.5", "--availability", "total", "--seed", "3", "--shrink",
        "--store", store.toString(), "lin-kv");
    assertEquals(1, o.exit(), o.err());
    String line = o.out().lines().filter(l -> l.startsWith("Smallest failing case found")).findFirst().orElseThrow();
    assertTrue(line.contains("--time-limit 1 ") || line.contains("--time-limit 2 "), line);
    assertFalse(line.contains("--shrink"), line);
    assertTrue(o.out().contains("Its report: "), o.out());
    // the printed command replays a failing run
    assertEquals(1, run(line.substring(line.indexOf(" sim ") + 5).split(" ")).exit());
  }
}
