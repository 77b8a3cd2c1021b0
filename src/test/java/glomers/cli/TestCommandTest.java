package glomers.cli;

import static org.junit.jupiter.api.Assertions.*;

import glomers.harness.workload.TestSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `maelstrom test` option parsing and defaults (docs/maelstrom.md#options). */
class TestCommandTest {
  static TestSpec parse(String... args) {
    TestCommand c = new TestCommand();
    new CommandLine(c).parseArgs(args);
    return c.toSpec();
  }

  @Test
  void defaultsAreMaelstroms() {
    TestSpec s = parse("-w", "echo", "--bin", "x");
    assertEquals(List.of("n1", "n2", "n3", "n4", "n5"), s.nodeIds());
    assertEquals(5, s.concurrency());
    assertEquals(5.0, s.rate());
    assertEquals(60.0, s.timeLimitSeconds());
    assertEquals(0.0, s.latencyMs());
    assertEquals("constant", s.latencyDist());
    assertEquals(10.0, s.nemesisIntervalSeconds());
    assertFalse(s.partitions());
    assertNull(s.availability());
    assertEquals(List.of("strict-serializable"), s.consistencyModels());
    assertEquals("grid", s.topology());
    assertNull(s.keyCount());
    assertEquals(4, s.maxTxnLength());
    assertEquals(16, s.maxWritesPerKey());
    assertFalse(s.strict());
    assertEquals(List.of(), s.nodeArgs());
  }

  @Test
  void optionsAndTrailingNodeArgs() {
    TestSpec s = parse("-w", "broadcast", "--bin", "x", "--node-count", "3", "--concurrency", "2n", "--rate", "10.5",
        "--availability", "total", "--nemesis", "partition", "--seed", "42", "--consistency-models",
        "read-committed , serializable", "broadcast", "fanout=4");
    assertEquals(List.of("n0", "n1", "n2"), s.nodeIds());
    assertEquals(6, s.concurrency());
    assertEquals(10.5, s.rate());
    assertEquals("total", s.availability());
    assertTrue(s.partitions());
    assertEquals(42, s.seed());
    assertEquals(List.of("read-committed", "serializable"), s.consistencyModels());
    assertEquals(List.of("broadcast", "fanout=4"), s.nodeArgs());
    // v0.2.3 splits on \s+,\s+ only: "a,b" stays one (unknown) model
    assertEquals(List.of("a,b"), parse("-w", "echo", "--bin", "x", "--consistency-models", "a,b").consistencyModels());
    assertEquals(0.5, parse("-w", "echo", "--bin", "x", "--availability", "0.5").availability());
  }

  @Test
  void badArgumentsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> parse("-w", "echo"));
    assertThrows(IllegalArgumentException.class, () -> parse("-w", "nope", "--bin", "x"));
    assertThrows(IllegalArgumentException.class, () -> parse("-w", "echo", "--bin", "x", "--latency-dist", "pareto"));
    assertThrows(IllegalArgumentException.class, () -> parse("-w", "echo", "--bin", "x", "--topology", "star"));
    assertThrows(IllegalArgumentException.class, () -> parse("-w", "echo", "--bin", "x", "--rate", "-1"));
    assertThrows(CommandLine.ParameterException.class, () -> parse("-w", "echo", "--bin", "x", "--rate", "fast"));
    CommandLine cl = new CommandLine(new TestCommand(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
        new java.io.PrintStream(java.io.OutputStream.nullOutputStream())));
    cl.setErr(new java.io.PrintWriter(java.io.Writer.nullWriter()));
    assertEquals(254, cl.execute("-w", "echo", "--bin", "x", "--rate", "fast"), "picocli parse errors exit 254");
    assertEquals(254, cl.execute("-w", "echo", "--bin", "x", "--nemesis", "explode"));
  }
}
