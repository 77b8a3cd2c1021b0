package glomers.harness.workload.broadcast;

import static org.junit.jupiter.api.Assertions.*;

import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import glomers.harness.workload.GenContext;
import glomers.harness.workload.Generator;
import glomers.harness.workload.MalformedReplyException;
import glomers.harness.workload.ReplySchema;
import glomers.harness.workload.RpcClient;
import glomers.harness.workload.RpcErrorException;
import glomers.harness.workload.RpcTimeoutException;
import glomers.harness.workload.TestSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class BroadcastWorkloadTest {
  static List<String> nodes(int n) {
    List<String> l = new ArrayList<>();
    for (int i = 0; i < n; i++) l.add("n" + i);
    return l;
  }

  @Test
  void gridMatchesMaelstromsFiveNodeExample() {
    Map<String, List<String>> g = Topologies.grid(nodes(5));
    assertEquals(List.of("n3", "n1"), g.get("n0"));
    assertEquals(List.of("n4", "n2", "n0"), g.get("n1"));
    assertEquals(List.of("n1"), g.get("n2"));
    assertEquals(List.of("n0", "n4"), g.get("n3"));
    assertEquals(List.of("n1", "n3"), g.get("n4"));
    assertEquals(Map.of("n0", List.of()), Topologies.grid(nodes(1)));
    Map<String, List<String>> g25 = Topologies.grid(nodes(25));
    assertEquals(List.of("n17", "n7", "n13", "n11"), g25.get("n12"));
    assertEquals(25, g25.size());
  }

  @Test
  void lineTreeAndTotal() {
    assertEquals(Map.of(), Topologies.line(nodes(1)));
    Map<String, List<String>> l = Topologies.line(nodes(3));
    assertEquals(List.of("n1"), l.get("n0"));
    assertEquals(List.of("n0", "n2"), l.get("n1"));
    assertEquals(List.of("n1"), l.get("n2"));

    Map<String, List<String>> t = Topologies.build("tree", nodes(7));
    assertEquals(List.of("n1", "n2"), t.get("n0"));
    assertEquals(List.of("n0", "n3", "n4"), t.get("n1"));
    assertEquals(List.of("n0", "n5", "n6"), t.get("n2"));
    assertEquals(List.of("n2"), t.get("n6"));
    Map<String, List<String>> t3 = Topologies.build("tree3", nodes(6));
    assertEquals(List.of("n1", "n2", "n3"), t3.get("n0"));
    assertEquals(List.of("n0", "n4", "n5"), t3.get("n1"));
    assertEquals(List.of("n0"), t3.get("n2"));
    Map<String, List<String>> t4 = Topologies.build("tree4", nodes(7));
    assertEquals(List.of("n0", "n5", "n6"), t4.get("n1"));
    assertEquals(Map.of("n0", List.of()), Topologies.build("tree2", nodes(1)));

    assertEquals(List.of("n0", "n2"), Topologies.total(nodes(3)).get("n1"));
    assertThrows(IllegalArgumentException.class, () -> Topologies.build("ring", nodes(3)));
  }

  /** A fake client answering every call with {@code answer}. */
  static RpcClient fake(Function<Map<String, Object>, Map<String, Object>> answer, List<Map<String, Object>> sent) {
    return new RpcClient() {
      @Override public String node() { return "n0"; }
      @Override public String id() { return "c9"; }
      @Override
      public Map<String, Object> call(Map<String, Object> body, long timeoutMillis, ReplySchema schema)
          throws RpcTimeoutException, RpcErrorException, MalformedReplyException {
        sent.add(body);
        Map<String, Object> reply = answer.apply(body);
        if (reply == null) throw new RpcTimeoutException("timeout");
        if ("error".equals(reply.get("type"))) throw new RpcErrorException((Long) reply.get("code"), "x", reply);
        String v = schema.violations(reply);
        if (v != null) throw new MalformedReplyException(v, reply);
        return reply;
      }
    };
  }

  static Map<String, Object> reply(Object... kv) {
    Map<String, Object> m = new HashMap<>();
    m.put("in_reply_to", 1L);
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  @Test
  void clientMapsRepliesLikeMaelstrom() throws Exception {
    List<Map<String, Object>> sent = new ArrayList<>();
    TestSpec spec = TestSpec.builder().nodeCount(5).build();
    BroadcastWorkload w = new BroadcastWorkload();
    w.setup(spec, "n0", fake(b -> reply("type", "topology_ok"), sent));
    assertEquals(Topologies.grid(nodes(5)), sent.get(0).get("topology"));

    Op b = Op.invoke(0, "broadcast", 4L);
    assertEquals(OpType.OK, w.newClient(spec).invoke(b, fake(x -> reply("type", "broadcast_ok"), sent)).type());
    assertEquals(Map.of("type", "broadcast", "message", 4L), sent.get(1));
    // closed schema: an extra field is malformed → :info with exception
    Op extra = w.newClient(spec).invoke(b, fake(x -> reply("type", "broadcast_ok", "msg", "hi"), sent));
    assertEquals(OpType.INFO, extra.type());
    assertNotNull(extra.exception());
    // broadcast timeout → :info; read timeout → :fail (read is idempotent)
    assertEquals(OpType.INFO, w.newClient(spec).invoke(b, fake(x -> null, sent)).type());
    Op r = Op.invoke(0, "read", null);
    assertEquals(OpType.FAIL, w.newClient(spec).invoke(r, fake(x -> null, sent)).type());
    Op ok = w.newClient(spec).invoke(r, fake(x -> reply("type", "read_ok", "messages", List.of(1L, 2L)), sent));
    assertEquals(OpType.OK, ok.type());
    assertEquals(List.of(1L, 2L), ok.value());
    // definite error on broadcast → :fail
    assertEquals(OpType.FAIL, w.newClient(spec).invoke(b, fake(x -> reply("type", "error", "code", 11L), sent)).type());
    // a read_ok without messages is malformed
    assertEquals(OpType.INFO, w.newClient(spec).invoke(r, fake(x -> reply("type", "read_ok"), sent)).type());
  }

  @Test
  void generatorEmitsUniqueIncreasingValuesAndFinalReads() {
    TestSpec spec = TestSpec.builder().nodeCount(3).seed(5).build();
    BroadcastWorkload w = new BroadcastWorkload();
    Generator g = w.generator(spec);
    SplittableRandom r = new SplittableRandom(1);
    long expect = 0;
    int reads = 0;
    for (int i = 0; i < 400; i++) {
      Op op = g.next(GenContext.of(spec, i % 3, i % 3, 0, r));
      if (op.f().equals("broadcast")) assertEquals(expect++, op.value());
      else reads++;
    }
    assertTrue(reads > 150 && reads < 250, "reads " + reads);
    Generator fin = w.finalGenerator(spec);
    Set<Integer> threads = new HashSet<>();
    for (int t = 0; t < 3; t++) {
      Op op = fin.next(GenContext.of(spec, t, t, 0, r));
      assertEquals("read", op.f());
      assertTrue(op.isFinal());
      threads.add(t);
      assertNull(fin.next(GenContext.of(spec, t, t, 0, r)));
    }
    assertEquals(3, threads.size());
  }
}
