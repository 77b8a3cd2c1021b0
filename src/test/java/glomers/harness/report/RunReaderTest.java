package glomers.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReaderTest {
  @TempDir Path tmp;

  @Test
  void runDirIsShownRelativeToTheWorkingDirectory() throws Exception {
    Path inside = Files.createDirectories(Path.of("target", "run-reader-test", "echo", "20261203T100000.000"));
    Files.writeString(inside.resolve("results.json"), "{\"valid?\":true}");
    assertEquals(Path.of("target/run-reader-test/echo/20261203T100000.000").toString(),
        RunReader.read(inside.toAbsolutePath()).info().get("run dir"));
    Path outside = Files.createDirectories(tmp.resolve("store/echo/20261203T100000.000"));
    String shown = String.valueOf(RunReader.read(outside).info().get("run dir"));
    assertFalse(shown.startsWith("/"), "no absolute path: " + shown);
    assertTrue(shown.endsWith("store/echo/20261203T100000.000"), shown);
  }

  @Test
  void readsTheHarnessStoreLayout() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("store/echo/20260101T000000.000"));
    Files.writeString(dir.resolve("results.json"), "{\n  \"valid?\" : false,\n  \"workload\" : {\"valid?\" : false}\n}\n");
    Files.writeString(dir.resolve("history.jsonl"), String.join("\n",
        "{\"index\":0,\"time\":1000000,\"type\":\"invoke\",\"process\":0,\"f\":\"echo\",\"value\":\"hi\"}",
        "{\"index\":1,\"time\":3000000,\"type\":\"ok\",\"process\":0,\"f\":\"echo\",\"value\":{\"echo\":\"hi\"}}",
        "{\"index\":2,\"time\":4000000,\"type\":\"info\",\"process\":\"nemesis\",\"f\":\"start-partition\",\"value\":null}",
        "{\"index\":3,\"time\":5000000,\"type\":\"invoke\",\"process\":0,\"f\":\"echo\",\"value\":\"x\",\"final?\":true,\"poll-ms\":1000}",
        "not json", ""));
    Files.writeString(dir.resolve("net-journal.jsonl"), String.join("\n",
        "{\"t\":4.5,\"ev\":\"send\",\"id\":0,\"src\":\"c0\",\"dest\":\"n0\",\"type\":\"init\"}",
        "{\"t\":4.6,\"ev\":\"recv\",\"id\":0,\"src\":\"c0\",\"dest\":\"n0\",\"type\":\"init\"}",
        "{\"ev\":\"origin\",\"shift\":10.0}",
        "{\"t\":1.0,\"ev\":\"send\",\"id\":1,\"src\":\"n0\",\"dest\":\"n1\",\"type\":\"gossip\"}",
        "{\"t\":2.0,\"ev\":\"drop\",\"id\":1,\"src\":\"n0\",\"dest\":\"n1\",\"type\":\"gossip\"}",
        "{\"t\":1.5,\"ev\":\"send\",\"id\":2,\"src\":\"n1\",\"dest\":\"seq-kv\",\"type\":\"read\"}",
        "{\"t\":1.75,\"ev\":\"recv\",\"id\":2,\"src\":\"n1\",\"dest\":\"seq-kv\",\"type\":\"read\"}",
        "{\"t\":3.0,\"ev\":\"send\",\"id\":3,\"src\":\"n1\",\"dest\"")); // torn last line of a killed run
    Files.writeString(dir.resolve("test.json"), "{\"workload\":\"echo\",\"nodes\":[\"n0\",\"n1\"],\"concurrency\":4,\"seed\":7}");

    RunData run = RunReader.read(dir);
    assertEquals("echo", run.workload());
    assertEquals(false, run.results().get("valid?"));
    assertEquals(4, run.history().size());
    assertEquals(glomers.harness.history.Op.NEMESIS, run.history().get(2).process());
    assertTrue(run.history().get(3).isFinal());
    assertEquals(1000L, run.history().get(3).extra().get("poll-ms"));
    assertEquals(List.of("n0", "n1"), run.nodeIds());
    assertEquals(4L, run.info().get("concurrency"));
    assertEquals(3, run.messages().size());
    NetMessage init = run.messages().get(0);
    assertEquals(-5_500_000L, init.sendNanos()); // setup traffic happens before the history's origin
    assertEquals(-5_400_000L, init.recvNanos());
    assertTrue(init.delivered());
    assertTrue(init.isClient());
    NetMessage gossip = run.messages().get(1);
    assertEquals("gossip", gossip.type());
    assertFalse(gossip.delivered()); // dropped by a partition
    assertTrue(gossip.isNodeToNode());
    NetMessage kv = run.messages().get(2);
    assertTrue(kv.isService());
    assertEquals(250_000L, kv.recvNanos() - kv.sendNanos());
    String warnings = String.valueOf(run.info().get("warnings"));
    assertTrue(warnings.contains("1 unreadable history lines"), warnings);
    assertTrue(warnings.contains("unreadable journal"), warnings);
  }

  @Test
  void aCrashedRunWithoutResultsIsStillReadable() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("store/echo/x"));
    Files.writeString(dir.resolve("crash.txt"), "Node n0 crashed with exit status 0\n");
    RunData run = RunReader.read(dir);
    assertTrue(run.results().isEmpty());
    assertEquals(0, run.history().size());
    assertEquals("Node n0 crashed with exit status 0", run.info().get("crash"));
    assertEquals("echo", run.workload()); // from the store layout
    String warnings = String.valueOf(run.info().get("warnings"));
    assertTrue(warnings.contains("no history.jsonl") && warnings.contains("no network journal"), warnings);
  }

  @Test
  void unreadableOrMissingResultsAndTestFilesAreWarnedAbout() throws Exception {
    Path torn = Files.createDirectories(tmp.resolve("store/echo/torn"));
    Files.writeString(torn.resolve("results.json"), "{\"valid?\" : tr");
    Files.writeString(torn.resolve("test.json"), "[1, 2]");
    RunData run = RunReader.read(torn);
    assertTrue(run.results().isEmpty());
    String warnings = String.valueOf(run.info().get("warnings"));
    assertTrue(warnings.contains("results.json unreadable: ") && warnings.contains("test.json unreadable: "), warnings);
    assertFalse(warnings.contains("no results.json"), warnings);

    Path aborted = Files.createDirectories(tmp.resolve("store/echo/aborted"));
    warnings = String.valueOf(RunReader.read(aborted).info().get("warnings"));
    assertTrue(warnings.contains("no results.json (the run was aborted or is still running)"), warnings);
    assertFalse(warnings.contains("test.json"), warnings);
  }

  @Test
  void nodeIdsFromTheJournalSortNumerically() {
    List<NetMessage> ms = List.of(
        new NetMessage(0, "n10", "n2", "x", 0, 1), new NetMessage(1, "c3", "n1", "x", 0, 1),
        new NetMessage(2, "n0", "lin-kv", "x", 0, 1));
    assertEquals(List.of("n0", "n1", "n2", "n10"), RunData.deriveNodeIds(ms));
  }
}
