package glomers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {
  @Test
  void fastPathTakesOnlyRegisteredNameAndSettings() {
    assertEquals(Map.of(), Main.fastPath(new String[] {"echo"}));
    assertEquals(Map.of("a", "1", "b", "x=y"), Main.fastPath(new String[] {"echo", "a=1", "b=x=y"}));
    assertNull(Main.fastPath(new String[] {}));
    assertNull(Main.fastPath(new String[] {"nope"}));
    assertNull(Main.fastPath(new String[] {"echo", "--help"}));
    assertNull(Main.fastPath(new String[] {"echo", "novalue"}));
    assertNull(Main.fastPath(new String[] {"echo", "=x"}));
    assertNull(Main.fastPath(new String[] {"test", "-w", "echo"}));
  }

  @Test
  void settingsKeepOrderAndSplitOnFirstEquals() {
    assertEquals(List.of("z", "a"), List.copyOf(Main.parseSettings(List.of("z=1", "a=")).keySet()));
    assertEquals("", Main.parseSettings(List.of("a=")).get("a"));
    assertThrows(IllegalArgumentException.class, () -> Main.parseSettings(List.of("a")));
  }

  @Test
  void registryHasEchoAndUniqueIdsAndOnlyMaelstromNames() {
    assertTrue(NodeWorkloads.contains("echo"));
    assertTrue(NodeWorkloads.contains("unique-ids"));
    for (String n : NodeWorkloads.names()) assertTrue(NodeWorkloads.create(n) != null, n);
    assertNull(NodeWorkloads.create("nope"));
  }

  /** A setting each workload accepts (the catalogue's own, where it has one). */
  private static final Map<String, Map<String, String>> GOOD =
      Map.of(
          "broadcast", Map.of("profile", "latency", "hub", "n1"),
          "kafka", Map.of("mode", "owner", "poll-max", "10"),
          "g-set", Map.of("gossip-ms", "50"),
          "lin-kv", Map.of("heartbeat-ms", "50", "election-min-ms", "400"),
          "txn-rw-register", Map.of("mode", "strict"),
          "txn-list-append", Map.of("mode", "rc", "sync-ms", "20"));

  private record Node(int code, String out, String err) {}

  /** stdin that fails the test when read: a rejected setting ends the node before it reads anything. */
  private static final java.io.InputStream UNREAD =
      new java.io.InputStream() {
        @Override
        public int read() {
          throw new AssertionError("the node read stdin");
        }
      };

  private static Node node(String name, Map<String, String> settings, java.io.InputStream stdin)
      throws InterruptedException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    int code = Main.runNode(name, settings, stdin, out, new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Node(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void everyWorkloadRejectsAnUnknownKeyAndABadValueBeforeReadingStdin() throws Exception {
    for (String name : NodeWorkloads.names()) {
      String valid = "valid settings: " + NodeWorkloads.settings(name).describe();
      Node unknown = node(name, Map.of("no-such-setting", "1"), UNREAD);
      assertEquals(Main.USAGE, unknown.code, name);
      assertEquals("", unknown.out, name);
      assertEquals(
          "launcher " + name + ": unknown setting 'no-such-setting'; " + valid + "\n",
          unknown.err.replace("\r\n", "\n"), name);
      for (glomers.node.Settings.Key k : NodeWorkloads.settings(name).keys()) {
        Node bad = node(name, Map.of(k.name(), ""), UNREAD);
        assertEquals(Main.USAGE, bad.code, name + " " + k);
        assertEquals("", bad.out, name + " " + k);
        assertTrue(bad.err.startsWith("launcher " + name + ": bad value '' for setting " + k.name()), bad.err);
        assertTrue(bad.err.strip().endsWith(valid) && bad.err.strip().lines().count() == 1, bad.err);
      }
    }
  }

  @Test
  void everyWorkloadAcceptsItsGoodSettings() throws Exception {
    for (String name : NodeWorkloads.names()) {
      Map<String, String> good = GOOD.getOrDefault(name, Map.of());
      Node r = node(name, good, java.io.InputStream.nullInputStream());
      assertEquals(0, r.code, name + " " + good + ": " + r.err);
      assertEquals("", r.out, name);
    }
    assertTrue(NodeWorkloads.settings("echo").keys().isEmpty());
    for (String name : GOOD.keySet()) assertTrue(NodeWorkloads.contains(name), name);
  }

  @Test
  void cdsTrainingRunsEveryWorkloadsNodeToTheEnd() throws Exception {
    // a node that stops early (a rejected setting, say) would leave its classes out of the archive
    for (String name : NodeWorkloads.names()) assertEquals(0, CdsTraining.train(name, 0), name);
  }

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    CliRun r = CliRun.of(args);
    return new Run(r.exit(), r.out(), r.err());
  }


  @Test
  void unknownOrMissingWorkloadIsUsageErrorListingValidNames() {
    for (String[] args : new String[][] {{"nope"}, {}, {"--workload", "nope"}, {"echo", "junk"}}) {
      Run r = run(args);
      assertEquals(2, r.code, List.of(args).toString());
      assertEquals("", r.out);
      assertTrue(r.err.contains("valid workloads: echo unique-ids"), r.err);
    }
    Run notYet = run("lin-kv-not-a-name");
    assertTrue(notYet.err.contains("unknown workload 'lin-kv-not-a-name'"), notYet.err);
  }

  @Test
  void listAndHelp() {
    Run list = run("--list");
    assertEquals(0, list.code);
    assertEquals(List.copyOf(NodeWorkloads.names()), List.of(list.out.strip().split("\n")));
    Run help = run("--help");
    assertEquals(0, help.code);
    assertTrue(help.out.contains("--workload") && help.out.contains("test"), help.out);
  }
}
