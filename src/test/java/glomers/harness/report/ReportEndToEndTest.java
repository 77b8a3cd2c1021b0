package glomers.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.harness.TestBins;
import glomers.harness.run.HarnessRunner;
import glomers.mutants.ExitAfterInit;
import glomers.mutants.UniqueIdsCoordinating;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every harness run leaves a report: real runs of mutant nodes through the harness, then the CLI on the store
 * dir. The same runs prove two of the harness's verdicts: availability lost under partitions by a correct id
 * generator, and a node that exits after init crashing the test.
 */
class ReportEndToEndTest {
  @TempDir Path store;

  record Run(HarnessRunner.Result result, String err) {}

  Run run(Path bin, String... args) {
    List<String> a = new java.util.ArrayList<>(List.of("--bin", bin.toString(), "--store", store.toString(), "--seed", "11"));
    a.addAll(List.of(args));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    HarnessRunner.Result r = HarnessRunner.run(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), a.toArray(String[]::new));
    return new Run(r, err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void coordinatingUniqueIdsLoseTotalAvailabilityUnderPartitionsAndTheReportShowsWhy() throws Exception {
    // coordinating id generator: correct ids, but unavailable while partitioned → availability invalid
    Path bin = TestBins.forMain(UniqueIdsCoordinating.class);
    Run control = run(bin, "-w", "unique-ids", "--node-count", "3", "--time-limit", "1.5", "--rate", "30",
        "--availability", "total");
    assertEquals(0, control.result().exitCode(), "without faults the mutant is correct: " + control.err());
    Run r = run(bin, "-w", "unique-ids", "--node-count", "3",
        "--time-limit", "2", "--rate", "30", "--availability", "total", "--nemesis", "partition", "--nemesis-interval", "0.3");
    assertEquals(1, r.result().exitCode(), r.err());
    assertEquals(false, ((Map<?, ?>) r.result().results().get("availability")).get("valid?"));
    assertEquals(true, ((Map<?, ?>) r.result().results().get("workload")).get("valid?"), "the ids are right");
    Path dir = r.result().storeDir();
    Path html = dir.resolve("report.html");
    assertTrue(r.err().contains("Report: " + html), r.err());
    String page = Files.readString(html);
    assertTrue(page.contains(">INVALID</span>"));
    assertTrue(page.matches("(?s).*<td><code>availability</code></td><td><span class=\"pill false\">.*"), "availability row invalid");
    assertTrue(page.contains("grey bands on the charts"), "partitions found in the history");
    ReportTest.assertSelfContained(page);
    for (String f : List.of("latency.svg", "rate.svg", "message-rate.svg", "test.json")) assertTrue(Files.exists(dir.resolve(f)), f);
    assertTrue(Files.isSameFile(store.resolve("latest").resolve("report.html"), html), "store/latest/report.html");

    // the journal made it into the page: node lanes and node↔node traffic
    RunData back = RunReader.read(dir);
    assertEquals(List.of("n0", "n1", "n2"), back.nodeIds());
    assertTrue(back.messages().stream().anyMatch(NetMessage::isNodeToNode), "coordination messages journaled");
    assertTrue(back.messages().stream().anyMatch(m -> !m.delivered()), "some dropped by partitions");

    // standalone: the CLI regenerates it from the files alone
    Files.delete(html);
    int exit = glomers.cli.Cli.commandLine().execute("report", dir.toString());
    assertEquals(0, exit);
    assertTrue(Files.readString(html).contains(">INVALID</span>"));
  }

  @Test
  void aNodeExitingAfterInitCrashesTheTestAndLeavesAReport() throws Exception {
    Run r = run(TestBins.forMain(ExitAfterInit.class), "-w", "echo", "--node-count", "1", "--time-limit", "1");
    assertEquals(255, r.result().exitCode());
    assertNull(r.result().results());
    assertTrue(r.result().crash().contains("Node n0 crashed with exit status 0"), r.result().crash());
    assertTrue(r.result().crash().contains("bye"));
    Path html = r.result().storeDir().resolve("report.html");
    String page = Files.readString(html);
    assertTrue(page.contains(">CRASHED</span>"));
    assertTrue(page.contains("crashed"), "crash message shown");
  }
}
