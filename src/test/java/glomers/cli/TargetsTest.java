package glomers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetsTest {
  static final Path EXAMPLES = Path.of("src/test/resources/glomers/cli/maelstrom-results");

  static Map<String, Object> results(double msgsPerOp, long median, long max, boolean valid) {
    return Map.of(
        "valid?", valid,
        "net", Map.of("servers", Map.of("msgs-per-op", msgsPerOp), "all", Map.of("msgs-per-op", msgsPerOp + 2)),
        "workload",
            Map.of("valid?", valid, "stable-latencies", Map.of("0", 0L, "0.5", median, "0.95", max - 1, "0.99", max, "1", max)));
  }

  static final List<Targets.Target> T3D =
      List.of(
          Targets.Target.parse("net.servers.msgs-per-op<30"),
          Targets.Target.parse("workload.stable-latencies.0.5<400"),
          Targets.Target.parse("workload.stable-latencies.1<600"));

  @Test
  void parsesTargets() {
    Targets.Target t = Targets.Target.parse("workload.stable-latencies.0.5<=400.5");
    assertEquals("workload.stable-latencies.0.5", t.path());
    assertEquals("<=", t.op());
    assertEquals(400.5, t.bound());
    assertEquals(">=", Targets.Target.parse("availability.ok-fraction>=0.99").op());
    assertEquals(">", Targets.Target.parse("x>-1").op());
    for (String bad : List.of("x", "x<", "<3", "x=3", "x<<3", "x<abc")) {
      assertThrows(IllegalArgumentException.class, () -> Targets.Target.parse(bad), bad);
    }
  }

  @Test
  void dottedKeysResolveLongestFirst() {
    Map<String, Object> r = results(12, 300, 500, true);
    assertEquals(300L, Targets.lookup(r, "workload.stable-latencies.0.5"));
    assertEquals(500L, Targets.lookup(r, "workload.stable-latencies.1"));
    assertEquals(0L, Targets.lookup(r, "workload.stable-latencies.0"));
    assertNull(Targets.lookup(r, "workload.stable-latencies.0.7"));
    assertNull(Targets.lookup(r, "net.nothing"));
    assertEquals(12.0, Targets.lookup(r, "net.servers.msgs-per-op"));
  }

  @Test
  void passesOnlyWhenValidAndEveryTargetHolds() {
    assertTrue(Targets.check(results(29.9, 399, 599, true), T3D).getValue());
    assertFalse(Targets.check(results(30, 399, 599, true), T3D).getValue(), "strict <");
    assertFalse(Targets.check(results(12, 400, 500, true), T3D).getValue());
    assertFalse(Targets.check(results(12, 300, 600, true), T3D).getValue());
    assertFalse(Targets.check(results(12, 300, 500, false), T3D).getValue(), "invalid run");
    assertFalse(Targets.check(Map.of("valid?", true), T3D).getValue(), "missing figures fail");
    assertFalse(Targets.check(Map.of("valid?", "unknown"), List.of()).getValue(), "unknown is not a pass");
    assertTrue(Targets.check(Map.of("valid?", true), List.of()).getValue());
    String line = Targets.check(results(31.25, 300, 500, true), T3D).getKey();
    assertTrue(line.startsWith("valid?=true  net.servers.msgs-per-op=31.25 (<30 MISSED)  workload.stable-latencies.0.5=300 (<400 ok)"), line);
    assertTrue(line.contains("net.all.msgs-per-op=33.25"), line);
  }

  @Test
  void formatsFiguresCompactly() {
    assertEquals("2", Targets.fmt(2.0000001));
    assertEquals("2.038", Targets.fmt(2.0384));
    assertEquals("0.5", Targets.fmt(0.5));
    assertEquals("31", Targets.fmt(31));
    assertEquals("-1.25", Targets.fmt(-1.25));
  }

  @Test
  void readsJsonResults(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("results.json");
    Files.writeString(f, "{\"valid?\":true,\"net\":{\"servers\":{\"msgs-per-op\":12.5}},\"workload\":{\"stable-latencies\":{\"0.5\":100,\"1\":200}}}");
    assertTrue(Targets.check(Targets.read(f), T3D).getValue());
  }

  @Test
  void readsRealMaelstromEdn() throws Exception {
    Map<String, Object> r = Targets.read(EXAMPLES.resolve("broadcast-valid-partitions.edn"));
    assertEquals(true, r.get("valid?"));
    assertEquals(844L, Targets.lookup(r, "workload.stable-latencies.0.5"));
    assertEquals(10208L, Targets.lookup(r, "workload.stable-latencies.1"));
    assertTrue(Targets.lookup(r, "net.servers.msgs-per-op") instanceof Double);
    var out = Targets.check(r, T3D);
    assertFalse(out.getValue(), out.getKey()); // valid, but far slower than 3d's targets
    assertEquals(false, Targets.read(EXAMPLES.resolve("broadcast-invalid-lost.edn")).get("valid?"));
    // every complete example parses, with its verdict at the top level
    for (String name : List.of("echo-invalid-wrong-payload", "g-counter-invalid", "g-set-valid", "kafka-invalid-inconsistent-offsets",
        "kafka-valid", "lin-kv-invalid", "lin-kv-valid", "pn-counter-valid", "txn-list-append-valid", "txn-rw-register-valid",
        "unique-ids-invalid-availability", "unique-ids-invalid-duplicates")) {
      Object v = Targets.read(EXAMPLES.resolve(name + ".edn")).get("valid?");
      assertEquals(name.contains("invalid") ? Boolean.FALSE : Boolean.TRUE, v, name);
    }
  }

  @Test
  void ednDetails() {
    Object v = new Targets.Edn("{:a 1/4, :b 3N, :c 2.5M, :d #{1 2}, :e nil, :f \"x\\\"y\", :g \\c, 0.5 7, 1 8, :h #_ 9 10, :i [1 (2)] ; c\n :j ##Inf}").readTop();
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) v;
    assertEquals(0.25, m.get("a"));
    assertEquals(3L, m.get("b"));
    assertEquals(2.5, m.get("c"));
    assertEquals(List.of(1L, 2L), m.get("d"));
    assertTrue(m.containsKey("e") && m.get("e") == null);
    assertEquals("x\"y", m.get("f"));
    assertEquals("c", m.get("g"));
    assertEquals(7L, m.get("0.5"));
    assertEquals(8L, m.get("1"));
    assertEquals(10L, m.get("h"));
    assertEquals(List.of(1L, List.of(2L)), m.get("i"));
    assertEquals(Double.POSITIVE_INFINITY, m.get("j"));
  }
}
