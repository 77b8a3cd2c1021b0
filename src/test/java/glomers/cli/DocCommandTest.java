package glomers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.harness.workload.Workloads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** {@code launcher doc}: printed from the packaged docs/maelstrom.md, one row per harness workload. */
class DocCommandTest {
  static CliRun doc(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "doc";
    System.arraycopy(args, 0, all, 1, args.length);
    return CliRun.of(all);
  }

  @Test
  void thePackagedTextIsTheDocsFile() throws Exception {
    assertEquals(Files.readString(Path.of("docs/maelstrom.md")), DocCommand.text("maelstrom.md"));
    assertEquals(Files.readString(Path.of("README.md")), DocCommand.text("README.md"));
  }

  @Test
  void everyHarnessWorkloadHasItsRow() throws Exception {
    assertEquals(new TreeSet<>(Workloads.names()), new TreeSet<>(DocCommand.workloads(DocCommand.text("maelstrom.md")).keySet()));
    CliRun list = doc();
    assertEquals(0, list.exit());
    for (String w : Workloads.names()) assertTrue(list.out().contains("\n  " + w + " "), w + " listed:\n" + list.out());
    assertTrue(list.out().contains("`generate` → `generate_ok`"), list.out());
  }

  @Test
  void oneWorkloadsRpcsCheckerErrorsAndServices() {
    CliRun b = doc("broadcast");
    assertEquals(0, b.exit(), b.err());
    assertTrue(b.out().contains("Operations (RPC → reply): `broadcast {message}`, `read` → `messages`"), b.out());
    assertTrue(b.out().contains("Challenges (README.md#challenges-and-workloads): 3a Single-node broadcast; 3b Multi-node broadcast;"),
        b.out());
    assertTrue(b.out().contains("Write-up: docs/broadcast.md"), b.out());
    assertTrue(doc("txn-rw-register").out().contains("extra: strict-serializable registers"), "rows with settings count");
    assertTrue(b.out().contains("`{\"type\":\"read\"}` → `{\"type\":\"read_ok\",\"messages\":[M,…]}`"), "reply fields");
    assertTrue(doc("kafka").out().contains("## kafka RPCs"), "kafka's RPCs");
    assertTrue(doc("g-counter").out().contains("## g-counter and pn-counter RPCs"));
    assertTrue(doc("txn-list-append").out().contains("## txn-rw-register and txn-list-append RPCs"));
    for (String w : Workloads.names()) assertTrue(doc(w).out().contains(" RPCs  (docs/maelstrom.md#"), w + " has its RPCs");
    assertTrue(b.out().contains("## set-full (broadcast, g-set)  (docs/maelstrom.md#set-full-broadcast-g-set)"), b.out());
    assertTrue(b.out().contains("| 22 | precondition-failed | yes |"), "error codes");
    assertTrue(b.out().contains("`{\"type\":\"cas\",\"key\":K,\"from\":A,\"to\":B}`"), "the KV API");
    assertTrue(doc("pn-counter").out().contains("## Counters"), "the counters' checker");
    assertTrue(doc("txn-list-append").out().contains("## Elle (txn-rw-register, txn-list-append)"));
  }

  @Test
  void unknownWorkloadIsOneLine() {
    CliRun bad = doc("bogus");
    assertEquals(Cli.USAGE, bad.exit());
    assertEquals(1, bad.err().lines().count(), bad.err());
    assertTrue(bad.err().startsWith("doc: unknown workload 'bogus'; workloads: echo "), bad.err());
  }
}
