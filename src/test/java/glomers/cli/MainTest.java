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

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    PrintStream oldOut = System.out, oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Cli.commandLine().execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
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
