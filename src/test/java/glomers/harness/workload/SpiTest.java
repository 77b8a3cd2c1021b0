package glomers.harness.workload;

import static org.junit.jupiter.api.Assertions.*;

import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpiTest {
  static Map<String, Object> body(Object... kv) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  @Test
  void replySchemaIsClosed() {
    ReplySchema s = ReplySchema.of("read_ok", Map.of("messages", ReplySchema.Type.LIST_OF_INTEGERS));
    assertNull(s.violations(body("type", "read_ok", "in_reply_to", 1L, "messages", List.of(1L, 2L))));
    assertNull(s.violations(body("type", "read_ok", "in_reply_to", 1L, "msg_id", 7L, "messages", List.of())));
    assertNotNull(s.violations(body("type", "read_ok", "in_reply_to", 1L, "messages", List.of(1.0))));
    assertNotNull(s.violations(body("type", "read_ok", "in_reply_to", 1L, "messages", List.of(), "x", 1L)));
    assertNotNull(s.violations(body("type", "read_ok", "messages", List.of())));
    assertNotNull(s.violations(body("type", "read_ok", "in_reply_to", 1.0, "messages", List.of())));
    assertNotNull(s.violations(body("type", "reed_ok", "in_reply_to", 1L, "messages", List.of())));
    assertNotNull(s.violations(body("type", "read_ok", "in_reply_to", 1L)));
    assertNotNull(s.violations(body("type", "read_ok", "in_reply_to", 1L, "msg_id", "x", "messages", List.of())));
    ReplySchema o = ReplySchema.of("x_ok").optional("v", ReplySchema.Type.STRING);
    assertNull(o.violations(body("type", "x_ok", "in_reply_to", 1L)));
    assertNull(o.violations(body("type", "x_ok", "in_reply_to", 1L, "v", "a")));
    assertNotNull(o.violations(body("type", "x_ok", "in_reply_to", 1L, "v", 1L)));
  }

  @Test
  void errorsMapLikeMaelstromWithErrors() {
    Op inv = Op.invoke(3, "read", null);
    Op definite = Errors.complete(inv, new RpcErrorException(20, "nope", Map.of()), Set.of());
    assertEquals(OpType.FAIL, definite.type());
    assertEquals(List.of("key-does-not-exist", "nope"), definite.error());
    Op indefinite = Errors.complete(inv, new RpcErrorException(13, "x", Map.of()), Set.of());
    assertEquals(OpType.INFO, indefinite.type());
    assertEquals(OpType.FAIL, Errors.complete(inv, new RpcErrorException(1000, "x", Map.of()), Set.of("read")).type());
    Op timeout = Errors.complete(inv, new RpcTimeoutException("t"), Set.of());
    assertEquals(OpType.INFO, timeout.type());
    assertEquals("net-timeout", timeout.error());
    assertEquals(OpType.FAIL, Errors.complete(inv, new RpcTimeoutException("t"), Set.of("read")).type());
    Op malformed = Errors.complete(inv, new MalformedReplyException("bad", Map.of()), Set.of("read"));
    assertEquals(OpType.INFO, malformed.type());
    assertNotNull(malformed.exception());
    assertEquals(3, malformed.process());
  }

  @Test
  void specDefaultsAreMaelstroms() {
    TestSpec s = TestSpec.builder().build();
    assertEquals(List.of("n1", "n2", "n3", "n4", "n5"), s.nodeIds());
    assertEquals(5, s.concurrency());
    assertEquals(5.0, s.rate());
    assertEquals(60.0, s.timeLimitSeconds());
    assertEquals(6, TestSpec.builder().nodeCount(3).concurrency("2n").build().concurrency());
    assertEquals(7, TestSpec.builder().nodeCount(3).concurrency("7").build().concurrency());
    assertThrows(IllegalArgumentException.class, () -> TestSpec.builder().concurrency("x"));
    TestSpec seeded = TestSpec.builder().seed(42).build();
    assertEquals(seeded.random("a").nextLong(), seeded.random("a").nextLong());
    assertNotEquals(seeded.random("a").nextLong(), seeded.random("b").nextLong());
  }

  @Test
  void generatorCombinators() {
    TestSpec spec = TestSpec.builder().nodeCount(2).concurrency("2n").seed(1).build();
    java.util.SplittableRandom r = new java.util.SplittableRandom(1);
    Generator each = Generators.eachThread(ctx -> Op.invoke(ctx.process(), "read", null));
    for (int t = 0; t < 4; t++) assertNotNull(each.next(GenContext.of(spec, t, t, 0, r)));
    for (int t = 0; t < 4; t++) assertNull(each.next(GenContext.of(spec, t, t, 0, r)));
    Generator lim = Generators.limit(3, Generators.mix(
        Generators.repeat(ctx -> Op.invoke(ctx.process(), "a", null)),
        Generators.repeat(ctx -> Op.invoke(ctx.process(), "b", null))));
    int n = 0;
    while (lim.next(GenContext.of(spec, 0, 0, 0, r)) != null) n++;
    assertEquals(3, n);
  }

  @Test
  void registryKnowsMaelstromWorkloads() {
    assertTrue(Workloads.known("broadcast"));
    assertFalse(Workloads.known("nope"));
    assertThrows(IllegalArgumentException.class, () -> Workloads.get("nope"));
    for (String name : Workloads.names()) assertTrue(Workloads.get(name) != Workloads.get(name), "a fresh " + name);
    assertTrue(
        Workloads.names().containsAll(Set.of("echo", "unique-ids", "broadcast", "g-set", "g-counter", "pn-counter", "kafka",
            "txn-rw-register", "txn-list-append", "lin-kv")));
  }
}
