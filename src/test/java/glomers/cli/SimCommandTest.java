package glomers.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
