package glomers.harness.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.harness.serve.StoredRun.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index's view of a store holding one run of every kind. */
class StoreScanTest {
  @TempDir Path store;
  Instant now;

  static Instant at(String stamp, int plusSeconds) {
    return LocalDateTime.parse(stamp, java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS"))
        .atZone(ZoneId.systemDefault()).toInstant().plusSeconds(plusSeconds);
  }

  /** One store with a valid, invalid, unknown, crashed, running, stopped and two grouped runs. */
  static Instant populate(Path store) throws Exception {
    Instant now = at("20261203T110000.000", 0);
    FakeStore.run(store, "echo", "20261203T100000.000", at("20261203T100000.000", 25),
        "results.json", FakeStore.resultsJson("true", 1.0, 0.0, false), "history.jsonl", "{}\n",
        "report.html", "<html></html>", "net-journal.jsonl", "{}\n");
    FakeStore.run(store, "broadcast", "20261203T101000.000", at("20261203T101000.000", 32),
        "results.json", FakeStore.resultsJson("false", 0.98, 2.08, true), "report.html", "<html></html>");
    FakeStore.run(store, "txn-list-append", "20261203T102000.000", at("20261203T102000.000", 12),
        "results.json", FakeStore.resultsJson("\"unknown\"", 1.0, 0.5, false));
    FakeStore.run(store, "lin-kv", "20261203T103000.000", at("20261203T103000.000", 3),
        "crash.txt", "Assert failed: concurrency 3 is not a multiple of 2 × node count\nsecond line\n",
        "history.jsonl", "");
    FakeStore.run(store, "kafka", "20261203T105950.000", now.minusSeconds(2));
    FakeStore.run(store, "kafka", "20261203T090000.000", at("20261203T090000.000", 8));
    FakeStore.run(store, "g-set", "sweep/20261203T080000.000", at("20261203T080000.000", 20),
        "results.json", FakeStore.resultsJson("true", 1.0, 0.6, true));
    FakeStore.run(store, "g-set", "sweep/20261203T080100.000", at("20261203T080100.000", 20),
        "results.json", "{\"valid?\": tru");
    Files.createSymbolicLink(store.resolve("latest"), Path.of("echo/20261203T100000.000"));
    return now;
  }

  @BeforeEach
  void setUp() throws Exception {
    now = populate(store);
  }

  Map<String, StoredRun> byPath() throws Exception {
    return StoreScan.scan(store, now).stream().collect(Collectors.toMap(StoredRun::path, Function.identity()));
  }

  @Test
  void everyRunOnceNewestFirstAndLatestNotTwice() throws Exception {
    List<String> paths = StoreScan.scan(store, now).stream().map(StoredRun::path).toList();
    assertEquals(List.of("kafka/20261203T105950.000", "lin-kv/20261203T103000.000", "txn-list-append/20261203T102000.000",
        "broadcast/20261203T101000.000", "echo/20261203T100000.000", "kafka/20261203T090000.000",
        "g-set/sweep/20261203T080100.000", "g-set/sweep/20261203T080000.000"), paths);
  }

  @Test
  void verdictsFromResultsCrashesAndProgress() throws Exception {
    Map<String, StoredRun> r = byPath();
    assertEquals(Status.VALID, r.get("echo/20261203T100000.000").status());
    assertEquals(Status.INVALID, r.get("broadcast/20261203T101000.000").status());
    assertEquals(Status.UNKNOWN, r.get("txn-list-append/20261203T102000.000").status());
    StoredRun crash = r.get("lin-kv/20261203T103000.000");
    assertEquals(Status.CRASHED, crash.status());
    assertEquals("Assert failed: concurrency 3 is not a multiple of 2 × node count", crash.note());
    StoredRun running = r.get("kafka/20261203T105950.000");
    assertEquals(Status.RUNNING, running.status());
    assertEquals("10 s of 20 s", running.note());
    assertNull(running.durationSeconds());
    assertEquals(Status.INCOMPLETE, r.get("kafka/20261203T090000.000").status(), "no results, quiet for 2 h");
    StoredRun torn = r.get("g-set/sweep/20261203T080100.000");
    assertEquals(Status.INCOMPLETE, torn.status());
    assertEquals("results.json unreadable", torn.note());
  }

  @Test
  void figuresFlagsFilesAndGroups() throws Exception {
    Map<String, StoredRun> r = byPath();
    StoredRun b = r.get("broadcast/20261203T101000.000");
    assertEquals(new StoredRun.Figures(120L, 0.98, 2.08, 253.0, 347.0), b.figures());
    assertEquals(32.0, b.durationSeconds());
    assertEquals(3, b.nodeCount());
    assertEquals("--node-count 3 --concurrency 3 --rate 10 --time-limit 20 --latency 100 --nemesis partition --seed 42 broadcast",
        b.flags());
    assertEquals("broadcast/20261203T101000.000/report.html", b.reportLink());
    StoredRun echo = r.get("echo/20261203T100000.000");
    assertEquals(List.of("report.html", "results.json", "history.jsonl", "net-journal.jsonl", "test.json", "node-logs/n0.log"),
        echo.files());
    assertNull(echo.figures().latencyMedianMs(), "echo has no stable latencies");
    assertNull(echo.group());
    assertEquals("g-set/sweep", r.get("g-set/sweep/20261203T080000.000").group());
    assertNull(r.get("txn-list-append/20261203T102000.000").reportLink());
  }

  @Test
  void indexPageShowsVerdictsAndRefreshesOnlyWhileARunRuns() throws Exception {
    List<StoredRun> runs = StoreScan.scan(store, now);
    String page = IndexPage.render("store", runs);
    for (String v : List.of("VALID", "INVALID", "UNKNOWN", "CRASHED", "RUNNING", "INCOMPLETE")) {
      assertTrue(page.contains("\">" + v + "</span>"), v);
    }
    assertTrue(page.contains("http-equiv=\"refresh\""), "a run in progress: the page refreshes itself");
    assertTrue(page.contains("group g-set/sweep · 2 runs"));
    assertTrue(page.contains("href=\"/broadcast/20261203T101000.000/report.html\""));
    assertTrue(page.contains("253 · 347 ms"));
    String finished = IndexPage.render("store", runs.stream().filter(x -> x.status() != Status.RUNNING).toList());
    assertFalse(finished.contains("http-equiv=\"refresh\""), "nothing running: no refresh");
  }
}
